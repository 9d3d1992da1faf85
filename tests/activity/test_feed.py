"""A window's arrivals as columns (activity/feed.py): the same events, in the same order, as the tuples they were."""
import bisect
import random

import pytest

from mockserver.activity.feed import Arrivals, Feed


def _drawn(seed: int, start: int) -> tuple[Arrivals, list]:
    """Arrivals of three entry points drawn as the generator draws them, and the events they were as tuples."""
    rng, arrivals, events = random.Random(seed), Arrivals(start), []
    seq = 100
    for ep, patience in (("ep-a", True), ("ep-b", False), ("ep-c", True)):
        index = arrivals.entry_point(ep, patience)
        t = float(start)
        for _ in range(rng.randrange(20, 60)):
            t += rng.choice([0.0, 0.4, rng.expovariate(1 / 5_000)])  # ties on the ms, within and across points
            sim = {"ivr": rng.randrange(10_000), "ring": rng.randrange(4_000), "handle": rng.randrange(10**6),
                   "wrap": rng.randrange(20_000)}
            if patience:
                sim["patience"] = sim["ivr"] + rng.randrange(240_000)
            digits = rng.randrange(10_000)
            arrivals.add(index, t, sim, digits)
            events.append((int(t), seq, "arrive", (ep, "+1919555%04d" % digits, sim)))
            seq += 1
    return arrivals, events


def test_the_feed_gives_the_events_in_the_order_the_heap_would_and_the_one_after_each():
    arrivals, events = _drawn(5, 1_767_000_000_000)
    feed = Feed(arrivals, 100)
    expected = sorted(events, reverse=True)  # latest first, as the center's feed was
    assert len(feed) == len(expected) and list(feed) == expected
    assert [feed[k] for k in range(len(feed))] == expected and feed[-1] == expected[-1]
    taken, nxt = [], feed[-1]
    while nxt is not None:
        taken.append(nxt)
        nxt = feed.pop_next()
    assert taken == sorted(events) and len(feed) == 0 and not feed


def test_the_feed_is_bisected_by_time_as_bound_foresee_does():
    arrivals, events = _drawn(9, 1_767_000_000_000)
    feed, latest_first = Feed(arrivals, 100), sorted(events, reverse=True)
    for cut in (events[0][0], events[len(events) // 2][0], events[-1][0] + 1, 0):
        got = bisect.bisect_left(feed, -cut, key=lambda e: -e[0])
        assert got == bisect.bisect_left(latest_first, -cut, key=lambda e: -e[0])


def test_an_index_outside_the_feed_is_refused_and_an_empty_window_is_an_empty_feed():
    arrivals, _ = _drawn(2, 0)
    feed = Feed(arrivals, 0)
    with pytest.raises(IndexError):
        feed[len(feed)]
    empty = Feed(Arrivals(10), 7)
    assert len(empty) == 0 and list(empty) == [] and not empty
