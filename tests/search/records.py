"""A realistic day of contact center records, as the simulation writes them (runtime facts 2.9 field names):
contacts (CSR with their CAR activities) and agent sessions (ASR with channelInfo and AAR), deterministic."""
from __future__ import annotations

import random
import uuid

QUEUES = [("q-sales", "Sales"), ("q-support", "Support"), ("q-billing", "Billing"), ("q-chat", "Web Chat")]
TEAMS = [("team-a", "Team Alpha"), ("team-b", "Team Bravo")]
SITE = {"id": "site-1", "name": "Berlin"}
ENTRY = {"id": "ep-main", "name": "Main Line"}
CHANNELS = [("telephony", 6), ("chat", 3), ("email", 1)]


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def agents(n: int, rng: random.Random) -> list[dict]:
    """``n`` agents spread over the teams."""
    return [{"id": _id(rng), "name": f"Agent {i:03d}", "team": TEAMS[i % len(TEAMS)], "phone": f"+4930555{i:04d}"}
            for i in range(n)]


def _activities(task: dict, t0: int, steps: list[tuple[str, int]], agent: dict | None, queue) -> list[dict]:
    out, t = [], t0
    for event, duration in steps:
        out.append({"id": f"{task['id']}-{t}-{event}", "eventName": event, "createdTime": t, "endedTime": t + duration,
                    "duration": duration, "isActive": False, "queueId": queue[0], "queueName": queue[1],
                    "agentId": agent["id"] if agent and event in ("connected", "WrapUp") else None,
                    "entrypointId": ENTRY["id"], "entrypointName": ENTRY["name"]})
        t += duration
    return out


def contact(rng: random.Random, created: int, staff: list[dict], now: int | None = None) -> dict:
    """One contact: queued, then answered (or abandoned), talked, wrapped up; still live when ``now`` cuts it."""
    channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
    queue = QUEUES[3] if channel == "chat" else rng.choice(QUEUES[:3])
    selfservice = rng.randint(5_000, 40_000) if channel == "telephony" else 0
    queued = rng.randint(2_000, 180_000)
    abandoned = rng.random() < 0.08
    agent = None if abandoned else rng.choice(staff)
    ringing = 0 if abandoned else rng.randint(1_000, 9_000)
    talk = 0 if abandoned else rng.randint(60_000, 900_000)
    hold = 0 if abandoned or rng.random() < 0.7 else rng.randint(5_000, 120_000)
    wrapup = 0 if abandoned else rng.randint(5_000, 60_000)
    task = {"id": _id(rng), "createdTime": created, "channelType": channel, "direction": "inbound",
            "origin": f"+4917{rng.randint(10**7, 10**8 - 1)}" if channel == "telephony"
            else f"c{rng.randint(1, 9999)}@mail.example",
            "destination": "+493055500000" if channel == "telephony" else "support@acme.example",
            "lastEntryPoint": dict(ENTRY), "lastSite": dict(SITE), "lastQueue": {"id": queue[0], "name": queue[1],
                                                                                  "duration": queued},
            "queueDuration": queued, "queueCount": 1, "selfserviceDuration": selfservice,
            "selfserviceCount": 1 if selfservice else 0, "ringingDuration": ringing, "connectedDuration": talk,
            "holdDuration": hold, "holdCount": 1 if hold else 0, "wrapupDuration": wrapup,
            "connectedCount": 0 if abandoned else 1, "isContactOffered": not abandoned,
            "isContactHandled": not abandoned, "isWithInServiceLevel": queued <= 30_000,
            "terminationType": "abandoned" if abandoned else "normal",
            "terminatingEnd": "customer" if abandoned or rng.random() < 0.6 else "agent",
            "globalVariables": {"Language": rng.choice(["de", "en", "fr"]), "Score": rng.randint(1, 5)}}
    if agent:
        task["lastAgent"] = {"id": agent["id"], "name": agent["name"], "phoneNumber": agent["phone"]}
        task["owner"] = {"id": agent["id"], "name": agent["name"]}
        task["lastTeam"] = {"id": agent["team"][0], "name": agent["team"][1]}
        task["lastWrapupCodeName"] = rng.choice(["Sale", "Info", "Complaint"])
    steps = [("new", 0), ("parked", queued)] + ([] if abandoned else [
        ("connect", ringing), ("connected", talk + hold), ("WrapUp", wrapup)])
    total = selfservice + queued + ringing + talk + hold + wrapup
    ended = created + total
    live = now is not None and ended > now
    if live:  # cut at `now`: the contact is still where it is then
        elapsed, state = now - created - selfservice, "parked"
        for event, duration in steps[1:]:
            if elapsed < duration:
                state = {"parked": "parked", "connect": "connected", "connected": "connected",
                         "WrapUp": "wrapup"}[event]
                break
            elapsed -= duration
        task.update(status=state, isActive=True, endedTime=None, totalDuration=None)
        if state == "parked":
            task.update({k: None for k in ("lastAgent", "owner", "lastTeam")})
            task.update(connectedCount=0, isContactHandled=False)
    else:
        task.update(status="ended", isActive=False, endedTime=ended, totalDuration=total)
        steps.append(("ended", 0))
    task["activities"] = _activities(task, created + selfservice, steps, agent, queue)
    return task


