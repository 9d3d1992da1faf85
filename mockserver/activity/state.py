"""An organisation's activity as JSON: the whole center (tasks, sessions, timers, generators, counters, extras)
and its history, for org snapshots and for ``--storage`` persistence, restored so that it goes on exactly as it
would have (the same seed state, the same pending events, the same next ids).

``dump`` gives everything; ``delta`` what changed since the last ``delta``/``dump`` (the tasks and records
flushed since, the tails of the append-only lists, and the small live part whole), so that a log line per
request stays proportional to what the request did, not to the size of the history. ``load`` and ``apply``
are their inverses. Routing's free-agent heaps are rebuilt from the sessions (they are a cache over them).
"""
from __future__ import annotations

import dataclasses
import itertools
import random
from collections import deque

import orjson

from . import bound, ended
from .keys import Keys
from .model import NOBODY, Session, Task
from .tenant import Agent

FORMAT = 1
_TASK = Task.__slots__
_SESSION = tuple(s for s in Session.__slots__ if s != "agent")
_AGENT = tuple(f.name for f in dataclasses.fields(Agent))


class BadState(ValueError):
    """Not an activity state this server wrote (the snapshot was edited or is from another format)."""


def _task(t: Task) -> dict | list:
    if type(t) is ended.Ended:
        return ended.dump(t)
    out = {k: getattr(t, k) for k in _TASK}
    out["pending_wrapup"] = sorted(t.pending_wrapup)
    return out


def _untask(d: dict | list) -> Task:
    if isinstance(d, list):
        return ended.load(d)
    t = Task.__new__(Task)
    for k in _TASK:
        setattr(t, k, d[k])
    t.pending_wrapup = set(d["pending_wrapup"]) if d["pending_wrapup"] else NOBODY
    return t


def _session(s: Session) -> dict:
    out = {k: getattr(s, k) for k in _SESSION}
    out["agent"] = {k: getattr(s.agent, k) for k in _AGENT}
    return out


def _past(s) -> dict | list:
    """A past session: ``[login, id]`` once its record is written (bound.compact_past), else the whole session."""
    return list(s) if type(s) is tuple else _session(s)


def _unsession(d: dict, tenant) -> Session:
    s = Session.__new__(Session)
    for k in _SESSION:
        setattr(s, k, d[k])
    a = d["agent"]
    known = tenant.agents.get(a["id"])
    s.agent = known if known is not None and dataclasses.asdict(known) == a else Agent(**a)
    return s


def _rng(r: random.Random) -> list:
    version, internal, gauss = r.getstate()
    return [version, list(internal), gauss]


def _unrng(state) -> random.Random:
    r = random.Random()
    r.setstate((state[0], tuple(state[1]), state[2]))
    return r


def _next_seq(c) -> int:
    n = next(c.seq)
    c.seq = itertools.count(n)
    return n


def _entry(e) -> list:
    return [e[0], e[1], e[2], list(e[3])]


def _live_part(c) -> dict:
    """What is small and written whole: time, generators, live task ids, waiting lines, extras."""
    return {"time": c.time, "rng": _rng(c.rng), "erng": _rng(c.erng), "seq": _next_seq(c),
            "ringTimeoutMs": c.ring_timeout_ms, "live": list(c.live), "available": _available(c),
            "waiting": {q: list(line) for q, line in c.router.waiting.items()},
            "extras": c.extras, "known": c.tenant.known, "routes": c.tenant.routes,
            "horizon": {k: list(h) if h is not None else None for k, h in c.horizon.items()}}


def _available(c) -> list:
    """Available agents as their places in the sessions' order (small numbers, not ids: written on every line)."""
    place = {aid: i for i, aid in enumerate(c.sessions)}
    return [place.get(aid, aid) for aid in c.available]


