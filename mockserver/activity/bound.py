"""The history's bound reaches the center: when the history drops its oldest records, the center forgets the same
ended tasks, the past sessions whose records went, and the statistics marks and activity spans older than the
kept horizon, so that a long run levels off instead of keeping every contact it ever made.

The horizon of a kind is the newest ``(time, id)`` the history dropped (``History.horizon``); the kept horizon is
the later time of the two kinds'. Live tasks and sessions are never forgotten, nor an ended task a logged-in
agent still holds (a wrap-up left to do, a channel showing it). What was already written to the ``--storage`` log
and is forgotten is noted in ``center.forgot`` for the next ``state.delta`` (the rest never reached the log), and
``center.persisted`` (how many entries of each list were written) counts only what is still there, so a delta's
tails stay the entries not written yet.
"""
from __future__ import annotations

import bisect


def foresee(c, keys: list, to_ms: int | None, start: bool = False) -> tuple[set, bool]:
    """Within an advance up to ``to_ms``: of a flush's task keys ``(created, id)`` (sorted), the ids whose records
    the history's bound is sure to drop before the advance ends (``History.spare``: they need not be built), and
    ``c.forget_before``: the time before which the marks and spans added from now on are sure to be forgotten by
    then (they need not be kept); beside the ids, whether the bound keeps the flush's other records through it
    (a hint for the search view's batch). Nothing read in between could see either: an advance runs under the center's
    lock, and the center forgets what the bound dropped as it ends (``follow``).

    The tasks sure to come are the arrivals waiting in the feed up to ``to_ms`` (each one a new task created at
    its time; those at the present left out: one may sort before a key of now). Past the records sure to be
    dropped, the ``j``-th of those arrivals bounds the horizon reached, when nothing else creates tasks in the
    advance (``c.foreseen``: no arrival or callback due in the heap before ``to_ms``; the handlers schedule none)."""
    feed = c.feed
    if to_ms is None or not feed or not c.feed_arrivals:
        return c.history.spare(c.org_id, keys, 0, c.time)[::2] if keys else (set(), False)
    if start:
        c.foreseen = not any(e[2] in _CREATING and e[0] <= to_ms for e in c.heap)
    lo = bisect.bisect_left(feed, -to_ms, key=_LATEST_FIRST)  # the feed is sorted latest first
    hi = bisect.bisect_left(feed, -c.time, key=_LATEST_FIRST)
    spared, beyond, kept = c.history.spare(c.org_id, keys, max(0, hi - lo), c.time)
    beyond -= len(feed) - hi  # the arrivals due now come before the later ones
    if c.foreseen and beyond > 0:
        c.forget_before = max(c.forget_before, feed[hi - beyond][0])
    return spared, kept


def _LATEST_FIRST(entry: tuple) -> int:  # noqa: N802 (a sort key)
    return -entry[0]


#: The scheduled events that create tasks (``foresee``).
_CREATING = ("arrive", "callback_due")


def nothing_forgotten() -> dict:
    return {"tasks": [], "past": [], "marks": 0, "activities": 0}


def follow(c) -> None:
    """Forget what the history's bound dropped since the center last followed it (cheap when nothing was)."""
    task_h = c.history.horizon(c.org_id, "task")
    session_h = c.history.horizon(c.org_id, "agentSession")
    if task_h == c.horizon["task"] and session_h == c.horizon["agentSession"]:
        return
    written = c.persisted
    note = c.track_changes and written is not None
    if task_h is not None and task_h != c.horizon["task"]:
        _tasks(c, task_h, written, note)
    if session_h is not None and session_h != c.horizon["agentSession"]:
        _past(c, session_h, written, note)
    c.horizon = {"task": task_h, "agentSession": session_h}
    kept_from = max(h[0] for h in (task_h, session_h) if h is not None)
    for name, column in (("marks", 0), ("activities", 5)):  # a mark's time, a span's end: both ascending
        rows = getattr(c, name)
        cut = rows.first_from(column, kept_from)
        if not cut:
            continue
        del rows[:cut]
        if written is not None:
            gone = min(cut, written[name])
            written[name] -= gone
            if note:
                c.forgot[name] += gone


def _tasks(c, horizon: tuple, written, note: bool) -> None:
    """Ended tasks at or before the horizon go from ``tasks`` and ``order`` (the live ones keep their place)."""
    held = set(c.live)
    for s in c.sessions.values():
        held.update(s.tasks)
        held.update(ch[2] for ch in s.channels.values() if ch[2])
    order = c.order
    end = order.right(horizon[0])
    limit = written["order"] if written is not None else 0
    kept, gone_written = [], 0
    for i in range(end):
        entry = order[i]
        if entry > horizon or entry[1] in held:
            kept.append(entry)
            continue
        c.tasks.pop(entry[1], None)
        c.changed.discard(entry[1])
        if i < limit:
            gone_written += 1
            if note:
                c.forgot["tasks"].append(entry[1])
    order[:end] = kept
    if written is not None:
        written["order"] -= gone_written


def _past(c, horizon: tuple, written, note: bool) -> None:
    """Past sessions whose records went (started at or before the horizon)."""
    limit = written["past"] if written is not None else 0
    kept, gone_written = [], 0
    for i, s in enumerate(c.past_sessions):
        key = s if type(s) is tuple else (s.login, s.id)
        if key > horizon:
            kept.append(s)
            continue
        if i < limit:
            gone_written += 1
            if note:
                c.forgot["past"].append(key[1])
    c.past_sessions[:] = kept
    if written is not None:
        written["past"] -= gone_written


def compact_past(c) -> None:
    """Past sessions whose records are written are kept as ``(login, id)``: nothing reads a logged-out session
    again but its record (about 5 KB of objects each, with its per-channel statistics, for 60 bytes). The new ones
    are at the end of the list."""
    past = c.past_sessions
    i = len(past) - 1
    while i >= 0 and type(past[i]) is not tuple:
        past[i] = (past[i].login, past[i].id)
        i -= 1


def replay(c, forgot: dict | None) -> None:
    """What a ``state.delta`` says the writer forgot, forgotten here too (before its new entries are added)."""
    if not forgot:
        return
    tasks = set(forgot["tasks"])
    if tasks:
        for tid in tasks:
            c.tasks.pop(tid, None)
        c.order[:] = [x for x in c.order if x[1] not in tasks]
    past = set(forgot["past"])
    if past:
        c.past_sessions[:] = [s for s in c.past_sessions if (s[1] if type(s) is tuple else s.id) not in past]
    del c.marks[:int(forgot["marks"])]
    del c.activities[:int(forgot["activities"])]
