"""The search view of the history: current on every write, its own copy, no activity lists, reset with the org."""
from __future__ import annotations

from mockserver import create_app
from mockserver.search import batch, sql
from mockserver.search import fields as F
from mockserver.search.index import IndexedHistory

from ..activity.drive import DEMO_ORG, NOW_S, fresh


def test_the_view_follows_every_write_without_activities():
    h = IndexedHistory()
    rec = {"id": "a", "createdTime": 200, "status": "new", "activities": [{"eventName": "new"}]}
    h.put_task("org", rec)
    h.put_task("org", {"id": "b", "createdTime": 100, "status": "new"})
    rec["status"] = "changed by the writer afterwards"
    assert [(t["id"], t["status"]) for t in h.view_tasks("org", 0, 1000)] == [("b", "new"), ("a", "new")]
    assert "activities" not in h.view_tasks("org", 150, 1000)[0]
    assert h.task("org", "a")["activities"] == [{"eventName": "new"}]  # the history keeps the whole record
    h.put_task("org", {"id": "a", "createdTime": 50, "status": "ended"})  # replaced, and moved in time
    assert [(t["id"], t["status"]) for t in h.view_tasks("org", 0, 1000)] == [("a", "ended"), ("b", "new")]
    assert h.view_tasks("other", 0, 1000) == []
    h.put_agent_session("org", {"agentSessionId": "s", "startTime": 10,
                                "channelInfo": [{"channelType": "chat", "activities": [{"state": "idle"}]}]})
    assert h.view_agent_sessions("org", 0, 100) == [{"agentSessionId": "s", "startTime": 10,
                                                     "channelInfo": [{"channelType": "chat"}]}]
    assert h.agent_sessions("org", 0, 100)[0]["channelInfo"][0]["activities"] == [{"state": "idle"}]
    h.reset("org")
    assert h.view_tasks("org", 0, 1000) == [] and h.tasks("org", 0, 1000) == []


def test_a_filter_on_an_indexed_id_reads_that_index_not_the_whole_window():
    h = IndexedHistory()
    for i in range(50):
        h.put_task("org", {"id": f"t{i}", "createdTime": i, "lastAgent": {"id": f"a{i % 5}"}})
    table = h.tables["task"]
    plan = table.db.execute('explain query plan select doc from r where org = ? and t >= ? and t < ? and '
                            '"$lastAgent.id" in (?, ?) order by t, id', ("org", 0, 50, "a1", "a2")).fetchall()
    assert "r_1 (org=? AND $lastAgent.id=? AND t>? AND t<?)" in plan[0][-1], plan
    rows = table.db.execute('select id from r where org = ? and "$lastAgent.id" = ? order by t',
                            (table.orgs["org"], "a1"))
    assert [r[0] for r in rows] == [f"t{i}" for i in range(1, 50, 5)]


def test_a_filter_on_a_task_id_reads_the_key_index_and_answers_by_the_column():
    h = IndexedHistory()
    for i in range(50):
        h.put_task("org", {"id": f"t{i}", "createdTime": i})
    table = h.tables["task"]
    indexes = [r[0] for r in table.db.execute("select name from sqlite_master where type = 'index'")]
    assert indexes == ["sqlite_autoindex_r_1", "r_time", "r_1", "r_2", "r_3"]  # no index of the id column
    for spec, want in (({"id": {"equals": "t3"}}, ["t3"]), ({"id": {"in": ["t7", "t3", "nope"]}}, ["t3", "t7"]),
                       ({"id": {"equals": None}}, []), ({"id": {"notequals": "t3"}}, [f"t{i}" for i in range(50)
                                                                                     if i != 3])):
        params = [table.orgs["org"], 0, 50]
        sql_ = f"select id from r where org = ? and t >= ? and t < ? and {sql.where(spec, F.TASK, params)} order by t"
        plan = table.db.execute("explain query plan " + sql_, params).fetchall()
        assert [r[0] for r in table.db.execute(sql_, params)] == want, spec
        if "notequals" not in spec["id"] and spec["id"].get("equals", 0) is not None:
            assert "sqlite_autoindex_r_1 (org=? AND id=?)" in plan[0][-1], plan