def _sessions(c, whole: bool) -> dict:
    """The logged-in sessions: all (``whole``), else those whose state differs from the last one written (each is
    compared as JSON: a session changes in more places than are marked), and their order either way."""
    written, now, out = c.written_sessions, {}, []
    for s in c.sessions.values():
        d = _session(s)
        raw = orjson.dumps(d)
        now[s.id] = raw
        if whole or written.get(s.id) != raw:
            out.append(d)
    c.written_sessions = now
    order = list(c.sessions)
    same = not whole and order == c.written_order
    c.written_order = order
    return {"sessions": out, "sessionOrder": None if same else order}  # None: as in the last line


def _heap(c, whole: bool) -> dict:
    """Pending events: all, in order (``whole``), else how many of those written were run since (always the
    earliest ones: the heap runs its least entry first) and the entries scheduled since that are still pending."""
    seq, count = c.written_heap or (0, 0)
    c.written_heap = (_next_seq(c), len(c.heap))
    if whole:
        return {"heap": [_entry(e) for e in sorted(c.heap)]}
    older = sum(1 for e in c.heap if e[1] < seq)
    return {"heapRun": count - older, "heapAdded": [_entry(e) for e in sorted(e for e in c.heap if e[1] >= seq)]}


def dump(c, history) -> dict:
    """The whole state of a center and its org's history (records as stored)."""
    c.flush()
    out = {"format": FORMAT, "full": True, **_live_part(c), **_sessions(c, True), **_heap(c, True),
           "tasks": [_task(t) for t in c.tasks.values()], "order": [list(x) for x in c.order],
           "past": [_past(s) for s in c.past_sessions],
           "activities": [list(a) for a in c.activities], "marks": [list(m) for m in c.marks],
           "records": history.export(c.org_id)}
    c.persisted = _marker(c)
    c.forgot = bound.nothing_forgotten()
    c.changed.clear()
    c.changed_sessions.clear()
    return out


def snapshot(c, history) -> dict:
    """``dump`` for an org snapshot: what the log has written so far stays as it was (the next log line still
    carries everything changed since the last one)."""
    c.flush()
    saved = (c.persisted, set(c.changed), set(c.changed_sessions), c.written_sessions, c.written_heap,
             c.written_order, c.forgot)
    try:
        return dump(c, history)
    finally:
        (c.persisted, c.changed, c.changed_sessions, c.written_sessions, c.written_heap,
         c.written_order, c.forgot) = saved


def _marker(c) -> dict:
    return {"order": len(c.order), "past": len(c.past_sessions), "activities": len(c.activities),
            "marks": len(c.marks)}


def delta(c, history) -> dict:
    """What changed since the last dump/delta: tails of the append-only lists, the tasks, records and sessions
    that changed, the pending events added and how many ran; the small live part whole."""
    c.flush()
    mark = c.persisted or _marker(c)
    if c.written_heap is None or any(len(getattr(c, name)) < n for name, n in (
            ("order", mark["order"]), ("past_sessions", mark["past"]), ("activities", mark["activities"]),
            ("marks", mark["marks"]))):
        return dump(c, history)  # never written whole, or a list was cut at its head: the whole state once
    # The tasks flushed since, and every live one whole (in flight: few, and cheap to write again).
    # New tasks in creation order (c.order's tail: the order of c.tasks), then the others (they keep their place).
    new = [tid for _, tid in c.order[mark["order"]:]]
    old = sorted((c.changed | set(c.live)) - set(new))
    tasks = [c.tasks[tid] for tid in new + old if tid in c.tasks]
    out = {"format": FORMAT, "full": False, **_live_part(c), **_sessions(c, False), **_heap(c, False),
           "forgot": c.forgot, "tasks": [_task(t) for t in tasks],
           "order": [list(x) for x in c.order[mark["order"]:]],
           "past": [_past(s) for s in c.past_sessions[mark["past"]:]],
           "activities": [list(a) for a in c.activities[mark["activities"]:]],
           "marks": [list(m) for m in c.marks[mark["marks"]:]],
           "records": history.export(c.org_id, ids={"task": {t.id for t in tasks},
                                                    "agentSession": set(c.changed_sessions)})}
    c.persisted = _marker(c)
    c.forgot = bound.nothing_forgotten()
    c.changed.clear()
    c.changed_sessions.clear()
    return out


