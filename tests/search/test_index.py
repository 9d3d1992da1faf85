"""The search view of the history: current on every write, its own copy, no activity lists, reset with the org."""
from __future__ import annotations

from mockserver.search.index import IndexedHistory


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
    rows = table.db.execute('select id from r where org = ? and "$lastAgent.id" = ? order by t', ("org", "a1"))
    assert [r[0] for r in rows] == [f"t{i}" for i in range(1, 50, 5)]
