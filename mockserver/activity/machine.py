"""The state machines of a task and of an agent session, as tables: (state, action) -> next state.

A pair missing from a table is refused: the action does not change anything and the caller gets the refusal
(``Refused``), rendered by the HTTP layer in the vendor's error shape. The documentation (docs/activity.md) and
the transition tests are generated from these tables, so they cannot drift from the code.

Task states (webex-cc-runtime-facts.md 4.4): ``new`` (in the entry point's flow), ``queued`` (parked),
``offered`` (ringing an agent), ``connected``, ``held``, ``consulting``, ``conferencing``, ``wrapup`` (the call
ended, the owner wraps up), and the terminal ``completed``, ``abandoned``, ``overflowed``. Internal actions (the
customer, the router, timers) are marked with a leading ``~`` and cannot be sent over HTTP.
"""
from __future__ import annotations

#: Where a transfer leaves the contact, by destination type: back in a queue, offered to another agent, or
#: out of the contact center (the transferring agent then wraps up and the task completes).
TRANSFER = {"queue": "queued", "agent": "offered", "dialNumber": "wrapup", "entrypointDialNumber": "wrapup"}

#: A consult transfer hands the contact to the consulted agent, or out of the center to a number.
CONSULT_TRANSFER = {"agent": "connected", "queue": "connected", "dialNumber": "wrapup", "entryPoint": "wrapup"}

LIVE = ("connected", "held", "consulting", "conferencing")

TASK: dict[tuple[str, str], str | dict] = {
    ("new", "~route"): "queued",
    ("new", "~abandon"): "abandoned",
    ("new", "~overflow"): "overflowed",
    ("new", "~offer"): "offered",  # an outdial rings the agent who placed it
    ("queued", "~offer"): "offered",
    ("queued", "~abandon"): "abandoned",
    ("queued", "~overflow"): "overflowed",
    ("queued", "assign"): "connected",
    ("offered", "accept"): "connected",
    ("offered", "reject"): "queued",
    ("offered", "~rona"): "queued",
    ("offered", "~abandon"): "abandoned",
    ("offered", "end"): "abandoned",
    ("connected", "hold"): "held",
    ("connected", "end"): "wrapup",
    ("connected", "transfer"): TRANSFER,
    ("connected", "consult"): "consulting",
    ("connected", "record/pause"): "connected",
    ("connected", "record/resume"): "connected",
    ("connected", "~hangup"): "wrapup",
    ("held", "unhold"): "connected",
    ("held", "end"): "wrapup",
    ("held", "transfer"): TRANSFER,
    ("held", "consult"): "consulting",
    ("held", "record/pause"): "held",
    ("held", "record/resume"): "held",
    ("held", "~hangup"): "wrapup",
    ("consulting", "consult/accept"): "consulting",
    ("consulting", "consult/end"): "held",
    ("consulting", "consult/transfer"): CONSULT_TRANSFER,
    ("consulting", "consult/conference"): "conferencing",
    ("consulting", "end"): "wrapup",
    ("consulting", "~hangup"): "wrapup",
    ("conferencing", "conference/exit"): "connected",
    ("conferencing", "end"): "wrapup",
    ("conferencing", "~hangup"): "wrapup",
    ("wrapup", "wrapup"): "completed",
}

TASK_STATES = ("new", "queued", "offered", "connected", "held", "consulting", "conferencing", "wrapup",
               "completed", "abandoned", "overflowed")
#: The actions an integration sends over HTTP (``POST /v1/tasks/{id}/<action>``).
TASK_ACTIONS = ("accept", "reject", "assign", "hold", "unhold", "end", "wrapup", "transfer", "consult",
                "consult/accept", "consult/end", "consult/transfer", "consult/conference", "conference/exit",
                "record/pause", "record/resume")
TERMINAL = ("completed", "abandoned", "overflowed")

#: What ``GET /v1/tasks`` shows as ``status`` (its enum: created, queued, offered, assigned, abandoned, completed).
#: [U] facts 4.4: whether a task in wrap-up is "assigned" or "completed"; the owner still works on it, so assigned.
STATUS = {"new": "created", "queued": "queued", "offered": "offered", "connected": "assigned",
          "held": "assigned", "consulting": "assigned", "conferencing": "assigned", "wrapup": "assigned",
          "completed": "completed", "abandoned": "abandoned", "overflowed": "completed"}

