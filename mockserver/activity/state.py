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

from .model import NOBODY, Session, Task
from .tenant import Agent

FORMAT = 1
_TASK = Task.__slots__
_SESSION = tuple(s for s in Session.__slots__ if s != "agent")
_AGENT = tuple(f.name for f in dataclasses.fields(Agent))


class BadState(ValueError):
    """Not an activity state this server wrote (the snapshot was edited or is from another format)."""


def _task(t: Task) -> dict:
    out = {k: getattr(t, k) for k in _TASK}
    out["pending_wrapup"] = sorted(t.pending_wrapup)
    return out


def _untask(d: dict) -> Task:
    t = Task.__new__(Task)
    for k in _TASK:
        setattr(t, k, d[k])
    t.pending_wrapup = set(d["pending_wrapup"]) if d["pending_wrapup"] else NOBODY
    return t


def _session(s: Session) -> dict:
    out = {k: getattr(s, k) for k in _SESSION}
    out["agent"] = {k: getattr(s.agent, k) for k in _AGENT}
    return out


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


def _live_part(c) -> dict:
    """What is small and changes as a whole: time, generators, sessions, timers, waiting lines, extras."""
    return {"time": c.time, "rng": _rng(c.rng), "erng": _rng(c.erng), "seq": _next_seq(c),
            "ringTimeoutMs": c.ring_timeout_ms, "live": list(c.live),
            "sessions": [_session(s) for s in c.sessions.values()], "available": list(c.available),
            "heap": [[w, q, k, list(a)] for w, q, k, a in c.heap],
            "waiting": {q: list(line) for q, line in c.router.waiting.items()},
            "extras": c.extras, "known": c.tenant.known, "routes": c.tenant.routes}


def dump(c, history) -> dict:
    """The whole state of a center and its org's history (records as stored)."""
    c.flush()
    out = {"format": FORMAT, "full": True, **_live_part(c),
           "tasks": [_task(t) for t in c.tasks.values()], "order": [list(x) for x in c.order],
           "past": [_session(s) for s in c.past_sessions],
           "activities": [list(a) for a in c.activities], "marks": [list(m) for m in c.marks],
           "records": history.export(c.org_id)}
    c.persisted = _marker(c)
    c.changed.clear()
    return out


def _marker(c) -> dict:
    return {"order": len(c.order), "past": len(c.past_sessions), "activities": len(c.activities),
            "marks": len(c.marks)}


def delta(c, history) -> dict:
    """What changed since the last dump/delta (tails of the append-only lists; the live part whole)."""
    c.flush()
    mark = c.persisted or _marker(c)
    if any(len(getattr(c, name)) < n for name, n in (("order", mark["order"]), ("past_sessions", mark["past"]),
                                                     ("activities", mark["activities"]), ("marks", mark["marks"]))):
        return dump(c, history)  # a list was cut at its head (history bounds): write the whole state once
    # The tasks flushed since, and every live one whole (in flight: few, and cheap to write again).
    # New tasks in creation order (c.order's tail: the order of c.tasks), then the others (they keep their place).
    new = [tid for _, tid in c.order[mark["order"]:]]
    old = sorted((c.changed | set(c.live)) - set(new))
    tasks = [c.tasks[tid] for tid in new + old if tid in c.tasks]
    out = {"format": FORMAT, "full": False, **_live_part(c), "tasks": [_task(t) for t in tasks],
           "order": [list(x) for x in c.order[mark["order"]:]],
           "past": [_session(s) for s in c.past_sessions[mark["past"]:]],
           "activities": [list(a) for a in c.activities[mark["activities"]:]],
           "marks": [list(m) for m in c.marks[mark["marks"]:]],
           "records": history.export(c.org_id, ids={"task": {t.id for t in tasks},
                                                    "agentSession": set(c.changed_sessions)})}
    c.persisted = _marker(c)
    c.changed.clear()
    c.changed_sessions.clear()
    return out


def load(state: dict, center_factory, history):
    """A center from ``dump``'s output (``center_factory()`` builds an empty one on the current tenant view)."""
    if not isinstance(state, dict) or state.get("format") != FORMAT or state.get("full") is not True:
        raise BadState("activity: expected the full state written by this server (format 1).")
    c = center_factory()
    try:
        c.tasks, c.order, c.past_sessions, c.activities, c.marks = {}, [], [], [], []
        apply(c, state, history, fresh=True)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise BadState(f"activity: not a state this server wrote ({type(exc).__name__}: {exc}).") from None
    return c


def apply(c, state: dict, history, fresh: bool = False) -> None:
    """Bring a center forward by a ``delta`` (or fill an empty one from a ``dump``)."""
    tenant = c.tenant
    c.time, c.rng, c.erng = int(state["time"]), _unrng(state["rng"]), _unrng(state["erng"])
    c.seq = itertools.count(int(state["seq"]))
    c.ring_timeout_ms = int(state["ringTimeoutMs"])
    for d in state["tasks"]:
        t = _untask(d)
        c.tasks[t.id] = t
    c.live = {tid: c.tasks[tid] for tid in state["live"]}
    c.order.extend(tuple(x) for x in state["order"])
    past = [_unsession(d, tenant) for d in state["past"]]
    c.past_sessions.extend(past)
    c.sessions = {s.agent.id: s for s in (_unsession(d, tenant) for d in state["sessions"])}
    c.available = dict.fromkeys(state["available"])
    c.activities.extend(tuple(a) for a in state["activities"])
    c.marks.extend(tuple(m) for m in state["marks"])
    c.heap = [(int(w), int(q), str(k), tuple(a)) for w, q, k, a in state["heap"]]
    c.router.waiting = {q: deque(line) for q, line in state["waiting"].items()}
    c.extras = state["extras"]
    tenant.known.update(state["known"])
    tenant.routes.update(state["routes"])
    c.router.rebuild()
    history.restore(c.org_id, state["records"], replace=fresh)
    c.persisted = _marker(c)
    c.changed.clear()
    c.changed_sessions.clear()
