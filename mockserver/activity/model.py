"""The objects of the simulation: a task (one contact) and an agent session, with their timers and counters."""
from __future__ import annotations

#: Which duration a task accumulates while in a state (the Search API's data-dictionary names, facts 2.9).
TASK_DURATION = {"new": "selfserviceDuration", "queued": "queueDuration", "offered": "ringingDuration",
                 "connected": "connectedDuration", "held": "holdDuration", "consulting": "consultDuration",
                 "conferencing": "conferenceDuration", "wrapup": "wrapupDuration"}
#: Which counter a task increments on entering a state.
TASK_COUNT = {"queued": "queueCount", "held": "holdCount", "consulting": "consultCount",
              "conferencing": "conferenceCount", "connected": "connectedCount"}

#: Per-channel agent states (ASR ``channelInfo.currentState``, facts 2.9 / 5.2) and their counters.
CHANNEL_STATES = ("idle", "available", "ringing", "connected", "hold", "wrapup")


#: The ``pending_wrapup`` of a task nobody left yet: one shared empty set instead of 216 bytes per contact.
NOBODY: frozenset = frozenset()


class Task:
    """One contact: where it is, who has it, and what it has accumulated."""

    __slots__ = ("id", "channel", "direction", "origin", "destination", "ep", "queue", "first_queue",
                 "prev_queue", "state", "owner", "offered_to", "created", "updated", "since", "queued_at", "ended",
                 "acc", "counts", "wrapup_code", "termination", "terminating_end", "reason", "attributes",
                 "paused", "outbound_type", "campaign_id", "consult", "conference", "handled", "sim", "agents",
                 "pending_wrapup", "monitored", "media_id", "capture", "closed")

    def __init__(self, tid: str, channel: str, direction: str, origin: str, destination: str, ep: str | None,
                 now: int):
        self.id, self.channel, self.direction = tid, channel, direction
        self.origin, self.destination, self.ep = origin, destination, ep
        self.queue = self.first_queue = self.prev_queue = None
        self.state, self.owner, self.offered_to = "new", None, None
        self.created = self.updated = self.since = now
        self.queued_at = self.ended = None
        self.acc: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.wrapup_code = self.termination = self.terminating_end = self.reason = None
        self.attributes: dict = {}
        self.paused = False
        self.outbound_type = self.campaign_id = None
        self.consult = None  # {"to", "type", "agent", "accepted", "hold"} while consulting
        self.conference: list[str] = []  # other agents in a conference
        self.handled = False
        self.sim = None  # simulated behaviour: {"handle": ms, "wrap": ms, "patience": ms, "ring": ms}
        self.agents: list[str] = []  # every agent that was connected, in order
        self.pending_wrapup: set[str] | frozenset = NOBODY  # agents who left the task and still wrap up
        self.monitored = None
        self.media_id = tid  # [U] the vendor's mediaResourceId; the mock uses the task id
        self.capture = False
        self.closed = None  # when it became terminal (after the wrap-up): the end of totalDuration

    def wraps_later(self, agent_id: str) -> None:
        """An agent left the task and still wraps up its part (the set made on first use: most tasks never)."""
        if type(self.pending_wrapup) is frozenset:
            self.pending_wrapup = set()
        self.pending_wrapup.add(agent_id)

    def add(self, name: str, value: int) -> None:
        self.acc[name] = self.acc.get(name, 0) + value

    def count(self, name: str, by: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + by


class Session:
    """An agent's login: its session state, the tasks it holds per channel, and its channel timers."""

    __slots__ = ("agent", "id", "team_id", "site_id", "dn", "state", "aux", "since", "login", "logout", "auto",
                 "available_since", "tasks", "channels", "roles", "device", "reason", "leaving", "stats",
                 "channel_ids", "last_change")

    def __init__(self, agent, sid: str, team_id: str, dn: str, now: int, channel_ids: dict):
        self.agent, self.id, self.team_id, self.dn = agent, sid, team_id, dn
        self.site_id = agent.site_id
        self.state, self.aux, self.since, self.login, self.logout = "Idle", None, now, now, None
        self.auto = False  # a simulated agent answers, handles and wraps up by itself
        self.available_since = None
        self.tasks: dict[str, str] = {}  # task id -> channel, for live and offered tasks (and wrap-ups)
        self.channels: dict[str, list] = {}  # channel -> [state, since, task id]
        self.roles, self.device, self.reason, self.leaving = ["agent"], "AGENT_DN", "", False
        self.stats: dict[str, dict] = {}  # channel -> {"<state>Count": n, "<state>Duration": ms, ...}
        self.channel_ids = channel_ids
        self.last_change = now

    def load(self, tasks: dict, channel: str) -> int:
        """How many contacts of a channel the agent holds (offered, live, or in wrap-up)."""
        if not self.tasks:  # most agents a routing decision looks at hold nothing
            return 0
        n = 0
        for tid, ch in self.tasks.items():  # (a loop: a generator's set-up costs more than the one or two tasks)
            if ch == channel and tid in tasks:
                n += 1
        return n

    def free_for(self, tasks: dict, channel: str) -> bool:
        """Available, and under the channel's maxActiveContacts."""
        return self.state == "Available" and not self.leaving \
            and self.load(tasks, channel) < self.agent.limits.get(channel, 0)

    def bump(self, channel: str, name: str, value: int = 1) -> None:
        stats = self.stats.setdefault(channel, {})
        stats[name] = stats.get(name, 0) + value
