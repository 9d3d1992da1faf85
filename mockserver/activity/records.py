"""History records in the Search API's data-dictionary names (webex-cc-runtime-facts.md 2.9): a task (CSR) and
an agent session (ASR) as the simulation writes them, and the activity rows of ``/v1/agents/activities``."""
from __future__ import annotations

from . import machine
from .model import CHANNEL_STATES, TASK_DURATION

#: The fields of one activity span (a tuple, to keep a month of a large center in memory).
ACTIVITY = ("agentId", "agentSessionId", "channelType", "state", "startTime", "endTime", "taskId", "queueId",
            "idleCode", "wrapupCode", "teamId", "siteId", "agentDn", "reason")
_SEARCH_STATUS = {"new": "created", "queued": "parked", "offered": "parked", "wrapup": "ended",
                  "completed": "ended", "abandoned": "ended", "overflowed": "ended"}


_DURATIONS = tuple(TASK_DURATION.values())
_COUNTS = ("queueCount", "holdCount", "connectedCount", "consultCount", "conferenceCount", "transferCount",
           "blindTransferCount", "overflowCount", "pausedCount", "resumedCount", "recordingCount")
_NO_DURATIONS, _NO_COUNTS = (0,) * len(_DURATIONS), (0,) * len(_COUNTS)


def _ref(tenant, kind: str, oid) -> dict | None:
    return {"id": oid, "name": tenant.name(kind, oid)} if oid else None


def task_record(center, task) -> dict:
    """The CSR of a task as it stands now (durations in ms, including the time in its current state)."""
    t, now = center.tenant, center.time
    acc = dict(task.acc)
    running = TASK_DURATION.get(task.state)
    if running:
        acc[running] = acc.get(running, 0) + now - task.since
    agent = t.agents.get(task.owner or (task.agents[-1] if task.agents else ""))
    session = center.sessions.get(agent.id) if agent else None
    team = session.team_id if session else (agent.team_ids[0] if agent else None)
    ended = task.ended
    rec = {
        "id": task.id, "status": _SEARCH_STATUS.get(task.state, "connected"), "channelType": task.channel,
        "createdTime": task.created, "endedTime": ended, "lastActivityTime": task.updated,
        "isActive": task.state not in machine.TERMINAL and task.state != "wrapup",
        "origin": task.origin, "destination": task.destination, "direction": task.direction,
        "owner": _ref_agent(agent), "lastAgent": _ref_agent(agent, session),
        "lastQueue": {**_ref(t, "queue", task.queue), "duration": acc.get("queueDuration", 0)} if task.queue else None,
        "previousQueue": _ref(t, "queue", task.prev_queue), "firstQueueId": task.first_queue,
        "firstQueueName": t.name("queue", task.first_queue),
        "lastTeam": _ref(t, "team", team), "lastSite": _ref(t, "site", agent.site_id if agent else None),
        "lastEntryPoint": _ref(t, "entryPoint", task.ep),
        "terminationType": task.termination, "terminatingEnd": task.terminating_end,
        "abandonedType": ("ringing" if "ringingDuration" in acc else "queue") if task.state == "abandoned" else None,
        "lastWrapUpCodeId": task.wrapup_code,
        "lastWrapupCodeName": (t.wrapup_codes.get(task.wrapup_code) or {}).get("name") if task.wrapup_code else None,
        "isContactHandled": task.handled, "isContactOffered": "ringingDuration" in acc or task.handled,
        "isWithInServiceLevel": _in_sl(t, task, acc),
        "isOutdial": task.direction == "outdial", "isCallback": task.outbound_type == "CALLBACK",
        "isCampaign": task.campaign_id is not None, "campaignId": task.campaign_id,
        "isMonitored": task.monitored is not None, "captureRequested": task.capture,
        "outdialType": task.outbound_type,
        "totalDuration": (task.closed or now) - task.created,
        "attributes": dict(task.attributes),
    }
    rec.update(zip(_DURATIONS, map(acc.get, _DURATIONS, _NO_DURATIONS)))  # (a loop's cost without its steps)
    rec.update(zip(_COUNTS, map(task.counts.get, _COUNTS, _NO_COUNTS)))
    return rec


def _in_sl(tenant, task, acc) -> bool:
    threshold = int((tenant.queues.get(task.queue) or {}).get("serviceLevelThreshold") or 0) * 1000
    return task.handled and acc.get("queueDuration", 0) <= threshold


def _ref_agent(agent, session=None) -> dict | None:
    if agent is None:
        return None
    out = {"id": agent.id, "name": agent.name}
    if session is not None:
        out.update(signInId=agent.email, sessionId=session.id, phoneNumber=session.dn)
    return out


def session_record(center, s) -> dict:
    """The ASR of an agent session with one ``channelInfo`` entry per channel the agent may work on."""
    t, now = center.tenant, center.time
    active = s.state != "LoggedOut"
    end = s.logout if not active else None
    info = []
    for ch, (state, since, _tid) in s.channels.items():
        stats = dict(s.stats.get(ch, {}))
        if active:
            stats[state + "Duration"] = stats.get(state + "Duration", 0) + now - since
        entry = {"channelId": s.channel_ids[ch], "channelType": ch, "currentState": state if active else "logged_out",
                 "idleCodeName": (t.idle_codes.get(s.aux) or {}).get("name") if state == "idle" else None,
                 "agentPhoneNumber": s.dn, "totalDuration": (end or now) - s.login, "lastActivityTime": since}
        for st in CHANNEL_STATES:
            entry[st + "Count"] = stats.get(st + "Count", 0)
            entry[st + "Duration"] = stats.get(st + "Duration", 0)
        for name in ("notRespondedCount", "transferCount", "offeredCount", "acceptedCount", "rejectedCount",
                     "assignedCount"):
            entry[name] = stats.get(name, 0)
        info.append(entry)
    return {"agentSessionId": s.id, "agentId": s.agent.id, "agentName": s.agent.name, "userLoginId": s.agent.email,
            "agentSignOutReason": s.reason if not active else None, "isActive": active, "startTime": s.login,
            "endTime": end, "state": "logged_in" if active else "logged_out", "siteId": s.site_id,
            "siteName": t.name("site", s.site_id), "teamId": s.team_id, "teamName": t.name("team", s.team_id),
            "orgId": center.org_id, "channelInfo": info}


def activity_rows(center, start: int, end: int):
    """Closed spans overlapping ``[start, end)`` and the open span of every live channel, as dicts. Spans are
    appended as they close, at the center's time, so their ends ascend: the first that ends after ``start`` is
    found by bisecting (``Columns.first_from``) and the spans that ended before the window are not read (a month
    of the generated 600-user tenant holds a million)."""
    spans = center.activities
    for row in spans.iter_from(spans.first_from(5, start + 1)):
        if row[4] < end:
            yield dict(zip(ACTIVITY, row)), False
    for s in list(center.sessions.values()):
        for ch, (state, since, tid) in s.channels.items():
            if since < end:
                task = center.tasks.get(tid) if tid else None
                yield dict(zip(ACTIVITY, (s.agent.id, s.id, ch, state, since, -1, tid, task.queue if task else None,
                                          s.aux if state == "idle" else None, task.wrapup_code if task else None,
                                          s.team_id, s.site_id, s.dn, s.reason))), True
