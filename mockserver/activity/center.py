"""One organisation's contact center in motion: a timed event queue over tasks and agent sessions.

Time is the mock clock's: ``advance(to_ms)`` runs every scheduled event up to ``to_ms`` in (time, sequence)
order, so the same seed and the same calls give the same history. The center never runs ahead of the time it
was advanced to; an action arriving with an earlier clock (the clock was moved back) happens at the center's time.
"""
from __future__ import annotations

import heapq
import itertools
import logging
import operator
import random
import threading

from ..clock import uuid4_text
from . import bound, ended, machine, records
from .agents import AgentOps
from .columns import Columns
from .consults import ConsultOps
from .feed import Feed
from .generator import GeneratorEvents
from .keys import Keys
from .model import TASK_COUNT, TASK_DURATION, Task
from .routing import Router
from .tasks import TaskOps

#: Events a task publishes on entering a state (webex-cc-runtime-facts.md 3.4).
_TASK_EVENT = {"new": "task:new", "queued": "task:parked", "offered": "task:connect", "connected": "task:connected",
               "held": "task:on-hold", "consulting": "task:consulting", "conferencing": "task:conferencing",
               "wrapup": "task:ended", "abandoned": "task:ended", "overflowed": "task:ended"}
#: Events for leaving a state back to connected (hold-done, consult-done, conference-done).
_BACK_EVENT = {"held": "task:hold-done", "consulting": "task:consult-done", "conferencing": "task:conference-done"}

log = logging.getLogger("mockserver.activity")
_CREATED = operator.attrgetter("created", "id")
MAX_SCHEDULED = 5_000_000  # bounded: a traffic request larger than this is refused before it starts
#: The columns of a mark (time, kind, agent, channel, task, queue, value) and of a span (agent, session, channel,
#: state, start, end, task, queue, idle code, wrap-up code, team, site, dial number, reason); columns.py: q an
#: integer, c a value of a small set (the tenant's), s one of an open set that is mostly small (a session's id,
#: a dial number, a client's reason: coded while few), o an id made per contact.
MARK_COLUMNS, SPAN_COLUMNS = "qcccocq", "csccqqocccccss"
FLUSH_EVERY = 1 << 16  # events between two flushes within one advance (a few thousand contacts)


