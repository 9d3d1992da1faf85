"""Consults and conferences: an agent consults another agent, a queue or a number, then ends the consult,
transfers the contact to the consulted party, or brings it into a conference it can later leave."""
from __future__ import annotations

from . import machine
from .model import Task


class ConsultOps:
    """Mixed into ``Center`` (beside ``TaskOps``, whose ``act`` dispatches here)."""

    def _do_consult(self, s, task, body, nxt):
        self._need_owner(s, task, "consult")
        dtype, to = body.get("destinationType"), body.get("to")
        if dtype == "queue" and to not in self.tenant.queues:
            raise machine.Refused(400, "QUEUE_NOT_FOUND", f"to: queue {to} not found for given orgId.")
        target = self._target(body, task.channel) if dtype == "agent" else None
        if dtype == "queue":  # consult to queue: the queue's longest-available free agent, else it waits
            target = next((self.sessions[a] for a in self.available if a != s.agent.id
                           and a in self.router.delays.get(to, {})
                           and self.sessions[a].free_for(self.live, task.channel)),
                          None)
        task.consult = {"to": to, "type": dtype, "agent": target.agent.id if target else None,
                        "accepted": dtype in ("dialNumber", "entryPoint")}
        if target is not None:
            target.tasks[task.id] = task.channel
        self.move(task, "consult", consultTo=to)
        self.refresh(s)

    def _do_consult_accept(self, s, task, body, nxt):
        consult = task.consult or {}
        if consult.get("agent") != s.agent.id or consult.get("accepted"):
            raise machine.Refused(400, "INVALID_STATE", "consult/accept: no consult waits for this agent.")
        consult["accepted"] = True
        self.dirty_tasks.add(task.id)
        self.refresh(s)

    def _drop_consult(self, task: Task) -> None:
        consult, task.consult = task.consult, None
        other = self.sessions.get((consult or {}).get("agent"))
        if other is not None and other.agent.id not in task.conference and other.agent.id != task.owner:
            other.tasks.pop(task.id, None)
            self.refresh(other)
            if other.state == "Available":
                self.router.freed(other)
                self.router.dispatch_agent(other)

    def _do_consult_end(self, s, task, body, nxt):
        self._drop_consult(task)
        self.move(task, "consult/end")
        self.refresh(s)

    def _accepted(self, task, action):
        if not (task.consult or {}).get("accepted"):
            raise machine.Refused(400, "INVALID_STATE", f"{action}: the consulted party has not accepted.")

    def _do_consult_transfer(self, s, task, body, nxt):
        self._need_owner(s, task, "consult/transfer")
        self._accepted(task, "consult/transfer")
        consult = task.consult
        task.count("transferCount")
        if consult.get("agent"):
            task.consult, task.owner = None, consult["agent"]
            task.agents.append(task.owner)
            task.wraps_later(s.agent.id)
            self.move(task, "consult/transfer", consult["type"], agentId=task.owner)
            self.refresh(self.sessions[task.owner])
        else:
            task.consult = None
            task.termination, task.terminating_end = "transferred", "agent"
            self.move(task, "consult/transfer", consult["type"])
        self.refresh(s)

    def _do_consult_conference(self, s, task, body, nxt):
        self._need_owner(s, task, "consult/conference")
        self._accepted(task, "consult/conference")
        consult, task.consult = task.consult, None
        if consult.get("agent"):
            task.conference.append(consult["agent"])
            task.agents.append(consult["agent"])
        self.move(task, "consult/conference")
        for aid in (s.agent.id, consult.get("agent")):
            if aid in self.sessions:
                self.refresh(self.sessions[aid])

    def _do_conference_exit(self, s, task, body, nxt):
        me = s.agent.id
        if me == task.owner:
            if not task.conference:
                raise machine.Refused(400, "INVALID_STATE", "conference/exit: no other agent would keep the call.")
            task.owner = task.conference.pop(0)
        else:
            task.conference.remove(me)
        task.wraps_later(me)
        self.move(task, "conference/exit", agentId=task.owner)
        self.refresh(s)
