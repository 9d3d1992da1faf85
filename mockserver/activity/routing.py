"""Routing over the tenant's configuration: which agents a queue may offer to, when, and in what order.

Team-based queues offer to the teams of their call distribution groups, a group joining once a contact has
waited its ``duration`` (seconds); skill-based queues to agents of those teams whose skills meet the queue's
requirements; agent-based queues to the agents they list. The choice among free agents is the longest
available one (``LONGEST_AVAILABLE_AGENT``; [U] ``BEST_AVAILABLE_AGENT`` and circular choices are served by the
same rule). A queue at ``maxActiveContacts`` overflows new contacts at once; ``maxTimeInQueue`` overflows a
waiting one.
"""
from __future__ import annotations

import heapq
from collections import deque

from .tenant import qualifies


class Router:
    """Per-queue waiting lines and per-(agent, queue) join delays, built from the tenant."""

    def __init__(self, center):
        self.c = center
        self.waiting: dict[str, deque] = {}  # queue id -> task ids in arrival order (lazily cleaned)
        self.delays: dict[str, dict[str, int]] = {}  # queue id -> agent id -> ms before the agent is eligible
        # Free agents by (queue, wait level): heaps of (available since, agent id), cleaned lazily at the top, so an
        # offer looks at a few entries instead of every agent (a month of a 500-agent center is millions of offers).
        self.free: dict[str, list[tuple[int, list]]] = {}  # queue id -> [(delay, heap)]
        self.by_agent: dict[str, list[tuple[str, int]]] = {}  # agent id -> [(queue id, delay)]
        self.levels: dict[str, list[int]] = {}
        self.heaps_of: dict[str, list[list]] = {}  # agent id -> the free heaps it joins when freed
        self.rebuild()

    def rebuild(self) -> None:
        """Recompute eligibility (after the configuration or a login changed)."""
        t = self.c.tenant
        self.delays = {}
        for qid, q in t.queues.items():
            delays: dict[str, int] = {}
            kind = q.get("queueRoutingType", "TEAM_BASED")
            if kind == "AGENT_BASED" and q.get("agents"):
                for a in q["agents"]:
                    aid = a.get("id") or a.get("agentId")
                    if aid in t.agents:
                        delays[aid] = 0
            else:
                for group in q.get("callDistributionGroups") or []:
                    wait = int(group.get("duration") or 0) * 1000
                    teams = {g.get("teamId") for g in group.get("agentGroups") or []}
                    for agent in t.agents.values():
                        if teams & set(agent.team_ids) and (kind != "SKILL_BASED"
                                                             or qualifies(agent, q.get("queueSkillRequirements"))):
                            delays[agent.id] = min(delays.get(agent.id, wait), wait)
            self.delays[qid] = delays
        self.by_agent = {}
        for qid, delays in self.delays.items():
            for aid, delay in delays.items():
                self.by_agent.setdefault(aid, []).append((qid, delay))
        self.free = {qid: [(d, []) for d in sorted(set(delays.values()))] for qid, delays in self.delays.items()}
        # The waits after which another group joins, per queue (a regroup is scheduled at each for every contact).
        self.levels = {qid: [d for d, _ in levels if d > 0] for qid, levels in self.free.items()}
        # The heaps an agent is listed in when it is freed, in the order ``free`` names them (one push each).
        self.heaps_of = {aid: [heap for qid, delay in entries for d, heap in self.free[qid] if d == delay]
                         for aid, entries in self.by_agent.items()}
        for s in self.c.sessions.values():
            self.freed(s)

    def freed(self, s) -> None:
        """An agent may take more work (it became Available or let a contact go): list it where it is eligible."""
        if s.state != "Available" or s.leaving:
            return
        entry, push = (s.available_since, s.agent.id), heapq.heappush
        # A heap is cleaned at its top by offers; one no contact reaches would grow with every freeing (a queue no
        # entry point routes to, a month long): past twice the sessions it is compacted (amortised O(1) a push).
        cap = 2 * len(self.c.sessions) + 64
        for heap in self.heaps_of.get(s.agent.id, ()):
            push(heap, entry)
            if len(heap) > cap:
                self.compact(heap)

    def compact(self, heap: list) -> None:
        """Drop the entries an offer could never take (the agent logged out, or became available again since)
        and repeats; what is left is what offers would see, in the same order (a sorted list is a heap)."""
        sessions = self.c.sessions
        heap[:] = sorted({e for e in heap if (s := sessions.get(e[1])) is not None and s.available_since == e[0]})

    def queued(self, qid: str) -> list:
        """Tasks waiting in a queue, oldest first."""
        live = self.c.live
        return [live[t] for t in self.waiting.get(qid, ()) if t in live and live[t].state == "queued"
                and live[t].queue == qid]

    def enqueue(self, task, queue_id: str | None = None, action: str = "~route") -> None:
        """Put a task in a queue by a table ``action`` (route from the flow, reject/RONA back, transfer) and
        offer it at once if an agent is free. A re-queued task keeps its place in line (its ``queued_at``)."""
        c = self.c
        qid = queue_id or task.queue or c.tenant.routes.get(task.ep)
        queue = c.tenant.queues.get(qid)
        if queue is None and action == "~route":
            task.termination, task.terminating_end = "overflow", "system"
            c.move(task, "~overflow", reason="NO_QUEUE")
            return
        limit = int(queue.get("maxActiveContacts") or 0)
        # (Counted only when the live tasks could reach the limit: they rarely do, and a count is a scan of them.)
        if action == "~route" and limit and len(c.live) > limit and \
                sum(1 for t in c.live.values() if t.queue == qid and t.state != "new") >= limit:
            task.termination, task.terminating_end = "overflow", "system"
            task.count("overflowCount")
            c.move(task, "~overflow", reason="maxActiveContacts")
            return
        keep_place = action in ("reject", "~rona") and task.queue == qid and task.queued_at is not None
        if task.queue and task.queue != qid:
            task.prev_queue = task.queue
        task.queue, task.first_queue = qid, task.first_queue or qid
        c.move(task, action, destination_type="queue")
        if not keep_place:
            c.mark("enqueued", task)
        line = self.waiting.setdefault(qid, deque())
        if keep_place:
            pos = next((i for i, tid in enumerate(line) if tid in c.live
                        and (c.live[tid].queued_at or 0) > task.queued_at), len(line))
            line.insert(pos, task.id)
        else:
            task.queued_at = c.time
            line.append(task.id)
            if queue.get("maxTimeInQueue"):
                c.schedule(c.time + int(queue["maxTimeInQueue"]) * 1000, "overflow", task.id, task.queued_at)
            for wait in self.levels.get(qid, ()):
                c.schedule(c.time + wait, "regroup", qid)
        self.offer_to_free_agent(task)

    def dequeue(self, task) -> None:
        line = self.waiting.get(task.queue)
        if line and task.id in line:
            line.remove(task.id)

    def eligible(self, agent_id: str, task) -> bool:
        delay = self.delays.get(task.queue, {}).get(agent_id)
        return delay is not None and self.c.time - (task.queued_at or self.c.time) >= delay

    def offer_to_free_agent(self, task) -> bool:
        """Offer a queued task to the longest-available eligible free agent; False when none is free."""
        c = self.c
        best = None
        waited = c.time - task.queued_at
        for delay, heap in self.free.get(task.queue, ()):
            if waited < delay:
                break
            while heap:
                since, aid = heap[0]
                s = c.sessions.get(aid)
                if s is not None and s.available_since == since and s.free_for(c.live, task.channel):
                    if best is None or (since, aid) < (best.available_since, best.agent.id):
                        best = s
                    break
                heapq.heappop(heap)  # stale: logged out, idle, busy, or listed again since
        if best is None:
            return False
        self.dequeue(task)
        c.offer(task, best)
        return True

    def _head(self, qid: str):
        """The longest-waiting queued task of a queue (dropping entries that left it)."""
        line, live = self.waiting.get(qid), self.c.live
        while line:
            task = live.get(line[0])
            if task is not None and task.state == "queued" and task.queue == qid:
                return task
            line.popleft()
        return None

    def dispatch_agent(self, session) -> None:
        """An agent became free: offer it the longest-waiting task it is eligible for, while it has room."""
        c = self.c
        while True:
            best = None
            for qid, delay in self.by_agent.get(session.agent.id, ()):
                task = self._head(qid)
                if task is None or not session.free_for(c.live, task.channel) or c.time - task.queued_at < delay:
                    continue  # the oldest waits least long enough for this agent: the younger ones too
                if best is None or (task.queued_at, task.id) < (best.queued_at, best.id):
                    best = task
            if best is None:
                return
            self.dequeue(best)
            c.offer(best, session)

    def dispatch_queue(self, qid: str) -> None:
        """A group joined (a wait threshold passed): try the oldest tasks of the queue again."""
        for task in self.queued(qid):
            if not self.offer_to_free_agent(task):
                break
