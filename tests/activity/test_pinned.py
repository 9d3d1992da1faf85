"""The generator's output pinned: a short past window and a live one of the demo tenant give exactly the records,
activity spans, statistics marks, generator states and events they gave when the hashes below were taken, whether
or not anything listens to the organisation's events (the unobserved run takes shortcuts and must not differ).

The hashes were computed from the code before the generator's fast paths were written (a change to what the
simulation does must change them, deliberately, with the reason in its commit message).
"""
from __future__ import annotations

import hashlib

import orjson
import pytest

from mockserver import create_app
from mockserver.activity import records

from .drive import DEMO_ORG, NOW_S, fresh

HOUR = 3_600_000
NOW = NOW_S * 1000
PAST = {"from": NOW - 5 * HOUR, "to": NOW - 2 * HOUR, "seed": 42, "rate": 8,
        "curve": [0.2] * 7 + [1.0] * 12 + [0.5] * 5, "patience": {"mean": 90, "distribution": "exponential"},
        "handleTime": {"telephony": {"mean": 240, "sd": 120}, "chat": {"mean": 400}}}
LIVE = {"from": NOW - 2 * HOUR, "to": NOW + 2 * HOUR, "seed": 5, "rate": 20}
PINNED = {
    "past": {"history": "b4801938f423f47865140cb453a99f935a202a107de958d1d1a8675ac8434ade",
             "events": "4be173ad0dc5b0513ccc893c21bc8f7eab9c274a1727f2bb3b1ab625db350e49"},
    "live": {"history": "399f477909fa5727b06edc27af572b3d37ef5761ba59bffbcb256995704c7388",
             "events": "aa210a77507f9b99dae9ede6f8ddc943e5407469d9fee10d06d83db739db27f8"},
}


def _digest(value) -> str:
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _run(spec: dict, observed: bool, then_s: int = 0):
    """Generate ``spec`` (then move the clock ``then_s`` on); what the history and the center hold, and the events."""
    d = fresh(create_app({"access_log": False}))
    if not observed:
        d.stop()  # nothing of the test listens: the org has no webhook subscription and no websocket either
    resp = d.client.post(f"/_mock/activity/{DEMO_ORG}", json=spec)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    if then_s:
        d.rt.clock.advance(then_s)
    h, end = d.rt.history, 1 << 62
    with d.rt.activity.center(DEMO_ORG) as c:
        held = {"tasks": h.tasks(DEMO_ORG, 0, end), "sessions": h.agent_sessions(DEMO_ORG, 0, end),
                "viewTasks": h.view_tasks(DEMO_ORG, 0, end), "viewSessions": h.view_agent_sessions(DEMO_ORG, 0, end),
                "activities": [row for row, _ in records.activity_rows(c, 0, end)],
                "marks": [list(m) for m in c.marks], "rng": list(c.rng.getstate()[1]),
                "erng": list(c.erng.getstate()[1]), "time": c.time,
                "pending": sorted([w, k, list(a)] for w, _, k, a in c.heap)}
    events = [(e.type, e.time, e.data, e.id) for e in d.events]
    return held, events


@pytest.mark.parametrize("name, spec, then_s", [("past", PAST, 0), ("live", LIVE, 1800)])
def test_a_generator_run_gives_the_pinned_history_observed_or_not(name, spec, then_s):
    held, events = _run(spec, observed=True, then_s=then_s)
    assert held["tasks"] and held["sessions"] and events
    quiet, none = _run(spec, observed=False, then_s=then_s)
    assert none == []
    assert quiet == held
    assert {"history": _digest(held), "events": _digest(events)} == PINNED[name]
