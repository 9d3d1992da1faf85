"""Finished history records compressed in blocks (``activity/blocks.py``) read back as they were put: one by
one, by window and by export, after a record in a sealed block is put again, across the bound's drops and a
restore; live records stay plain JSON."""
from __future__ import annotations

from mockserver.activity import blocks
from mockserver.activity.history import History


def _record(i: int, **extra) -> dict:
    return {"id": f"t{i:04d}", "createdTime": 1000 + i * 10, "isActive": False, "status": "ended",
            "lastQueue": {"id": "q1", "name": "Sales"}, "captureRequested": False, **extra}


def test_finished_records_read_back_from_their_blocks():
    h = History(max_records=1000)
    records = [_record(i) for i in range(blocks.SIZE * 3 + 5)]
    for r in records:
        h.put_task("org", r)
    h.put_task("org", {"id": "live", "createdTime": 5, "isActive": True, "status": "connected"})
    series = h._series("org", "task")
    sealed = {id(e) for e in series.by_id.values() if isinstance(e, blocks.Block) and e.ends is not None}
    assert len(sealed) == 3 and isinstance(series.by_id["live"], bytes)  # three sealed, one open, live as JSON
    assert h.tasks("org", 0, 1 << 40) == [{"id": "live", "createdTime": 5, "isActive": True,
                                          "status": "connected"}] + records
    assert h.task("org", "t0040") == records[40] and h.task("org", "t0001") == records[1]
    assert h.task("org", "nope") is None
    assert [r["id"] for r in h.tasks("org", 1000 + 50 * 10, 1000 + 53 * 10)] == ["t0050", "t0051", "t0052"]


def test_a_record_put_again_is_read_from_its_newest_copy():
    h = History(max_records=1000)
    for i in range(blocks.SIZE * 2):
        h.put_task("org", _record(i))
    h.put_task("org", _record(3, captureRequested=True))  # in a sealed block: the new copy goes to the open one
    h.put_task("org", _record(blocks.SIZE * 2 - 1, captureRequested=True))
    assert h.task("org", "t0003")["captureRequested"] is True
    got = h.tasks("org", 0, 1 << 40)
    assert [r["id"] for r in got] == [f"t{i:04d}" for i in range(blocks.SIZE * 2)]
    assert [r["id"] for r in got if r["captureRequested"]] == ["t0003", f"t{blocks.SIZE * 2 - 1:04d}"]
    exported = h.export("org")
    again = History(max_records=1000)
    again.restore("org", exported)
    assert again.export("org") == exported and again.tasks("org", 0, 1 << 40) == got
    assert h.export("org", ids={"task": {"t0003", "t0010"}})["task"] == [got[3], got[10]]


def test_the_bound_drops_records_and_frees_their_blocks():
    h = History(max_records=100)
    for i in range(250):
        h.put_task("org", _record(i))
    kept = h.tasks("org", 0, 1 << 40)
    assert len(kept) <= 100 and kept == [_record(i) for i in range(250 - len(kept), 250)]
    series = h._series("org", "task")
    live_blocks = {id(e) for e in series.by_id.values()}
    assert len(live_blocks) <= 100 // blocks.SIZE + 2  # the blocks of dropped records went with them


def test_a_sealed_block_of_generated_records_keeps_under_240_bytes_a_record():
    """The compression's level is what the kept memory needs (issue 13): the demo tenant's finished records, 32 to a
    block, about 1.7 KB of JSON each, keep under 240 bytes each sealed (zlib's fastest level kept about 270)."""
    from mockserver import create_app

    from .drive import DEMO_ORG, fresh
    from .test_generator import TRAFFIC

    d = fresh(create_app({"access_log": False}))
    assert d.client.post(f"/_mock/activity/{DEMO_ORG}", json=TRAFFIC).status_code == 200
    series = d.rt.history._series(DEMO_ORG, "task")
    sealed = {id(e): e for e in series.by_id.values() if isinstance(e, blocks.Block) and e.ends is not None}
    assert len(sealed) >= 3
    kept = sum(len(b.data) for b in sealed.values()) / sum(len(b.ids) for b in sealed.values())
    plain = sum(b.ends[-1] for b in sealed.values()) / sum(len(b.ids) for b in sealed.values())
    assert plain > 1200 and kept < 240, (plain, kept)
