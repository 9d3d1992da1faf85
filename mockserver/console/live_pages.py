"""The live view of the signed-in person's organisation: each queue (waiting, longest wait, handled and abandoned in
the interval) and each logged-in agent (state, team, current task), refreshed by polling.

Read through the runtime APIs a client uses, with the person's token: ``/v1/queues/statistics``, the Search API's
wallboard query (docs/search.md), ``/v1/agents/activities`` and ``/v1/agents/statistics``; the controls call the
control API (``/_mock/activity``, ``/_mock/clock``). The page and the fragment its script polls are one view.
"""
from __future__ import annotations

from flask import redirect, request, url_for

from .client import call
from .harness_pages import FormError, form_number
from .web import bp, flash, me, render, signed_in

INTERVALS = (15, 30, 60)  # minutes, as /v1/queues/statistics and /v1/agents/statistics take them
REFRESH_MS = 3000  # how often the page's script asks for the fragment again
MAX_QUEUES = 100  # queues listed (one page of the configuration list)
MAX_ACTIVITY_PAGES = 10  # pages of 1000 activity rows: 2500 agents on four channels
DAY_MS = 86_400_000
#: The generator form's bounds: a demo's worth (8 entry points: at most about 40,000 contacts); the control API
#: itself takes more.
MAX_MINUTES, MAX_RATE = 480, 600
#: Busiest first: the state an agent shows when its channels differ (a call in progress beats chat availability).
STATE_ORDER = ("ringing", "connected", "hold", "wrapup", "available", "idle")
#: The Search API's wallboard query: unanswered contacts (queued or ringing, "parked") per queue, and the oldest.
WAITING = """query Waiting($from: Long!, $to: Long!) {
  task(from: $from, to: $to, timeComparator: createdTime,
       filter: { and: [ { isActive: { equals: true } }, { status: { equals: "parked" } } ] },
       aggregations: [ { field: "id", type: count, name: "waiting" },
                       { field: "createdTime", type: min, name: "oldest" } ]) {
    tasks { lastQueue { id name } aggregation { name value } }
  }
}"""


def _interval() -> int:
    """The interval asked for in the query string (15, 30 or 60 minutes), else 15."""
    raw = request.args.get("interval", "")
    return int(raw) if raw in {str(i) for i in INTERVALS} else INTERVALS[0]


def _rows(answer) -> list:
    """The ``data`` list of a runtime answer (empty when refused)."""
    body = answer.body if answer.ok and isinstance(answer.body, dict) else {}
    data = body.get("data")
    return data if isinstance(data, list) else []


