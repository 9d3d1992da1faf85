"""The routing's free-agent heaps stay bounded: an agent made available again and again, with no contact for the
queues it serves, does not grow them past the cap; and a contact after that still reaches the agent."""
from __future__ import annotations

from mockserver import create_app

from .drive import DEMO_ORG, SUPPORT_QUEUE, fresh


def _heaps(d):
    router = d.rt.activity.peek(DEMO_ORG).router
    return router, [heap for levels in router.free.values() for _, heap in levels]


def test_heaps_stay_bounded_and_routing_still_offers():
    app = create_app({"access_log": False})
    d = fresh(app)
    d.login(d.a, "+15550100001")
    router, heaps = _heaps(d)
    for i in range(400):  # each Available lists the agent in every heap of its queues again, one second apart
        d.rt.clock.advance(1)
        d.state(d.a, "Idle")
        d.rt.clock.advance(1)
        d.state(d.a, "Available")
    c = d.rt.activity.peek(DEMO_ORG)
    cap = 2 * len(c.sessions) + 64
    listed = [h for h in heaps if h]
    assert listed, "the agent is listed in the heaps of its queues"
    assert max(len(h) for h in heaps) <= cap + 1 < 400
    # Only the agent's current entry survives a compaction: each compacted heap holds it (and what came after).
    session = next(iter(c.sessions.values()))
    assert all((session.available_since, session.agent.id) in h for h in listed)
    task = d.contact()
    assert c.live[task].queue == SUPPORT_QUEUE and c.live[task].state != "queued"


def test_compact_keeps_what_an_offer_could_take():
    app = create_app({"access_log": False})
    d = fresh(app)
    d.login(d.a, "+15550100001")
    router, _ = _heaps(d)
    c = d.rt.activity.peek(DEMO_ORG)
    s = next(iter(c.sessions.values()))
    now = (s.available_since, s.agent.id)
    heap = [(0, s.agent.id), now, now, (1, "an-agent-not-logged-in"), (now[0] + 5, s.agent.id)]
    router.compact(heap)
    assert heap == [now]
