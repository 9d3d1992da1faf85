"""Reads computed from a center: the task list, agent activities and statistics, queue statistics, EWT.

Interval statistics follow the vendor's rule (facts 7): start-time counts fall in the interval where they
started, end-time figures (waits, handle times) in the interval where they ended; durations of states are
clipped to each interval.

What they count is what the center keeps: past ``MOCKSERVER_ACTIVITY_HISTORY_SIZE`` the oldest ended tasks, past
sessions, marks and spans are forgotten with their history records (``activity/bound.py``), so the task list,
activities and statistics of a window older than the kept horizon show only what remains of it.
"""
from __future__ import annotations

import statistics as pystats
from collections import defaultdict

import orjson

from ..activity import ended, records
from ..activity.ended import Ended
from ..activity.machine import Refused

DAY = 86_400_000
_15 = 900_000


def _window(args, limit_ms: int, now: int, need_to: bool = False) -> tuple[int, int]:
    start = args["from_"]
    end = args.get("to", now) if not need_to else args["to"]
    if end <= start:
        raise Refused(400, "INVALID_WINDOW", "to: must be later than from.")
    if end - start >= limit_ms:
        raise Refused(400, "INVALID_WINDOW", f"from/to: the window must be shorter than {limit_ms // 3_600_000} hours.")
    return start, end


def task_list(c, args, now: int) -> list[bytes]:
    """``GET /v1/tasks``: tasks created in the window, oldest first, at most ``pageSize`` (facts 4.1), each as its
    JSON: an ended task's is stored (``activity/ended.py``), a live one's made now."""
    start = args["from_"]
    end = args.get("to", now)
    if end <= start:
        raise Refused(400, "INVALID_WINDOW", "to: must be later than from.")
    if end - start > 184 * DAY or start < now - 366 * DAY:
        raise Refused(400, "INVALID_WINDOW", "from/to: the window is at most 184 days, from at most 12 months ago.")
    channels = set(args.get("channelTypes") or ())
    out = []
    append = out.append
    order, tasks, size = c.order, c.tasks, args["pageSize"]
    lo, hi = order.left(start), order.left(end)  # no scan of the tasks before ``from``
    if not channels:  # every task of the window is listed: the page is its first ``size`` ids (no longer slice)
        hi = min(hi, lo + size)
    for tid in order.ids[lo:hi]:
        task = tasks[tid]
        if channels and task.channel not in channels:
            continue
        if type(task) is not Ended:
            append(orjson.dumps(ended.item(c, task)))
        elif task.form is not None and not task.capture:  # ``item_bytes``, inline: most of the list's items
            append(task.form % (tid.encode(), task.item))
        else:
            append(task.item_bytes())
        if len(out) >= size:
            break
    return out


def task_page(c, org: str, args, now: int) -> bytes:
    """The body of ``GET /v1/tasks``: ``{meta, data}`` joined from the items' JSON (what ``orjson.dumps`` of the
    whole would give, without a dict per task)."""
    items = task_list(c, args, now)
    return b'{"meta":' + orjson.dumps({"orgId": org}) + b',"data":[' + b",".join(items) + b"]}"


def marks_between(c, start: int, end: int | None) -> list[tuple]:
    """The statistics marks of ``[start, end)`` (``end`` None: to now). Marks are appended at the center's time,
    which never goes back, so they are in time order and the window is found by bisecting their time column
    (``Columns.first_from``): a request reads its window's marks, not the whole history's (a month of the generated
    600-user tenant holds 1.4 million)."""
    marks = c.marks
    lo = marks.first_from(0, start)
    return marks[lo:marks.first_from(0, end) if end is not None else len(marks)]