# Agent sessions (facts 5.2): LoggedOut -> login -> Idle (with an idle code) <-> Available; RONA puts an
# Available agent in Idle with the RONA code. Work on contacts is per channel and derived from the tasks.
AGENT: dict[tuple[str, str], str] = {
    ("LoggedOut", "login"): "Idle",
    ("Idle", "state:Available"): "Available",
    ("Idle", "state:Idle"): "Idle",
    ("Idle", "logout"): "LoggedOut",
    ("Idle", "reload"): "Idle",
    ("Idle", "buddyList"): "Idle",
    ("Available", "state:Idle"): "Idle",
    ("Available", "state:Available"): "Available",
    ("Available", "logout"): "LoggedOut",
    ("Available", "reload"): "Available",
    ("Available", "buddyList"): "Available",
    ("Available", "~rona"): "Idle",
}
AGENT_STATES = ("LoggedOut", "Idle", "Available")
AGENT_ACTIONS = ("login", "logout", "state:Available", "state:Idle", "reload", "buddyList")


class Refused(Exception):
    """An action the state (or the input) does not allow; nothing changed.

    ``status`` is the HTTP status, ``reason`` the vendor-style reason code (``INVALID_STATE``,
    ``AGENT_NOT_LOGGED_IN``...), ``text`` a readable explanation naming the field or state.
    """

    def __init__(self, status: int, reason: str, text: str):
        super().__init__(text)
        self.status, self.reason, self.text = status, reason, text


def task_next(state: str, action: str, destination_type: str | None = None) -> str:
    """The task's next state, or ``Refused`` (400 ``INVALID_STATE``)."""
    found = TASK.get((state, action))
    if isinstance(found, dict):
        found = found.get(destination_type or "")
    if found is None:
        raise Refused(400, "INVALID_STATE", f"{action} is not allowed on a task in state {state}.")
    return found


def agent_next(state: str, action: str) -> str:
    """The agent session's next state, or ``Refused``."""
    found = AGENT.get((state, action))
    if found is None:
        if state == "LoggedOut":
            raise Refused(400, "AGENT_NOT_LOGGED_IN", f"{action}: the agent is not logged in.")
        if action == "login":
            raise Refused(400, "DUPLICATE_LOCATION", "login: the agent already has an active session.")
        raise Refused(400, "INVALID_STATE", f"{action} is not allowed for an agent in state {state}.")
    return found


def _next(nxt) -> str:
    if isinstance(nxt, dict):
        return ", ".join(f"{v} (to {k})" for k, v in nxt.items())
    return nxt


def markdown_tables() -> str:
    """Both tables as Markdown (docs/activity.md embeds this text; a test keeps it in step)."""
    lines = ["### Task", "", "| state | allowed action -> next state | refused (400 `INVALID_STATE`) |",
             "|---|---|---|"]
    for state in TASK_STATES:
        allowed = [f"`{a}` -> {_next(TASK[(state, a)])}" for a in TASK_ACTIONS if (state, a) in TASK]
        refused = [f"`{a}`" for a in TASK_ACTIONS if (state, a) not in TASK]
        lines.append(f"| **{state}** | {'<br>'.join(allowed) or '—'} | {', '.join(refused) or '—'} |")
    lines += ["", "Internal transitions (the customer, the router, timers; not sent over HTTP):", ""]
    for action in sorted({a for (_, a) in TASK if a.startswith("~")}):
        pairs = [f"{s} -> {n}" for (s, a), n in TASK.items() if a == action]
        lines.append(f"- `{action[1:]}`: " + "; ".join(pairs))
    lines += ["", "### Agent session", "", "| state | allowed action -> next state | refused (400) |", "|---|---|---|"]
    for state in AGENT_STATES:
        allowed = [f"`{a}` -> {AGENT[(state, a)]}" for a in AGENT_ACTIONS if (state, a) in AGENT]
        refused = [f"`{a}`" for a in AGENT_ACTIONS if (state, a) not in AGENT]
        why = "`AGENT_NOT_LOGGED_IN`" if state == "LoggedOut" else "`DUPLICATE_LOCATION`"
        lines.append(f"| **{state}** | {'<br>'.join(allowed)} | {', '.join(refused)} ({why}) |")
    lines += ["", "- `rona` (an offer not answered in time): Available -> Idle (idle code RONA)"]
    return "\n".join(lines) + "\n"
