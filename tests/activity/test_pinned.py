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
# A generated tenant (team, skill and agent based queues, a second distribution group after 60 s) under more
# traffic than its 66 agents take: contacts wait, groups join, customers abandon; the window runs on live.
GENERATED = "b0000000-0000-4000-8000-00000000a002"
BUSY = {"from": NOW - 3 * HOUR, "to": NOW + HOUR, "seed": 3, "rate": 150}
PINNED = {
    "past": {"history": "b4801938f423f47865140cb453a99f935a202a107de958d1d1a8675ac8434ade",
             "events": "4be173ad0dc5b0513ccc893c21bc8f7eab9c274a1727f2bb3b1ab625db350e49"},
    "generated": {"history": "d733cde9dbbf9cc41d58488f40c49463df8cd5583b9d8b07d05ce7c7f9b6b997",
                  "events": "46abc90cd4c0e7a55c1abd55c52786bf3646c8f427fe193c098b7200e08d8786"},
    "live": {"history": "399f477909fa5727b06edc27af572b3d37ef5761ba59bffbcb256995704c7388",
             "events": "aa210a77507f9b99dae9ede6f8ddc943e5407469d9fee10d06d83db739db27f8"},
}


def _digest(value) -> str:
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _run(spec: dict, observed: bool, then_s: int = 0, org: str = DEMO_ORG):
    """Generate ``spec`` (then move the clock ``then_s`` on); what the history and the center hold, and the events."""
    d = fresh(create_app({"access_log": False}))
    if org != DEMO_ORG:
        resp = d.client.post("/_mock/orgs", json={"template": "generated", "users": 80, "id": org})
        assert resp.status_code == 201, resp.get_data(as_text=True)
    if not observed:
        d.stop()  # nothing of the test listens: the org has no webhook subscription and no websocket either
    assert d.rt.bus.listening(org) is observed
    resp = d.client.post(f"/_mock/activity/{org}", json=spec)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    if then_s:
        d.rt.clock.advance(then_s)
    h, end = d.rt.history, 1 << 62
    with d.rt.activity.center(org) as c:
        held = {"tasks": h.tasks(org, 0, end), "sessions": h.agent_sessions(org, 0, end),
                "viewTasks": h.view_tasks(org, 0, end), "viewSessions": h.view_agent_sessions(org, 0, end),
                "activities": [row for row, _ in records.activity_rows(c, 0, end)],
                "marks": [list(m) for m in c.marks], "rng": list(c.rng.getstate()[1]),
                "erng": list(c.erng.getstate()[1]), "time": c.time,
                "pending": sorted([w, k, list(a)] for w, _, k, a in c.heap)}
    events = [(e.type, e.time, e.data, e.id) for e in d.events]
    return held, events


@pytest.mark.parametrize("name, spec, then_s, org", [("past", PAST, 0, DEMO_ORG), ("live", LIVE, 1800, DEMO_ORG),
                                                    ("generated", BUSY, 1800, GENERATED)])
def test_a_generator_run_gives_the_pinned_history_observed_or_not(name, spec, then_s, org):
    held, events = _run(spec, observed=True, then_s=then_s, org=org)
    assert held["tasks"] and held["sessions"] and events
    quiet, none = _run(spec, observed=False, then_s=then_s, org=org)
    assert none == []
    assert quiet == held
    assert {"history": _digest(held), "events": _digest(events)} == PINNED[name]