def session(rng: random.Random, agent: dict, start: int, hours: float, now: int | None = None) -> dict:
    """One agent's login session with its telephony, chat and email channels."""
    end = start + int(hours * 3_600_000)
    live = now is not None and end > now
    sid = _id(rng)
    channels = []
    for channel in ("telephony", "chat", "email"):
        connected = rng.randint(0, 20)
        channels.append({"channelId": _id(rng), "channelType": channel,
                         "currentState": rng.choice(["idle", "available", "connected"]) if live else "idle",
                         "connectedCount": connected, "connectedDuration": connected * rng.randint(60_000, 400_000),
                         "idleCount": rng.randint(0, 6), "idleDuration": rng.randint(0, 3_600_000),
                         "ringingCount": connected, "ringingDuration": connected * rng.randint(1_000, 8_000),
                         "wrapupCount": connected, "wrapupDuration": connected * rng.randint(5_000, 40_000),
                         "activities": [{"id": f"{sid}-{channel}-{start}-login", "state": "idle", "startTime": start,
                                         "endTime": start + 60_000, "duration": 60_000, "isLoginActivity": True,
                                         "idleCode": {"id": "idle-meeting", "name": "Meeting"}}]})
    return {"agentSessionId": sid, "agentId": agent["id"], "agentName": agent["name"], "teamId": agent["team"][0],
            "teamName": agent["team"][1], "siteId": SITE["id"], "siteName": SITE["name"], "startTime": start,
            "endTime": None if live else end, "isActive": live, "state": "logged_in" if live else "logged_out",
            "channelInfo": channels}


def day(start_ms: int, n_agents: int = 20, contacts: int = 400, seed: int = 7, now: int | None = None):
    """``(tasks, sessions, agents)`` of one day from ``start_ms``: contacts between 08:00 and 18:00."""
    rng = random.Random(seed)
    staff = agents(n_agents, rng)
    opening, closing = start_ms + 8 * 3_600_000, start_ms + 18 * 3_600_000
    times = sorted(rng.randint(opening, closing) for _ in range(contacts))
    tasks = [contact(rng, t, staff, now) for t in times if now is None or t <= now]
    sessions = [session(rng, a, opening + rng.randint(0, 1_800_000), rng.choice([4, 8, 9.5]), now)
                for a in staff if now is None or opening <= now]
    return tasks, sessions, staff


def load(history, org: str, tasks, sessions) -> None:
    """Write the records the way the simulation does."""
    for t in tasks:
        history.put_task(org, t)
    for s in sessions:
        history.put_agent_session(org, s)
