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
from operator import itemgetter

_TIME = itemgetter(0)


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
    end = bisect.bisect_right(order, horizon[0], key=_TIME)
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