class Center(AgentOps, TaskOps, ConsultOps, GeneratorEvents):
    """Tasks, sessions and timers of one organisation."""

    def __init__(self, org_id: str, tenant, bus, history, seed: int | None = None, start_ms: int = 0):
        self.org_id, self.tenant, self.bus, self.history = org_id, tenant, bus, history
        self.lock = threading.RLock()
        self.rng = random.Random(seed if seed is not None else org_id)
        self.erng = random.Random(f"events|{org_id}")
        self.time = start_ms
        self.tasks: dict[str, Task] = {}  # every task the history holds (terminal ones too) and every live one
        self.live: dict[str, Task] = {}  # tasks not yet terminal
        self.order = Keys()  # (createdTime, id): sorted, as the center's time never goes back (keys.py)
        self.sessions: dict = {}  # agent (user) id -> current Session
        self.past_sessions: list = []
        self.available: dict = {}  # agent ids in Available (ordered, for a deterministic scan)
        self.activities = Columns(SPAN_COLUMNS)  # closed channel-state spans (records.ACTIVITY fields)
        self.marks = Columns(MARK_COLUMNS)  # (time, kind, agent, channel, task, queue, value): what statistics count
        self.heap: list = []
        self.feed: list = []  # a window's arrivals (``feed.Feed``), latest first: see ``advance``
        self.feed_arrivals = True  # whether the feed holds arrivals only (each one a new task: ``bound.foresee``)
        # Within an advance: whether the tasks it creates are all the feed's arrivals, and the time before which the
        # marks and spans it adds are sure to be forgotten before it ends (``bound.foresee``; 0: none).
        self.foreseen, self.forget_before = False, 0
        self.seq = itertools.count()
        self.router = Router(self)
        self.dirty_tasks: set[str] = set()
        self.dirty_sessions: set = set()
        self.ring_timeout_ms = 30_000
        self.heard = True  # whether anything listens to the org's events (asked as the center starts to move)
        self.extras: dict = {}  # monitoring, callbacks, campaigns... kept by the views' services
        # What was flushed since the state was last written (state.delta): task ids, agent-session ids; kept only
        # when something writes deltas (``--storage``), else it would grow with the history.
        self.track_changes = False
        self.changed: set[str] = set()
        self.changed_sessions: set[str] = set()
        self.persisted: dict | None = None  # lengths of the append-only lists when last written
        self.written: tuple | None = None  # (time, pending events, marks, spans, tasks) when last written
        self.written_sessions: dict[str, bytes] = {}  # session id -> its state as last written (state.delta)
        self.written_order: list[str] = []  # the sessions' agent ids in order, as last written
        self.written_heap: tuple[int, int] | None = None  # (next event sequence, pending events) when last written
        # The history's horizons the center followed (bound.follow), and what written it forgot since last written.
        self.horizon: dict = {"task": None, "agentSession": None}
        self.forgot: dict = bound.nothing_forgotten()

    # -- ids and time -------------------------------------------------------------------------------------
    def new_id(self) -> str:
        """A UUID4 from the center's seeded generator (deterministic)."""
        return uuid4_text(self.rng.getrandbits(128))

    def event_id(self) -> str:
        """An event's id: a UUID4 from a generator of its own (deterministic, and no system call per event)."""
        return uuid4_text(self.erng.getrandbits(128))

    def unheard(self) -> None:
        """An event nobody listens to is not built, but its id is drawn: the ids of those to come stay the same."""
        self.erng.getrandbits(128)

    def at(self, now_ms: int) -> int:
        """Run everything due up to ``now_ms``; the center's time afterwards (never earlier than before)."""
        self.advance(now_ms)
        return self.time

    def schedule(self, when: int, kind: str, *args) -> None:
        if len(self.heap) >= MAX_SCHEDULED:
            raise machine.Refused(400, "TOO_MANY_EVENTS", "the simulation holds too many pending events.")
        heapq.heappush(self.heap, (int(when), next(self.seq), kind, args))

    def schedule_arrivals(self, arrivals) -> None:
        """A window's arrivals (``feed.Arrivals``) in bulk: they wait beside the heap, in order, instead of in it
        (every push and pop on a heap of 300,000 walked 18 levels of it), as columns of numbers (``feed.Feed``);
        ``advance`` merges both, by (time, sequence) as the heap alone would, and leaves whatever it did not run
        in the heap. Their sequence numbers are drawn now, in the order they were drawn, as ``schedule`` would."""
        if len(self.heap) + len(self.feed) + len(arrivals) > MAX_SCHEDULED:
            raise machine.Refused(400, "TOO_MANY_EVENTS", "the simulation holds too many pending events.")
        if self.feed:  # between advances the feed is empty; were it not, its events wait in the heap instead
            self.heap.extend(self.feed)
            heapq.heapify(self.heap)
        seq0 = next(self.seq)
        self.seq = itertools.count(seq0 + len(arrivals))
        self.feed, self.feed_arrivals = Feed(arrivals, seq0), True

    def advance(self, to_ms: int) -> int:
        """Process scheduled events up to ``to_ms``; returns how many ran."""
        self.heard = self.bus.listening(self.org_id)
        ran = 0
        heap, feed, handlers = self.heap, self.feed, {}
        bound.foresee(self, [], to_ms, start=True)
        # The feed's next event, held here: looked at beside the heap's before every event (a method call each).
        nxt = feed[-1] if feed else None
        try:
            while True:
                if nxt is not None and (not heap or nxt < heap[0]):
                    if nxt[0] > to_ms:
                        break
                    when, _, kind, args = nxt
                    nxt = feed.pop_next()
                elif heap and heap[0][0] <= to_ms:
                    when, _, kind, args = heapq.heappop(heap)
                else:
                    break
                if when > self.time:
                    self.time = when
                handler = handlers.get(kind)
                if handler is None:
                    handler = handlers[kind] = getattr(self, "_on_" + kind)
                try:
                    handler(*args)
                except machine.Refused as exc:  # the simulation's own move met a state that refuses it: skip it
                    log.debug("scheduled %s refused: %s", kind, exc.text)
                ran += 1
                if not ran % FLUSH_EVERY:  # a long run (weeks generated at once) keeps its ended tasks compact
                    self.flush(to_ms)
        finally:
            if feed:  # what is still to come is in the heap between advances (snapshots, persistence, ``tick``)
                heap.extend(feed)
                heapq.heapify(heap)
            self.feed = []  # the window's columns go with it
            self.forget_before, self.foreseen = 0, False
        self.time = max(self.time, to_ms)
        self.flush()
        return ran

    def flush(self, to_ms: int | None = None) -> None:
        """Write the records of what changed to the history (once per advance or action, not per step). Within an
        advance up to ``to_ms``, the records the bound is sure to drop before it ends are not built at all
        (``bound.foresee``: a month generated with the default bound builds a third of its records)."""
        if not self.dirty_tasks and not self.dirty_sessions:  # a read: nothing to write, the bound still followed
            bound.compact_past(self)
            bound.follow(self)
            return
        # In creation order: the history keeps records sorted by time, and appends in order cost nothing where
        # inserts at random places (a set's order) cost a list move each, quadratic over a month of contacts.
        tasks = sorted(filter(None, map(self.tasks.get, self.dirty_tasks)), key=_CREATED)
        history, org = self.history, self.org_id
        spared, kept = bound.foresee(self, [(t.created, t.id) for t in tasks], to_ms)
        if spared:  # sure to be dropped: no record, no row, kept as they are until the center forgets them
            tasks = [t for t in tasks if t.id not in spared]
        with history.batch(org, len(tasks), kept) as put:
            for task in tasks:
                if type(task) is ended.Ended:  # its record is final: only the capture flag may have changed since
                    rec = history.task(org, task.id)
                    if rec is not None and rec["captureRequested"] != task.capture:
                        put({**rec, "captureRequested": task.capture})
                    continue
                put(records.task_record(self, task))
                if ended.can_compact(self, task):  # its last record written: the center keeps a row of it
                    self.tasks[task.id] = ended.compact(self, task)
        for session in self.dirty_sessions:
            self.history.put_agent_session(self.org_id, records.session_record(self, session))
        if self.track_changes:
            self.changed.update(self.dirty_tasks)
            self.changed_sessions.update(s.id for s in self.dirty_sessions)
        self.dirty_tasks.clear()
        self.dirty_sessions.clear()
        bound.compact_past(self)  # their records written: a logged-out session is kept as (login, id)
        bound.follow(self)  # what the history's bound dropped, the center forgets too

    # -- task transitions ---------------------------------------------------------------------------------
    def move(self, task: Task, action: str, destination_type: str | None = None, publish: bool = True,
             **data) -> str:
        """Apply one table transition to a task at the center's time (``Refused`` when the table refuses)."""
        old = task.state
        new = machine.task_next(old, action, destination_type)
        now = self.time
        name = TASK_DURATION.get(old)
        if name:
            task.add(name, now - task.since)
        if new in TASK_COUNT and (new != old or action in ("transfer", "consult/transfer")):
            task.count(TASK_COUNT[new])
        task.state, task.since, task.updated = new, now, now
        if new in machine.TERMINAL:
            task.ended = task.ended or now
            task.closed = now
            task.sim = None  # the simulated behaviour is spent: not kept for every past contact
            self.live.pop(task.id, None)
        elif new == "wrapup" and task.ended is None:
            task.ended = now
        self.dirty_tasks.add(task.id)
        if publish and new != old or action in ("transfer", "consult/transfer", "~overflow"):
            etype = _TASK_EVENT.get(new) if new != "connected" or old in ("offered", "queued") \
                else _BACK_EVENT.get(old, "task:connected")
            if action == "consult/transfer":
                etype = "task:conference-transferred" if old == "conferencing" else "task:connected"
            if etype and self.heard:
                self.publish_task(etype, task, **data)
            elif etype:
                self.unheard()
        return new

    def mark(self, kind: str, task, agent_id: str | None = None, value: int = 0) -> None:
        """Note a countable moment (offered, accepted, rejected, transferred, enqueued, waited, abandoned,
        handled) for the statistics views; kept as a tuple per moment."""
        if self.time >= self.forget_before:  # else forgotten before the advance ends (``bound.foresee``)
            self.marks.append((self.time, kind, agent_id, task.channel, task.id, task.queue, value))

    def publish_task(self, etype: str, task: Task, **extra) -> None:
        if not self.heard:
            self.unheard()
            return
        data = {"taskId": task.id, "channelType": task.channel, "createdTime": self.time, "origin": task.origin,
                "destination": task.destination, "direction": task.direction.upper(),
                "outboundType": task.outbound_type, "queueId": task.queue, "agentId": task.owner,
                "entryPointId": task.ep, **extra}
        self.bus.publish(self.org_id, etype, self.time, data, self.event_id())

    # -- scheduled handlers (the simulation's own moves) --------------------------------------------------
    def _on_route(self, tid: str) -> None:
        task = self.live.get(tid)
        if task is not None and task.state == "new":
            self.router.enqueue(task)

    def _on_abandon(self, tid: str) -> None:
        task = self.live.get(tid)
        if task is not None and task.state in ("new", "queued", "offered"):
            self.abandon(task, "customer")

    def _on_overflow(self, tid: str, queued_at: int) -> None:
        task = self.live.get(tid)
        if task is not None and task.state == "queued" and task.queued_at == queued_at:
            self.router.dequeue(task)
            task.count("overflowCount")
            task.termination, task.terminating_end = "overflow", "system"
            self.move(task, "~overflow", reason="maxTimeInQueue")

    def _on_regroup(self, queue_id: str) -> None:
        self.router.dispatch_queue(queue_id)

    def abandon(self, task: Task, party: str) -> None:
        if task.state == "offered":
            self.withdraw_offer(task)
        self.router.dequeue(task)
        if task.queue:
            self.mark("abandoned", task)
        task.termination, task.terminating_end = "abandoned", party
        self.move(task, "~abandon", reason="CUSTOMER_ABANDONED", terminatingParty=party)