def test_a_batch_reaches_the_view_at_its_end_without_the_records_the_bound_dropped(monkeypatch):
    monkeypatch.setattr(batch, "KEEP_PARSED", 3)  # most records of the batch are read again from the history
    h = IndexedHistory(max_records=10)
    h.put_task("org", {"id": "old", "createdTime": 1, "status": "new"})  # in the view before the batch
    seen = []

    def records():
        for i in range(2, 30):
            seen.extend(t["id"] for t in h.view_tasks("org", 0, 1000))  # the batch is not in the view while it runs
            yield {"id": f"t{i:02}", "createdTime": i, "status": "ended", "lastQueue": {"id": f"q{i % 3}"}}
        yield {"id": "old", "createdTime": 1, "status": "ended"}  # a replace of a record the bound dropped

    with h.batch("org") as put:
        for record in records():
            put(record)
    kept = [t["id"] for t in h.tasks("org", 0, 1000)]
    assert set(seen) == {"old"} and 9 <= len(kept) <= 10 and kept[-1] == "t29" and "old" not in kept
    assert [t["id"] for t in h.view_tasks("org", 0, 1000)] == kept
    fields = h.view_task_fields("org", 0, 1000, ["id", "status", "lastQueue.id"])
    assert fields == [{"id": t["id"], "status": t["status"], "lastQueue.id": t["lastQueue"]["id"]}
                      for t in h.tasks("org", 0, 1000)]


def test_the_view_agrees_with_a_bounded_history_over_live_flushes():
    app = create_app({"access_log": False, "activity_history_size": 150})
    d = fresh(app)
    spec = {"from": NOW_S * 1000 - 3_600_000, "to": NOW_S * 1000 + 3_600_000, "seed": 9, "rate": 40}
    assert d.client.post(f"/_mock/activity/{DEMO_ORG}", json=spec).status_code == 200
    h, end = d.rt.history, 1 << 62
    for _ in range(6):  # each request flushes what moved: new records, replaced ones, drops of both kinds
        d.rt.clock.advance(600)
        with d.rt.activity.center(DEMO_ORG):
            pass
        kept = h.tasks(DEMO_ORG, 0, end)
        assert 100 < len(kept) <= 150
        assert h.view_tasks(DEMO_ORG, 0, end) == [{k: v for k, v in t.items() if k != "activities"} for t in kept]
        assert [r["status"] for r in h.view_task_fields(DEMO_ORG, 0, end, ["status"])] == [t["status"] for t in kept]


def test_a_batch_that_cannot_pass_the_bound_reaches_the_view_as_it_goes(monkeypatch):
    monkeypatch.setattr(batch, "KEEP_PARSED", 4)
    h = IndexedHistory(max_records=100)
    seen = []

    def records():
        for i in range(10):
            seen.append(len(h.view_tasks("org", 0, 1000)))
            yield {"id": f"t{i}", "createdTime": i, "status": "ended"}

    with h.batch("org", 10) as put:
        for record in records():
            put(record)
    assert seen == [0, 0, 0, 0, 4, 4, 4, 4, 8, 8]  # four rows at a time, the rest at the end
    assert h.view_tasks("org", 0, 1000) == h.tasks("org", 0, 1000) and len(h.tasks("org", 0, 1000)) == 10


def test_a_batch_past_the_bound_writes_its_newest_records_as_it_goes(monkeypatch):
    monkeypatch.setattr(batch, "KEEP_PARSED", 2)
    h = IndexedHistory(max_records=10)
    for i in range(3):  # newer than the whole batch: they stay
        h.put_task("org", {"id": f"new{i}", "createdTime": 1000 + i})
    seen = []

    def records():
        for i in range(30):
            seen.append(len(h.view_tasks("org", 0, 2000)))
            yield {"id": f"t{i:02}", "createdTime": i, "lastQueue": {"id": "q"}}

    with h.batch("org", 30) as put:
        for record in records():
            put(record)
    kept = h.tasks("org", 0, 2000)
    assert [t["id"] for t in kept] == [f"t{i}" for i in range(23, 30)] + ["new0", "new1", "new2"]
    assert seen == [3] * 25 + [5, 5, 7, 7, 9]  # the last seven (23 to 29) two at a time, while they came
    assert h.view_tasks("org", 0, 2000) == kept
    assert h.view_task_fields("org", 0, 2000, ["id", "lastQueue.id"]) == [
        {"id": t["id"], "lastQueue.id": t.get("lastQueue", {}).get("id")} for t in kept]
