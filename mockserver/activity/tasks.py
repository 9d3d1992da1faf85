"""Task work: creating contacts and every action an agent (or the simulation) takes on one.

Each public action first asks the table (``machine.task_next``) and checks its inputs, and only then changes
anything: a refused action leaves the simulation exactly as it was.
"""
from __future__ import annotations

from . import machine
from .model import Task

DESTINATIONS = ("agent", "queue", "dialNumber", "entrypointDialNumber", "entryPoint")


class TaskOps:
    """Mixed into ``Center``."""

    # -- creation -----------------------------------------------------------------------------------------
    def inbound(self, ep_id: str, origin: str, channel: str | None = None, sim: dict | None = None,
                tid: str | None = None) -> Task:
        """A contact arrives at an entry point; after its self-service time it is routed to the queue."""
        ep = self.tenant.entry_points.get(ep_id) or {}
        channel = channel or (ep.get("channelType") or "TELEPHONY").lower()
        task = Task(tid or self.new_id(), channel, "inbound", origin,
                    self.tenant.dial_numbers.get(ep_id) or ep.get("name", ""), ep_id, self.time)
        task.sim = sim
        self._add(task)
        sim = sim or {}
        self.schedule(self.time + sim.get("ivr", 0), "route", task.id)
        if sim.get("patience") is not None:
            self.schedule(self.time + sim["patience"], "abandon", task.id)
        return task

    def _add(self, task: Task) -> None:
        self.tasks[task.id] = self.live[task.id] = task
        self.order.append((task.created, task.id))
        self.dirty_tasks.add(task.id)
        self.publish_task("task:new", task)

    def outbound(self, agent_id: str | None, ep_id: str, destination: str, origin: str, kind: str,
                 attributes: dict) -> Task:
        """``POST /v1/tasks``: an outdial rings the calling agent; a callback queues on the outbound entry
        point's queue; EXECUTE_FLOW starts the inbound entry point's flow without a call (facts 4.2)."""
        ep = self.tenant.entry_points.get(ep_id)
        want = "INBOUND" if kind == "EXECUTE_FLOW" else "OUTBOUND"
        if ep is None or ep.get("entryPointType") != want:
            raise machine.Refused(400, "ENTRY_POINT_NOT_FOUND", f"entryPointId: {ep_id} is not an {want.lower()} "
                                  "entry point of this organization.")
        s = None
        if kind == "OUTDIAL":
            s = self.session_of(agent_id)
            if s.load(self.live, "telephony") >= s.agent.limits.get("telephony", 0):
                raise machine.Refused(400, "AGENT_BUSY", "the agent has no free telephony capacity.")
        queue = ep.get("outdialQueueId") if kind == "CALLBACK" else self.tenant.routes.get(ep_id)
        if kind != "OUTDIAL" and queue not in self.tenant.queues:
            raise machine.Refused(400, "QUEUE_NOT_FOUND", f"entryPointId: {ep_id} leads to no queue.")
        task = Task(self.new_id(), "telephony", "outdial" if kind == "OUTDIAL" else "outbound",
                    origin or "", destination, ep_id, self.time)
        task.outbound_type, task.attributes = kind, dict(attributes or {})
        self._add(task)
        if s is not None:
            self.offer(task, s)
        else:
            task.queue = queue
            self.router.enqueue(task, queue)
        return task

    def _on_callback_due(self, cid: str) -> None:
        """A scheduled callback's window opened: an outbound callback task waits on its queue."""
        doc = self.extras.get("callbacks", {}).get(cid)
        if doc is None or doc["startMs"] > self.time or doc.get("taskId") or doc["queueId"] not in self.tenant.queues:
            return  # cancelled, moved later, already placed, or its queue is gone
        ep = next((e for e, x in sorted(self.tenant.entry_points.items())
                   if x.get("entryPointType") == "OUTBOUND"), None)
        task = Task(self.new_id(), "telephony", "outbound", doc.get("callbackOrigin", "api"), doc["callbackNumber"],
                    ep, self.time)
        task.outbound_type = "CALLBACK"
        task.attributes = {"callbackId": cid, "customerName": doc["customerName"]}
        self._add(task)
        doc["taskId"] = task.id
        self.router.enqueue(task, doc["queueId"])

    # -- the HTTP actions ---------------------------------------------------------------------------------
    def task_of(self, task_id: str) -> Task:
        task = self.tasks.get(task_id)
        if task is None:
            raise machine.Refused(404, "TASK_NOT_FOUND", f"taskId: {task_id} not found for given orgId.")
        return task

    def act(self, agent_id: str, task_id: str, action: str, body: dict) -> Task:
        """One ``POST /v1/tasks/{id}/<action>`` by the calling agent: checked whole, then applied."""
        task = self.task_of(task_id)
        s = self.session_of(agent_id)
        me = s.agent.id
        dest = body.get("destinationType")
        if action == "wrapup" and me in task.pending_wrapup:
            return self._wrapup_left(s, task, body)
        nxt = machine.task_next(task.state, action, dest)
        involved = me in (task.owner, task.offered_to) or me in task.conference \
            or (task.consult or {}).get("agent") == me
        if action == "assign":
            if me not in self.router.delays.get(task.queue, {}) \
                    or s.load(self.live, task.channel) >= s.agent.limits.get(task.channel, 0):
                raise machine.Refused(400, "NOT_ELIGIBLE", "assign: the agent cannot take contacts of this queue now.")
        elif not involved:
            raise machine.Refused(403, "NOT_TASK_OWNER", f"taskId: {task.id} is not offered or assigned to agent {me}.")
        handler = getattr(self, "_do_" + action.replace("/", "_"))
        handler(s, task, body, nxt)
        s.bump(task.channel, {"accept": "acceptedCount", "reject": "rejectedCount",
                              "transfer": "transferCount"}.get(action, "actionCount"))
        self.dirty_sessions.add(s)
        return task

    def _need_owner(self, s, task, action):
        if task.owner != s.agent.id:
            raise machine.Refused(403, "NOT_TASK_OWNER", f"{action}: only the task's owner may do this.")

    def _do_accept(self, s, task, body, nxt):
        if task.offered_to != s.agent.id:
            raise machine.Refused(403, "NOT_TASK_OWNER", "accept: the task is not offered to this agent.")
        self.connect(task, s, "accept")

    def connect(self, task: Task, s, action: str) -> None:
        task.owner, task.offered_to, task.handled = s.agent.id, None, True
        s.tasks[task.id] = task.channel
        if s.agent.id not in task.agents:
            task.agents.append(s.agent.id)
        if action == "assign" and task.queued_at is not None:
            self.mark("waited", task, None, self.time - task.queued_at)
        self.move(task, action, agentId=s.agent.id)
        self.mark("accepted", task, s.agent.id, self.time - (task.queued_at or task.created))
        s.bump(task.channel, "assignedCount")
        self.refresh(s)
        if s.auto:
            self.schedule(self.time + (task.sim or {}).get("handle", 60_000), "hangup", task.id, task.owner)

    def _do_reject(self, s, task, body, nxt):
        if task.queue is None:
            raise machine.Refused(400, "INVALID_STATE", "reject: an outdial is ended with end, not rejected.")
        self.withdraw_offer(task)
        self.mark("rejected", task, s.agent.id)
        if s.state == "Available":  # the vendor: a rejecting agent goes Idle (before the contact is re-offered)
            self._session_state(s, "Idle", self.tenant.default_code(self.tenant.idle_codes), "reject")
        self.router.enqueue(task, task.queue, "reject")

    def _do_assign(self, s, task, body, nxt):
        self.router.dequeue(task)
        self.connect(task, s, "assign")

    def _do_hold(self, s, task, body, nxt):
        self._need_owner(s, task, "hold")
        if task.channel != "telephony":
            raise machine.Refused(400, "INVALID_CHANNEL", "hold: only telephony contacts can be held.")
        self.move(task, "hold")
        self.refresh(s)

    def _do_unhold(self, s, task, body, nxt):
        self._need_owner(s, task, "unhold")
        self.move(task, "unhold")
        self.refresh(s)

    def _do_end(self, s, task, body, nxt):
        if task.state == "offered":
            self.withdraw_offer(task)
            self.router.dequeue(task)
            task.termination, task.terminating_end = "abandoned", "agent"
            self.move(task, "end", reason="AGENT_ENDED_OFFER")
            return
        self._need_owner(s, task, "end")
        self.hang_up(task, "agent")

    def hang_up(self, task: Task, party: str) -> None:
        """The call ends (agent or customer): the owner wraps up, consulted/conferenced agents are released."""
        self._drop_consult(task)
        for other in list(task.conference):
            task.wraps_later(other)
        task.conference = []
        task.termination, task.terminating_end = "normal", party
        self.move(task, "end" if party == "agent" else "~hangup", reason="NORMAL", terminatingParty=party)
        for aid in {task.owner, *task.pending_wrapup}:
            s = self.sessions.get(aid)
            if s is not None:
                self.refresh(s)
                if s.auto:
                    self.schedule(self.time + (task.sim or {}).get("wrap", 10_000), "auto_wrap", task.id, aid)

    def _do_wrapup(self, s, task, body, nxt):
        self._need_owner(s, task, "wrapup")
        code = self._wrap_code(body)
        self.complete(s, task, code)

    def complete(self, s, task, code: str) -> None:
        """The owner's wrap-up: the task completes; its handle time (connected + hold + wrap-up) is counted."""
        task.wrapup_code = code
        self.move(task, "wrapup", wrapUpAuxCodeId=code)
        acc = task.acc
        self.mark("handled", task, s.agent.id, acc.get("connectedDuration", 0) + acc.get("holdDuration", 0)
                  + acc.get("wrapupDuration", 0) + acc.get("consultDuration", 0) + acc.get("conferenceDuration", 0))
        self.release(s, task)

    def _wrap_code(self, body) -> str:
        code = body.get("auxCodeId")
        if code not in self.tenant.wrapup_codes:
            raise machine.Refused(400, "INVALID_WRAPUP_CODE", "auxCodeId: not an active wrap-up code of this "
                                  "organization.")
        return code

    def _wrapup_left(self, s, task, body) -> Task:
        """An agent who transferred or left a conference wraps up its part; the task itself moves on."""
        code = self._wrap_code(body)
        task.pending_wrapup.discard(s.agent.id)
        task.wrapup_code = task.wrapup_code or code
        self.dirty_tasks.add(task.id)
        self.release(s, task)
        return task

    def _target(self, body, channel: str):
        """The free session a transfer or consult to an agent goes to (``Refused`` when none)."""
        s = self.sessions.get(body.get("to")) or next(
            (x for x in self.sessions.values() if x.agent.ci_user_id == body.get("to")), None)
        if s is None or not s.free_for(self.live, channel):
            raise machine.Refused(400, "AGENT_NOT_AVAILABLE", f"to: agent {body.get('to')} is not logged in and "
                                  "available for this channel.")
        return s

    def _do_transfer(self, s, task, body, nxt):
        self._need_owner(s, task, "transfer")
        dtype, to = body.get("destinationType"), body.get("to")
        if dtype == "queue" and to not in self.tenant.queues:
            raise machine.Refused(400, "QUEUE_NOT_FOUND", f"to: queue {to} not found for given orgId.")
        target = self._target(body, task.channel) if dtype == "agent" else None
        task.count("transferCount")
        self.mark("transferred", task, s.agent.id)
        if dtype in ("dialNumber", "entrypointDialNumber"):
            task.count("blindTransferCount")
            task.termination, task.terminating_end = "transferred", "agent"
            self.move(task, "transfer", dtype, transferTo=to)
            self.refresh(s)
            return
        task.wraps_later(s.agent.id)
        task.owner = None
        if target is not None:
            task.offered_to = target.agent.id
            target.tasks[task.id] = task.channel
            self.move(task, "transfer", dtype, agentId=target.agent.id)
            self.refresh(target)
            self.schedule(self.time + self.ring_timeout_ms, "rona", task.id, target.agent.id, task.since)
        else:
            self.router.enqueue(task, to, "transfer")
        self.refresh(s)

    def _do_record_pause(self, s, task, body, nxt):
        self._need_owner(s, task, "record/pause")
        task.paused = True
        task.count("pausedCount")
        task.updated = self.time
        self.dirty_tasks.add(task.id)

    def _do_record_resume(self, s, task, body, nxt):
        self._need_owner(s, task, "record/resume")
        task.paused = False
        task.count("resumedCount")
        task.updated = self.time
        self.dirty_tasks.add(task.id)

    def patch(self, task_id: str, attributes: dict) -> Task:
        """CAD variables of a task ([U] facts 4.4: still 202 after the task closed)."""
        task = self.task_of(task_id)
        if len({**task.attributes, **attributes}) > 30:
            raise machine.Refused(400, "TOO_MANY_ATTRIBUTES", "attributes: at most 30 per task.")
        task.attributes.update(attributes)
        task.updated = self.time
        self.dirty_tasks.add(task.id)
        return task

    # -- the simulated agents' own moves ------------------------------------------------------------------
    def _on_auto_accept(self, tid: str, agent_id: str) -> None:
        task, s = self.live.get(tid), self.sessions.get(agent_id)
        if task is not None and s is not None and task.state == "offered" and task.offered_to == agent_id:
            self.connect(task, s, "accept")

    def _on_hangup(self, tid: str, owner: str) -> None:
        task = self.live.get(tid)
        if task is not None and task.owner == owner and task.state in machine.LIVE:
            self.hang_up(task, "customer")

    def _on_auto_wrap(self, tid: str, agent_id: str) -> None:
        task, s = self.tasks.get(tid), self.sessions.get(agent_id)
        if task is None or s is None:
            return
        code = self.tenant.default_code(self.tenant.wrapup_codes)
        if agent_id in task.pending_wrapup:
            self._wrapup_left(s, task, {"auxCodeId": code})
        elif task.state == "wrapup" and task.owner == agent_id:
            self.complete(s, task, code)