def activities(c, args) -> list[dict]:
    start, end = _window(args, DAY, c.time)
    agents, teams = set(args.get("agentIds") or ()), set(args.get("teamIds") or ())
    channels = set(args.get("channelTypes") or ())
    t = c.tenant
    rows = []
    for row, active in records.activity_rows(c, start, end):
        if (agents and row["agentId"] not in agents) or (teams and row["teamId"] not in teams) \
                or (channels and row["channelType"] not in channels):
            continue
        agent = t.agents.get(row["agentId"])
        session = c.sessions.get(row["agentId"])
        rows.append({
            "active": active, "agentId": row["agentId"], "agentDn": row["agentDn"] or "",
            "agentLogin": agent.email if agent else "", "agentSessionId": row["agentSessionId"],
            "agentName": agent.name if agent else "", "currentState": row["state"], "siteId": row["siteId"] or "",
            "siteName": t.name("site", row["siteId"]), "teamId": row["teamId"] or "",
            "teamName": t.name("team", row["teamId"]), "isLogin": 1 if active else 0, "taskId": row["taskId"] or "",
            "channelId": (session.channel_ids.get(row["channelType"], "") if session else ""),
            "channelType": row["channelType"], "subChannelType": "",
            "idleCodeName": (t.idle_codes.get(row["idleCode"]) or {}).get("name", "") if row["idleCode"] else "",
            "idleCode": row["idleCode"] or "", "queueId": row["queueId"] or "",
            "queueName": t.name("queue", row["queueId"]),
            "wrapupCodeName": (t.wrapup_codes.get(row["wrapupCode"]) or {}).get("name", "") if row["wrapupCode"]
            else "", "reason": row["reason"] or "", "startTime": row["startTime"], "endTime": row["endTime"],
            "mmProfileType": "BLENDED" if sum(1 for v in agent.limits.values() if v) > 1 else "EXCLUSIVE"
            if agent else ""})
    rows.sort(key=lambda r: (r["startTime"], r["agentId"], r["channelType"]))
    if len(rows) > 10_000:
        raise Refused(413, "CONTENT_TOO_LARGE", "the window holds more than 10000 activities; narrow it.")
    size, page = args["pageSize"], args["page"]
    return rows[page * size:(page + 1) * size]


def _intervals(args, now) -> tuple[int, int, int]:
    start, end = _window(args, DAY, now, need_to=True)
    step = args["interval"] * 60_000
    start, end = start - start % _15, end - end % _15  # the vendor rounds both down to 15 minutes
    if end <= start:
        end = start + step
    return start, end, step


def _spans(c, start, end):
    """Every channel-state span (closed and open) overlapping the window."""
    for row, active in records.activity_rows(c, start, end):
        yield row["agentId"], row["channelType"], row["state"], row["startTime"], \
            (c.time if active else row["endTime"]), row["teamId"]


def agent_statistics(c, args) -> list[dict]:
    start, end, step = _intervals(args, c.time)
    wanted = set(args.get("agentIds") or ())
    cells: dict = defaultdict(lambda: defaultdict(int))
    handled: dict = defaultdict(list)
    teams: dict = {}
    field = {"connected": "totalEngagedDuration", "hold": "totalHoldDuration", "wrapup": "totalWrapUpDuration",
             "available": "totalAvailableTime", "idle": "totalUnAvailableTime"}
    for agent, ch, state, s0, s1, team in _spans(c, start, end):
        if (wanted and agent not in wanted) or state not in field:
            continue
        teams[agent] = team
        i = max(start, s0 - (s0 - start) % step)
        while i < min(s1, end):
            cells[(i, agent, ch)][field[state]] += min(s1, i + step, end) - max(s0, i)
            i += step
    names = {"offered": "totalOfferedTasks", "accepted": "totalAcceptedTasks", "rejected": "totalRejectedTasks",
             "transferred": "totalTransferredTasks"}
    for when, kind, agent, ch, _task, _queue, value in marks_between(c, start, end):
        if agent is None or (wanted and agent not in wanted):
            continue
        key = (when - (when - start) % step, agent, ch)
        if kind in names:
            cells[key][names[kind]] += 1
            if kind == "accepted":
                cells[key]["totalAssignedTasks"] += 1
        elif kind == "handled":
            handled[key].append(value)
    for key in handled:
        cells[key]  # a handled task makes its cell exist
    by_row: dict = defaultdict(list)
    for (i, agent, ch), vals in sorted(cells.items()):
        entry = {"channelType": ch, **{k: 0 for k in ("totalAssignedTasks", "totalOfferedTasks", "totalAcceptedTasks",
                                                       "totalRejectedTasks", "totalTransferredTasks",
                                                       "totalEngagedDuration", "totalHoldDuration",
                                                       "totalWrapUpDuration", "totalAvailableTime",
                                                       "totalUnAvailableTime")}, **vals}
        got = handled.get((i, agent, ch))
        entry["averageHandledTime"] = float(pystats.fmean(got)) if got else 0.0
        by_row[(i, agent)].append(entry)
    t = c.tenant
    out = []
    for (i, agent), channels in sorted(by_row.items()):
        team = teams.get(agent) or (t.agents[agent].team_ids[0] if agent in t.agents else "")
        out.append({"intervalStartTime": i, "agentId": agent,
                    "agentName": t.agents[agent].name if agent in t.agents else "", "teamId": team,
                    "teamName": t.name("team", team), "channels": channels})
    return out