def load(state: dict, center_factory, history):
    """A center from ``dump``'s output (``center_factory()`` builds an empty one on the current tenant view)."""
    if not isinstance(state, dict) or state.get("format") != FORMAT or state.get("full") is not True:
        raise BadState("activity: expected the full state written by this server (format 1).")
    c = center_factory()
    try:
        c.tasks, c.order, c.past_sessions = {}, Keys(), []
        c.activities.clear()
        c.marks.clear()
        apply(c, state, history, fresh=True)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise BadState(f"activity: not a state this server wrote ({type(exc).__name__}: {exc}).") from None
    return c


def _in_time_order(rows, column: int, since: int, name: str) -> None:
    """The rows added from ``since`` on keep ``column`` ascending (a span's end, a mark's time: the center's time
    when they were written, which never goes back), else the state is not one this server wrote."""
    times = (row[column] for row in rows.iter_from(max(0, since - 1)))  # read as compared, not copied
    if any(b < a for a, b in itertools.pairwise(times)):
        raise ValueError(f"{name}: not in time order")


def apply(c, state: dict, history, fresh: bool = False) -> None:
    """Bring a center forward by a ``delta`` (or fill an empty one from a ``dump``)."""
    tenant = c.tenant
    c.time, c.rng, c.erng = int(state["time"]), _unrng(state["rng"]), _unrng(state["erng"])
    c.seq = itertools.count(int(state["seq"]))
    c.ring_timeout_ms = int(state["ringTimeoutMs"])
    bound.replay(c, state.get("forgot"))  # before the new entries: what went was written before them
    for d in state["tasks"]:
        t = _untask(d)
        c.tasks[t.id] = t
    c.live = {tid: c.tasks[tid] for tid in state["live"]}
    c.order.extend((int(t), str(tid)) for t, tid in state["order"])
    past = [tuple(d) if isinstance(d, list) else _unsession(d, tenant) for d in state["past"]]
    c.past_sessions.extend(past)
    sessions = {} if state["full"] else dict(c.sessions)
    order = state["sessionOrder"] if state["sessionOrder"] is not None else list(c.sessions)
    sessions.update((s.agent.id, s) for s in (_unsession(d, tenant) for d in state["sessions"]))
    c.sessions = {aid: sessions[aid] for aid in order}
    c.written_sessions = {s.id: orjson.dumps(_session(s)) for s in c.sessions.values()}
    c.written_order = list(order)
    c.available = dict.fromkeys(order[x] if isinstance(x, int) else x for x in state["available"])
    spans_before, marks_before = len(c.activities), len(c.marks)
    c.activities.extend(tuple(a) for a in state["activities"])
    c.marks.extend(tuple(m) for m in state["marks"])
    _in_time_order(c.activities, 5, spans_before, "activities")  # readers bisect them (reports.marks_between,
    _in_time_order(c.marks, 0, marks_before, "marks")  # records.activity_rows, bound.follow)
    entries = lambda rows: [(int(w), int(q), str(k), tuple(a)) for w, q, k, a in rows]  # noqa: E731
    if state["full"]:
        c.heap = entries(state["heap"])  # in order: a sorted list is a heap
    else:
        kept = sorted(c.heap)[int(state["heapRun"]):]
        c.heap = sorted(kept + entries(state["heapAdded"]))
    c.written_heap = (int(state["seq"]), len(c.heap))
    c.router.waiting = {q: deque(line) for q, line in state["waiting"].items()}
    c.extras = state["extras"]
    tenant.known.update(state["known"])
    tenant.routes.update(state["routes"])
    c.router.rebuild()
    horizons = state.get("horizon")  # absent from states written before the bound reached the center
    if horizons is not None:
        c.horizon = {k: tuple(h) if h is not None else None for k, h in horizons.items()}
    history.restore(c.org_id, state["records"], replace=fresh, horizons=horizons)
    c.persisted = _marker(c)
    c.forgot = bound.nothing_forgotten()
    c.changed.clear()
    c.changed_sessions.clear()
