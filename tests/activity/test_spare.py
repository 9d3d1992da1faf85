"""The records the history's bound is sure to drop are not built (``History.spare``): the history then keeps
exactly what it keeps when every record is put, and drops the same ones at the same moments."""
import itertools
import logging

import pytest

from mockserver.activity.history import History

ORG = "o1"


def _rec(t: int, i: int) -> dict:
    return {"id": f"t{i:06d}", "createdTime": t, "status": "ended"}


class _Watched(History):
    def __init__(self, m):
        super().__init__(m)
        self.gone: list[list[str]] = []

    def _dropped(self, org_id, kind, ids):
        self.gone.append(list(ids))


def _flushes(sizes, start=0):
    """Records in flushes of the given sizes, created in time order (two at the same millisecond now and then)."""
    i, t, out = start, 1000, []
    for size in sizes:
        batch = []
        for _ in range(size):
            t += 0 if i % 7 == 3 else 10
            batch.append(_rec(t, i))
            i += 1
        out.append(batch)
    return out


@pytest.mark.parametrize("bound,sizes", [(10, [4, 9, 30, 2, 15]), (100, [60, 70, 500, 3]),
                                         (250, [300, 1, 900, 40, 260]), (1000, [999, 1, 5000, 1200])])
def test_spared_records_leave_the_history_as_every_record_put(bound, sizes):
    logging.disable(logging.WARNING)
    try:
        flushes = _flushes(sizes)
        whole, spare = _Watched(bound), _Watched(bound)
        spared_total = 0
        for n, batch in enumerate(flushes):
            for rec in batch:
                whole.put_task(ORG, rec)
            to_come = sum(len(b) for b in flushes[n + 1:])
            before = flushes[n + 1][0]["createdTime"] if n + 1 < len(flushes) else batch[-1]["createdTime"] + 1
            ids, _, kept = spare.spare(ORG, [(r["createdTime"], r["id"]) for r in batch], to_come, before)
            spared_total += len(ids)
            drops_before = len(spare.gone)
            for rec in batch:
                if rec["id"] not in ids:
                    spare.put_task(ORG, rec)
            put = {r["id"] for r in batch} - ids
            if kept:  # the hint: none of the flush's records put is dropped before it ends
                assert not put & set(itertools.chain.from_iterable(spare.gone[drops_before:]))
            assert spare.horizon(ORG, "task") == whole.horizon(ORG, "task")
            assert len(spare._series(ORG, "task").keys) == len(whole._series(ORG, "task").keys)
        assert spared_total > 0
        assert spare.tasks(ORG, 0, 1 << 62) == whole.tasks(ORG, 0, 1 << 62)
        assert spare.export(ORG) == whole.export(ORG)
        # the drops are the same ones (the spared ids were never records: nothing to forget of them)
        flat = list(itertools.chain.from_iterable(whole.gone))
        assert set(itertools.chain.from_iterable(spare.gone)) <= set(flat)
        assert len(flat) - len(list(itertools.chain.from_iterable(spare.gone))) == spared_total
    finally:
        logging.disable(logging.NOTSET)


def test_nothing_spared_when_the_bound_is_not_reached_or_records_come_out_of_order():
    h = History(100)
    for rec in _flushes([50])[0]:
        h.put_task(ORG, rec)
    later = _flushes([40], start=50)[0]
    keys = [(r["createdTime"] + 10_000, r["id"]) for r in later]
    assert h.spare(ORG, keys, 10, 1 << 62) == (set(), 0, True)  # 50 + 40 + 10 = 100: no drop
    earlier = [(5, "t999990")]  # older than what is kept: put among the kept ones, not after them
    assert h.spare(ORG, earlier, 10_000, 1 << 62) == (set(), 0, False)
    assert len(h._series(ORG, "task").keys) == 50


def test_a_place_held_is_never_read():
    h = History(10)
    for rec in _flushes([10])[0]:
        h.put_task(ORG, rec)
    keys = [(10_000 + k, f"u{k}") for k in range(3)]
    ids, beyond, _ = h.spare(ORG, keys, 1000, 1 << 62)
    assert ids == {"u0", "u1", "u2"} and beyond == 1003 - 10 - 3  # every record to come is dropped too
    # the places count for the bound (one record dropped per place), and no reader sees a place
    assert len(h._series(ORG, "task").keys) == 10
    assert all(not r["id"].startswith("u") for r in h.tasks(ORG, 0, 1 << 62))
    assert h.task(ORG, "u0") is None and len(h.export(ORG)["task"]) == 7


def _generated(monkeypatch, foresight: bool, bound: int = 300, flush_every: int = 3000) -> tuple:
    from mockserver import create_app
    from mockserver.activity import bound as bound_mod
    from mockserver.activity import center as center_mod

    monkeypatch.setattr(center_mod, "FLUSH_EVERY", flush_every)  # several flushes within the run
    if not foresight:
        monkeypatch.setattr(bound_mod, "foresee", lambda c, keys, to_ms, start=False: (set(), False))
    app = create_app({"access_log": False, "activity_history_size": bound})
    client, rt = app.test_client(), app.extensions["wxcc"]
    rt.clock.freeze(1767225600)
    org = "b0000000-0000-4000-8000-00000000a001"
    resp = client.post("/_mock/orgs", json={"template": "generated", "users": 60, "id": org})
    assert resp.status_code == 201
    headers = {"Authorization": f"Bearer {resp.get_json()['tokens']['full_admin']}"}
    end = rt.clock.now_ms() - 3_600_000
    resp = client.post(f"/_mock/activity/{org}", json={"from": end - 86_400_000, "to": end, "seed": 5, "rate": 60})
    assert resp.status_code == 200
    snap = client.get("/_mock/snapshot", headers=headers)
    assert snap.status_code == 200
    stats = client.get(f"/v1/queues/statistics?from={end - 86_399_000}&to={end}&interval=60", headers=headers)
    assert stats.status_code == 200
    rows = rt.history.tables["task"].db.execute("select * from r order by id").fetchall()
    with rt.activity.center(org) as c:
        kept = (len(c.marks), len(c.activities), len(c.tasks), c.horizon)
    return snap.get_data(), stats.get_data(), rows, kept


def test_foresight_changes_nothing_a_client_sees(monkeypatch, caplog):
    """A generated day over the bound, with and without foresight: the same snapshot (records, horizons, marks,
    spans, tasks, timers) byte for byte, the same statistics and the same search rows."""
    with monkeypatch.context() as m:
        plain = _generated(m, foresight=False)
    with monkeypatch.context() as m:
        spared = []
        from mockserver.activity import bound as bound_mod
        real = bound_mod.foresee

        def counting(c, keys, to_ms, start=False):
            out = real(c, keys, to_ms, start)
            spared.append((len(out[0]), c.forget_before))
            return out
        m.setattr(bound_mod, "foresee", counting)
        foreseen = _generated(m, foresight=True)
    assert sum(n for n, _ in spared) > 1000 and max(t for _, t in spared) > 0  # it did spare records and marks
    assert foreseen[3][3]["task"] is not None  # the bound was crossed
    assert foreseen == plain