def queue_statistics(c, args) -> list[dict]:
    start, end, step = _intervals(args, c.time)
    wanted = set(args.get("queueIds") or ())
    cells: dict = defaultdict(lambda: defaultdict(int))
    waits, handles, sl = defaultdict(list), defaultdict(list), defaultdict(lambda: [0, 0])
    names = {"offered": "totalOfferedTasks", "enqueued": "totalEnqueuedTasks", "accepted": "totalAcceptedTasks",
             "rejected": "totalRejectedTasks", "abandoned": "totalAbandonedTasks"}
    t = c.tenant
    for when, kind, _agent, ch, _task, queue, value in marks_between(c, start, end):
        if queue is None or (wanted and queue not in wanted):
            continue
        key = (when - (when - start) % step, queue, ch)
        if kind in names:
            cells[key][names[kind]] += 1
        if kind == "waited":
            waits[key].append(value)
        elif kind == "handled":
            handles[key].append(value)
        if kind in ("accepted", "abandoned"):
            threshold = int((t.queues.get(queue) or {}).get("serviceLevelThreshold") or 0) * 1000
            sl[key][1] += 1
            sl[key][0] += 1 if kind == "accepted" and value <= threshold else 0
        cells[key]
    out = []
    for (i, queue, ch), vals in sorted(cells.items()):
        met, total = sl[(i, queue, ch)]
        out.append({"intervalStartTime": i, "queueId": queue, "queueName": t.name("queue", queue), "channelType": ch,
                    **{k: 0 for k in names.values()}, **vals, "totalAssignedTasks": 0,  # deprecated: always 0
                    "averageEnqueuedTime": float(pystats.fmean(waits[(i, queue, ch)])) if waits[(i, queue, ch)]
                    else 0.0,
                    "averageHandledTime": float(pystats.fmean(handles[(i, queue, ch)])) if handles[(i, queue, ch)]
                    else 0.0,
                    "serviceLevelThresholdPercentage": round(100.0 * met / total, 2) if total else 0.0})
    return out


def ewt(c, queue_id: str, lookback_min: int, max_cv: int, min_valid: int) -> float | None:
    """Estimated wait (ms) from the waits that ended in the look-back window, or None (the vendor's 204) when
    the queue is unknown or the samples are too few or too spread ([U] the vendor's exact rule is not published:
    the mock wants at least ``minValidSamples`` percent of the window's contacts to have waited and the waits'
    coefficient of variation under ``maxCV`` percent, with at least two samples)."""
    if queue_id not in c.tenant.queues:
        return None
    since = c.time - lookback_min * 60_000
    recent = marks_between(c, since, None)
    waits = [v for (_when, kind, _a, _ch, _t, q, v) in recent if kind == "waited" and q == queue_id]
    seen = {tid for (_when, kind, _a, _ch, tid, q, _v) in recent if q == queue_id
            and kind in ("enqueued", "abandoned", "waited")}
    queued_now = [c.time - x.queued_at for x in c.router.queued(queue_id)]
    samples = waits + queued_now
    if len(samples) < 2 or 100 * len(samples) < min_valid * max(1, len(seen)):
        return None
    mean = pystats.fmean(samples)
    if mean > 0 and 100 * pystats.pstdev(samples) / mean > max_cv:
        return None
    return float(round(mean, 2))
