"""Agent sessions: login, state, logout, and the per-channel states derived from the tasks an agent holds.

Every change of a channel's state closes an activity span (``/v1/agents/activities``) and adds to the session's
counters (the ASR ``channelInfo`` of facts 2.9); each is published as ``agent:channel_state_change``.
"""
from __future__ import annotations

from . import machine
from .model import Session
from .tenant import CHANNELS

_LIVE = frozenset(machine.LIVE)
_SHOWN = ("ringing", "connected", "hold", "wrapup")  # a channel's state by the rank of the task behind it


class AgentOps:
    """Mixed into ``Center``: everything an agent does or has done to it."""

    def agent_of(self, agent_id: str):
        """The configured agent by user id or CI user id (a token's ``sub``), else ``Refused`` 400."""
        t = self.tenant
        aid = agent_id if agent_id in t.agents else t.by_ci.get(agent_id)
        if aid is None:
            raise machine.Refused(400, "AGENT_NOT_FOUND", f"agentId: {agent_id} is not an agent of this "
                                  "organization (active, contact-center enabled, on a team).")
        return t.agents[aid]

    def session_of(self, agent_id: str) -> Session:
        """The agent's live session, else ``Refused`` (400 AGENT_NOT_LOGGED_IN)."""
        agent = self.agent_of(agent_id)
        session = self.sessions.get(agent.id)
        if session is None:
            raise machine.Refused(400, "AGENT_NOT_LOGGED_IN", f"agentId: {agent.id} is not logged in.")
        return session

    def login(self, agent_id: str, team_id: str | None, dn: str, auto: bool = False, **extra) -> Session:
        agent = self.agent_of(agent_id)
        old = self.sessions.get(agent.id)
        machine.agent_next(old.state if old else "LoggedOut", "login")
        team_id = team_id or agent.team_ids[0]
        if team_id not in agent.team_ids:
            raise machine.Refused(400, "INVALID_TEAM", f"teamId: {team_id} is not a team of agent {agent.id}.")
        for other in self.sessions.values():
            if other.dn == dn and dn:
                raise machine.Refused(400, "DUPLICATE_LOCATION", f"dialNumber: {dn} is in use by another agent.")
        now = self.time
        ids = {ch: self.new_id() for ch in CHANNELS if agent.limits.get(ch)}
        s = Session(agent, self.new_id(), team_id, dn, now, ids)
        s.auto = auto
        s.roles = extra.get("roles") or ["agent"]
        s.device = extra.get("deviceType") or "AGENT_DN"
        s.aux = extra.get("auxCodeId") or self.tenant.default_code(self.tenant.idle_codes)
        self.sessions[agent.id] = s
        for ch in ids:
            s.channels[ch] = ["idle", now, None]
            s.bump(ch, "idleCount")
        self.dirty_sessions.add(s)
        self.publish_agent("agent:login", s, destination=dn, teamId=team_id, siteId=s.site_id)
        return s

    def set_state(self, agent_id: str, state: str, aux: str | None, reason: str = "") -> Session:
        s = self.session_of(agent_id)
        new = machine.agent_next(s.state, f"state:{state}")
        if new == "Idle":
            aux = aux if aux in self.tenant.idle_codes else None
            if aux is None:
                raise machine.Refused(400, "INVALID_IDLE_CODE", "auxCodeId: not an active idle code of this "
                                      "organization.")
        self._session_state(s, new, aux if new == "Idle" else "0", reason)
        return s

    def _session_state(self, s: Session, new: str, aux, reason: str = "") -> None:
        now = self.time
        if new == "Available" and s.state != "Available":
            s.available_since = now
        s.state, s.aux, s.since, s.reason = new, aux, now, reason
        if new == "Available":
            self.available[s.agent.id] = None
        else:
            self.available.pop(s.agent.id, None)
        self.dirty_sessions.add(s)
        self.publish_agent("agent:state_change", s, currentState=new.lower(), idleCodeId=aux if new == "Idle"
                           else None, teamId=s.team_id)
        self.refresh(s)
        if new == "Available":
            self.router.freed(s)
            self.router.dispatch_agent(s)

    def logout(self, agent_id: str, reason: str) -> Session:
        s = self.session_of(agent_id)
        machine.agent_next(s.state, "logout")
        if any(tid in self.tasks for tid in s.tasks):
            raise machine.Refused(400, "AGENT_BUSY", "logout: the agent still holds contacts (end and wrap up "
                                  "them first).")
        self._close(s, reason)
        return s

    def _close(self, s: Session, reason: str) -> None:
        now = self.time
        for ch, (state, since, tid) in s.channels.items():
            self._span(s, ch, state, since, now, tid)
        s.state, s.logout, s.reason = "LoggedOut", now, reason
        self.sessions.pop(s.agent.id, None)
        self.available.pop(s.agent.id, None)
        self.past_sessions.append(s)
        self.dirty_sessions.add(s)
        self.publish_agent("agent:logout", s, currentState="logged_out", reason=reason)

    def rona(self, s: Session) -> None:
        """An offer not answered in time: the agent goes Idle with the RONA code (facts 5.2)."""
        if s.state == "Available":
            self._session_state(s, machine.agent_next(s.state, "~rona"),
                                self.tenant.default_code(self.tenant.idle_codes, "RONA"), "RONA")

    def publish_agent(self, etype: str, s: Session, **extra) -> None:
        if not self.heard:
            self.unheard()
            return
        data = {"agentId": s.agent.id, "agentSessionId": s.id, "createdTime": self.time, **extra}
        self.bus.publish(self.org_id, etype, self.time, data, self.event_id())

    # -- channel states -----------------------------------------------------------------------------------
    def channel_states(self, s: Session) -> dict:
        """What each channel with a task shows, ``{channel: (state, task id)}``: ringing > connected/hold > wrapup
        (the first task of the agent's in each); a channel missing shows the session's available/idle. One pass
        over the agent's tasks for all its channels (an agent on four channels was four passes a refresh)."""
        if not s.tasks:
            return {}
        me, best = s.agent.id, {}
        for tid, ch in s.tasks.items():
            task = self.tasks.get(tid)
            if task is None:
                continue
            if task.offered_to == me and task.state == "offered":
                r = 0
            elif me in task.pending_wrapup or (task.state == "wrapup" and task.owner == me):
                r = 3
            elif task.state in _LIVE:
                r = 2 if task.state == "held" else 1
            else:
                continue
            if r < best.get(ch, (4,))[0]:
                best[ch] = (r, tid)
        return {ch: (_SHOWN[r], tid) for ch, (r, tid) in best.items()}

    def channel_state(self, s: Session, channel: str) -> tuple[str, str | None]:
        """What one channel shows (``channel_states``)."""
        return self.channel_states(s).get(channel) or (("available" if s.state == "Available" else "idle"), None)

    def refresh(self, s: Session) -> None:
        """Re-derive every channel's state; close the span of each that changed."""
        now, shown = self.time, self.channel_states(s)
        rest = ("available" if s.state == "Available" else "idle"), None
        for ch, cur in s.channels.items():
            state, tid = shown.get(ch, rest)
            if state == cur[0] and tid == cur[2]:
                continue
            self._span(s, ch, cur[0], cur[1], now, cur[2])
            s.bump(ch, state + "Count")
            s.channels[ch] = [state, now, tid]
            self.dirty_sessions.add(s)
            if not self.heard:
                self.unheard()
                continue
            task = self.tasks.get(tid) if tid else None
            self.bus.publish(self.org_id, "agent:channel_state_change", now, {
                "agentId": s.agent.id, "currentState": state, "channelId": s.channel_ids[ch], "channelType": ch,
                "taskId": tid, "queueId": task.queue if task else None, "teamId": s.team_id,
                "destination": s.dn, "createdTime": now, "idleCodeId": s.aux if state == "idle" else None,
                "wrapUpAuxCodeId": task.wrapup_code if task and state == "wrapup" else None}, self.event_id())

    def _span(self, s: Session, ch: str, state: str, start: int, end: int, tid) -> None:
        s.bump(ch, state + "Duration", end - start)
        if end < self.forget_before:  # forgotten before the advance ends (``bound.foresee``)
            return
        task = self.tasks.get(tid) if tid else None
        self.activities.append((s.agent.id, s.id, ch, state, start, end, tid, task.queue if task else None,
                                s.aux if state == "idle" else None, task.wrapup_code if task else None,
                                s.team_id, s.site_id, s.dn, s.reason))

    # -- offers -------------------------------------------------------------------------------------------
    def offer(self, task, s: Session) -> None:
        task.offered_to = s.agent.id
        s.tasks[task.id] = task.channel
        if task.queued_at is not None and task.state == "queued":
            self.mark("waited", task, None, self.time - task.queued_at)
        self.move(task, "~offer", agentId=s.agent.id)
        self.mark("offered", task, s.agent.id)
        s.bump(task.channel, "offeredCount")
        self.refresh(s)
        sim = task.sim
        if s.auto:
            self.schedule(self.time + (sim or {}).get("ring", 3000), "auto_accept", task.id, s.agent.id)
        else:
            self.schedule(self.time + self.ring_timeout_ms, "rona", task.id, s.agent.id, task.since)

    def withdraw_offer(self, task) -> None:
        s = self.sessions.get(task.offered_to)
        task.offered_to = None
        if s is not None:
            s.tasks.pop(task.id, None)
            self.refresh(s)
            self.router.freed(s)

    def release(self, s: Session, task) -> None:
        """The agent is done with a task (wrapped up, or it left before connecting): free its capacity."""
        s.tasks.pop(task.id, None)
        self.refresh(s)
        if s.leaving and not s.tasks:
            self._close(s, "End of shift")
            return
        if s.state == "Available":
            self.router.freed(s)
            self.router.dispatch_agent(s)

    def agent_wraps(self, s: Session, task) -> bool:
        return s.agent.id in task.pending_wrapup or (task.state == "wrapup" and task.owner == s.agent.id)

    def _on_rona(self, tid: str, agent_id: str, offered_at: int) -> None:
        task = self.live.get(tid)
        if task is None or task.state != "offered" or task.offered_to != agent_id or task.since != offered_at:
            return
        s = self.sessions.get(agent_id)
        self.withdraw_offer(task)
        if s is not None:
            s.bump(task.channel, "notRespondedCount")
            self.mark("rejected", task, agent_id)
            self.rona(s)
        if task.queue not in self.tenant.queues:  # an outdial nobody answered (or its queue is gone): it ends
            task.termination, task.terminating_end = "rona", "system"
            self.move(task, "~abandon", reason="RONA")
            return
        self.router.enqueue(task, task.queue, "~rona")