def _queues(token: str, org: str, now: int, start: int, step: int) -> tuple[list, list]:
    """Queue rows (configuration, statistics of the interval, waiting now) and the reasons of refused reads."""
    stats = call("GET", "/v1/queues/statistics", token=token,
                 query={"from": start, "to": start + step, "interval": step // 60_000})
    waiting = call("POST", "/search", token=token, json={"query": WAITING,
                                                          "variables": {"from": now - DAY_MS + 1, "to": now + 1}})
    config = call("GET", f"/organization/{org}/v2/contact-service-queue", token=token,
                  query={"pageSize": MAX_QUEUES, "attributes": "id,name,channelType,queueType"})
    rows: dict = {}

    def row(qid: str, name: str = "") -> dict:
        return rows.setdefault(qid, {"id": qid, "name": name or qid, "channel": "", "type": "", "waiting": 0,
                                     "oldest": None, "enqueued": 0, "handled": 0, "abandoned": 0})

    for q in _rows(config):
        r = row(q.get("id", ""), q.get("name", ""))
        r["channel"], r["type"] = str(q.get("channelType", "")).lower(), q.get("queueType", "")
    for s in _rows(stats):
        r = row(s.get("queueId", ""), s.get("queueName", ""))
        r["channel"] = r["channel"] or s.get("channelType", "")
        r["enqueued"] += s.get("totalEnqueuedTasks", 0)
        r["handled"] += s.get("totalAcceptedTasks", 0)
        r["abandoned"] += s.get("totalAbandonedTasks", 0)
    found = waiting.body.get("data") if waiting.ok and isinstance(waiting.body, dict) else None
    for group in ((found or {}).get("task") or {}).get("tasks") or []:
        queue = group.get("lastQueue") or {}
        values = {a.get("name"): a.get("value") for a in group.get("aggregation") or []}
        if queue.get("id"):
            r = row(queue["id"], queue.get("name", ""))
            r["waiting"] = int(values.get("waiting") or 0)
            r["oldest"] = now - int(values["oldest"]) if values.get("oldest") is not None else None
    refused = [f"{what}: {a.reason}" for what, a in (("Queue statistics", stats), ("Contacts waiting", waiting),
                                                      ("Queues", config)) if not a.ok]
    return sorted(rows.values(), key=lambda r: (-r["waiting"], r["name"].lower())), refused


def _agents(token: str, now: int, start: int, step: int) -> tuple[list, list]:
    """One row per logged-in agent from its open activity spans (one per channel), with the interval's counts."""
    spans, refused = [], []
    for page in range(MAX_ACTIVITY_PAGES):  # open spans only: a window of the present millisecond
        answer = call("GET", "/v1/agents/activities", token=token,
                      query={"from": now, "to": now + 1, "page": page, "pageSize": 1000})
        if not answer.ok:
            refused.append(f"Agent activities: {answer.reason}")
            break
        got = _rows(answer)
        spans += [s for s in got if s.get("active")]
        if len(got) < 1000:
            break
    stats = call("GET", "/v1/agents/statistics", token=token,
                 query={"from": start, "to": start + step, "interval": step // 60_000})
    if not stats.ok:
        refused.append(f"Agent statistics: {stats.reason}")
    handled: dict = {}
    for s in _rows(stats):
        handled[s.get("agentId")] = handled.get(s.get("agentId"), 0) + sum(
            c.get("totalAcceptedTasks", 0) for c in s.get("channels") or [])
    agents: dict = {}
    for s in spans:
        a = agents.setdefault(s["agentId"], {"id": s["agentId"], "name": s.get("agentName") or s["agentId"],
                                             "login": s.get("agentLogin", ""), "team": s.get("teamName", ""),
                                             "site": s.get("siteName", ""), "channels": [], "tasks": []})
        a["channels"].append({"channel": s.get("channelType", ""), "state": s.get("currentState", ""),
                              "since": s.get("startTime"), "idleCode": s.get("idleCodeName", "")})
        if s.get("taskId"):
            a["tasks"].append({"id": s["taskId"], "channel": s.get("channelType", ""), "queue": s.get("queueName", ""),
                               "state": s.get("currentState", "")})
    for a in agents.values():
        a["channels"].sort(key=lambda c: c["channel"])
        top = min(a["channels"], key=lambda c: STATE_ORDER.index(c["state"]) if c["state"] in STATE_ORDER else 99)
        a["state"], a["idleCode"] = top["state"], top["idleCode"] if top["state"] == "idle" else ""
        a["for"] = now - top["since"] if isinstance(top["since"], int) else None
        a["handled"] = handled.get(a["id"], 0)
    return sorted(agents.values(), key=lambda a: a["name"].lower()), refused


def snapshot(minutes: int) -> dict:
    """Everything the live view shows, as the APIs answer it now (the mock clock's now)."""
    person = me()
    clock = call("GET", "/_mock/clock", admin=True)
    if not clock.ok or not isinstance(clock.body, dict):
        return {"error": f"Mock clock: {clock.reason}", "queues": [], "agents": [], "refused": []}
    now, step = int(clock.body["nowMs"]), minutes * 60_000
    start = now - now % step  # the interval holding now (the APIs' intervals start on the quarter hour, UTC)
    queues, refused_q = _queues(person["token"], person["orgId"], now, start, step)  # advances the simulation first
    agents, refused_a = _agents(person["token"], now, start, step)
    return {"error": None, "now": now, "frozen": clock.body.get("frozen"), "start": start, "end": start + step,
            "minutes": minutes, "queues": queues, "agents": agents, "refused": refused_q + refused_a}


def _entry_points(org: str) -> list[dict]:
    """Inbound entry points that lead to a queue (the simulation's routes), with names, for the contact form."""
    state = call("GET", f"/_mock/activity/{org}", admin=True)
    routes = (state.body or {}).get("routes", {}) if state.ok and isinstance(state.body, dict) else {}
    names = call("GET", f"/organization/{org}/v2/entry-point", token=me()["token"],
                 query={"pageSize": 100, "attributes": "id,name"})
    named = {e.get("id"): e.get("name") for e in _rows(names)}
    return sorted(({"id": ep, "name": named.get(ep) or ep} for ep in routes), key=lambda e: e["name"].lower())


@bp.route("/live")
@signed_in
def live():
    """The live view, with the generator and clock controls."""
    minutes = _interval()
    return render("live.html", live=snapshot(minutes), intervals=INTERVALS, refresh_ms=REFRESH_MS,
                  entry_points=_entry_points(me()["orgId"]), max_minutes=MAX_MINUTES, max_rate=MAX_RATE)


@bp.route("/live/data")
def live_data():
    """The live view's tables alone: what the page's script polls (the same view and template as the page)."""
    if me() is None:
        return render("live_data.html", 401, live={"error": "Signed out: sign in again to see the live view.",
                                                    "queues": [], "agents": [], "refused": []})
    return render("live_data.html", live=snapshot(_interval()))


def _back(minutes):
    return redirect(url_for("console.live", interval=minutes), 303)


def _form_interval() -> int:
    raw = request.form.get("interval", "")
    return int(raw) if raw in {str(i) for i in INTERVALS} else INTERVALS[0]


def _answered(answer, ok_text: str, minutes: int):
    flash("ok" if answer.ok else "error", ok_text if answer.ok else answer.reason)
    return _back(minutes)


@bp.route("/live/generate", methods=["POST"])
@signed_in
def live_generate():
    """Run the traffic generator from now on (POST /_mock/activity/{orgId}); it plays as the clock advances."""
    f, minutes = request.form, _form_interval()
    try:
        length = form_number("Minutes", f.get("minutes"), required=True)
        rate = form_number("Contacts per hour", f.get("rate"), required=True, kind=float)
        seed = form_number("Seed", f.get("seed")) or 1
        if not 1 <= length <= MAX_MINUTES:
            raise FormError(f"Minutes: from 1 to {MAX_MINUTES}.")
        if not 0 < rate <= MAX_RATE:
            raise FormError(f"Contacts per hour: more than 0, at most {MAX_RATE}.")
    except FormError as exc:
        flash("error", f"{exc} Nothing was changed.")
        return _back(minutes)
    clock = call("GET", "/_mock/clock", admin=True)
    if not clock.ok:
        return _answered(clock, "", minutes)
    now = int(clock.body["nowMs"])
    answer = call("POST", f"/_mock/activity/{me()['orgId']}", admin=True,
                  json={"from": now, "to": now + length * 60_000, "rate": rate, "seed": seed})
    return _answered(answer, f"Traffic generated for the next {length} minutes ({rate:g} contacts per hour per "
                     "entry point); advance the clock to play it.", minutes)


@bp.route("/live/contact", methods=["POST"])
@signed_in
def live_contact():
    """One contact arrives now at an entry point (POST /_mock/activity/{orgId}/contacts)."""
    f, minutes = request.form, _form_interval()
    try:
        patience = form_number("Patience", f.get("patience"))
    except FormError as exc:
        flash("error", f"{exc} Nothing was changed.")
        return _back(minutes)
    body = {"entryPointId": f.get("entryPointId", "")}
    if patience is not None:
        body["patience"] = patience
    answer = call("POST", f"/_mock/activity/{me()['orgId']}/contacts", admin=True, json=body)
    task = (answer.body or {}).get("id", "") if answer.ok and isinstance(answer.body, dict) else ""
    return _answered(answer, f"Contact {task} arrived.", minutes)


@bp.route("/live/clock", methods=["POST"])
@signed_in
def live_clock():
    """Advance the mock clock (POST /_mock/clock/advance): live mode plays what was scheduled."""
    minutes = _form_interval()
    try:
        seconds = form_number("Seconds", request.form.get("seconds"), required=True, kind=float)
    except FormError as exc:
        flash("error", f"{exc} Nothing was changed.")
        return _back(minutes)
    answer = call("POST", "/_mock/clock/advance", admin=True, json={"seconds": seconds})
    return _answered(answer, f"Clock advanced by {seconds:g} s.", minutes)
