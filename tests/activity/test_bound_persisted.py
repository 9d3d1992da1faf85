"""The history's bound crossed while ``--storage`` writes deltas and while snapshots are taken: what the center
forgot is forgotten in the log too, so a restart (or a restored snapshot) gives back exactly what was kept and goes
on as the original."""
from __future__ import annotations

import orjson

from mockserver import create_app
from mockserver.activity.persist import unpack

from .drive import DEMO_ORG, Driver
from .test_persisted import _activity
from .test_snapshot_state import LIVE, NOW_S, _put, _snap

BOUND = 30


def _counts(app) -> tuple:
    with app.extensions["wxcc"].activity.center(DEMO_ORG) as c:
        return len(c.tasks), len(c.order), len(c.marks), len(c.activities), len(c.past_sessions)


def _deltas(path) -> list[dict]:
    log = next(path.with_name(path.name + ".activity").glob("*.log"))
    return [unpack(orjson.loads(line)["z"]) for line in log.read_bytes().splitlines()]


def test_deltas_across_the_bound_restart_to_exactly_what_was_kept(tmp_path):
    path = tmp_path / "state.json"
    app = create_app({"access_log": False, "storage": str(path), "activity_history_size": BOUND})
    d = Driver(app)
    assert d.client.post(f"/_mock/activity/{DEMO_ORG}", json=LIVE).status_code == 200
    for _ in range(8):  # each request moves the live center on: more contacts, the bound crossed again
        d.rt.clock.advance(600)
        d.contact()
    deltas = [x for x in _deltas(path) if not x["full"]]
    assert len(deltas) >= 8 and any(x["forgot"]["tasks"] for x in deltas)  # written tasks forgotten in a line
    assert any(x["forgot"]["marks"] and x["forgot"]["activities"] for x in deltas)
    tasks, order, marks, spans, past = _counts(app)
    assert len(d.rt.history.tasks(DEMO_ORG, 0, 2 ** 62)) <= BOUND and tasks == order and tasks < 2 * BOUND
    before = _activity(app)
    again = create_app({"access_log": False, "storage": str(path), "activity_history_size": BOUND})
    again.extensions["wxcc"].clock.freeze(d.rt.clock.now_ms() // 1000)  # the first server was never closed
    assert _activity(again) == before
    assert _counts(again) == (tasks, order, marks, spans, past)
    d2 = Driver(again)
    d2.rt.clock.freeze(d.rt.clock.now_ms() // 1000)
    for _ in range(3):  # both go on, across the bound again, the same way
        d.rt.clock.advance(900)
        d2.rt.clock.advance(900)
        assert d.contact() == d2.contact()
    assert _activity(again) == _activity(app)
    third = create_app({"access_log": False, "storage": str(path), "activity_history_size": BOUND})
    third.extensions["wxcc"].clock.freeze(d.rt.clock.now_ms() // 1000)
    assert _activity(third) == _activity(again)  # the restarted server's own log, across the bound, replays too


def test_a_snapshot_across_the_bound_restores_byte_for_byte_and_goes_on_the_same(tmp_path):
    app = create_app({"access_log": False, "activity_history_size": BOUND})
    d = Driver(app)
    assert d.client.post(f"/_mock/activity/{DEMO_ORG}", json=LIVE).status_code == 200
    d.rt.clock.advance(1200)
    saved = _snap(d)
    assert saved["activity"][DEMO_ORG]["horizon"]["task"] is not None
    d.rt.clock.advance(3600)
    d.contact()
    original = orjson.dumps(_snap(d)["activity"])
    d.rt.clock.freeze(NOW_S + 1200)
    assert _put(d, saved).status_code == 200
    assert orjson.dumps(_snap(d)) == orjson.dumps(saved)
    d.rt.clock.advance(3600)
    d.contact()
    assert orjson.dumps(_snap(d)["activity"]) == original
