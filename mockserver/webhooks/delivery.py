"""Webhook delivery: a subscriber of the event bus queues one delivery per wanting subscription; workers POST the
vendor's envelope (runtime facts 3.5), signed (3.6), with the failure rules of 3.7.

The queue, its order and the rules live here, in the API's process; the HTTP is done by a delivery process of its
own (``pump.py``, the default: its socket work does not compete for the API's GIL) or by two threads of this
process (``threads.py``, ``MOCKSERVER_WEBHOOK_DELIVERY=thread``). Per subscription, deliveries go out one at a
time in event-time order (a retry holds back later events, so a receiver never sees them out of order);
different subscriptions do not wait for each other beyond the worker count. The queue is bounded: when full, an
event is dropped for that subscription and the drop is logged, so a dead receiver can never grow memory or slow
the simulation or the API.
"""
from __future__ import annotations

import bisect
import collections
import logging
import operator
import threading
import time

import orjson

from . import durable, subscriptions, urls
from .envelope import Delivery, envelope, signature  # noqa: F401 (envelope, signature: public here too)

log = logging.getLogger("mockserver.webhooks")
MAX_BACKOFF = 300.0
_ORDER = operator.attrgetter("order")
MAX_BODY = 262144  # bytes of one delivery body at most (an event's data is small; this bounds a runaway one)


class Dispatcher:
    """The delivery queue and its worker threads for one app."""

    def __init__(self, config, store, clock):
        self.config, self.store, self.clock = config, store, clock
        self.extra_hosts = urls.allowed_hosts(config.webhook_allowed_hosts)
        self._cond = threading.Condition()
        self._queues: dict[tuple, list[Delivery]] = {}
        self._due: dict[tuple, float] = {}
        self._busy: set[tuple] = set()
        self._failures: dict[tuple, int] = {}
        self._logs: dict[tuple, collections.deque] = {}
        self._count = 0
        self._per_org: collections.Counter = collections.Counter()  # deliveries waiting, by organisation
        self.workers = _workers(self)
        self._totals: dict[tuple, collections.Counter] = {}
        self._active_subs: dict[tuple, tuple[int, list]] = {}  # (org, kind) -> (table version, active docs)
        self._next: dict[tuple, int] = {}  # number of the next log entry per subscription (its stored id)
        self.durable = durable.Durable(store, config.webhook_log_size)  # what of it the store keeps, and when
        self.load(None)  # what a restart finds in the store: the log, and the queue to send again

    # -- the bus side: never blocks --------------------------------------------------------------
    def on_event(self, event) -> None:
        """Queue the event for every active subscription of its organisation that wants its type."""
        for version, kind in subscriptions.KINDS.items():
            for sub in self._active(event.org_id, kind):
                if event.type not in (sub.get("eventTypes") or ()):
                    continue
                now = self.clock.now_ms()
                body = orjson.dumps(envelope(event, sub, version, now))
                d = Delivery(event.org_id, version, sub["id"], event.id, event.type, event.time, event.seq, body, now)
                self._enqueue(d)

    def wants(self, org: str) -> bool:
        """Whether the org has an active subscription (else its events need not be built: ``EventBus.listening``)."""
        return any(self._active(org, kind) for kind in subscriptions.KINDS.values())

    def _active(self, org: str, kind: str) -> list:
        """The org's active subscriptions of a kind, read again only when that table changed (a simulated month
        publishes millions of events: a table scan per event was a fifth of the generator's time)."""
        version = self.store.version(org, kind)
        cached = self._active_subs.get((org, kind))
        if cached is None or cached[0] != version:
            cached = self._active_subs[(org, kind)] = (
                version, self.store.scan(org, kind, lambda s: s.get("status") == "active"))
        return cached[1]

    def _enqueue(self, d: Delivery) -> None:
        key = (d.org, d.version, d.sub_id)
        with self._cond:
            totals = self._totals_of(key)
            totals["accepted"] += 1  # each accepted event ends delivered, failed or dropped, or is still queued
            d.number = totals["accepted"]
            if len(d.body) > MAX_BODY:
                return self._log(key, d, "dropped", error=f"body of {len(d.body)} bytes is over {MAX_BODY}")
            if self._count >= self.config.webhook_queue_size:
                return self._log(key, d, "dropped", error="delivery queue full")
            if self._per_org[d.org] >= self.config.webhook_queue_per_org:  # one org's dead receiver spares the others
                return self._log(key, d, "dropped", error="delivery queue of this organization full")
            queue = self._queues.setdefault(key, [])
            # The head may be in flight; no list of keys per event (a burst of 10,000 made that quadratic).
            pos = bisect.bisect_right(queue, d.order, lo=self.workers.first_free(key), key=_ORDER)
            queue.insert(pos, d)
            self.durable.queued(d)  # with --storage before the publisher goes on: a restart sends it
            self._count += 1
            self._per_org[d.org] += 1
            self._due.setdefault(key, time.monotonic())
            self.workers.start()
            self._cond.notify_all()

    # -- the rules of one attempt (called with the condition held, by either kind of workers) ----------------
    def _outcome(self, key, d: Delivery, status, error, latency) -> bool:
        """Apply one attempt's answer: delivered, a retry after back-off, failed, and the disable rule. True when
        delivered."""
        if status is not None and 200 <= status < 300:
            self._failures[key] = 0
            self._log(key, d, "delivered", status, latency=latency)
            self._done(key, d)
            return True
        failures = self._failures[key] = self._failures.get(key, 0) + 1
        limit = self.config.webhook_disable_after
        if d.attempt <= self.config.webhook_retries and not (limit and failures >= limit):
            delay = min(self.config.webhook_backoff * 2 ** (d.attempt - 1), MAX_BACKOFF)
            self._due[key] = time.monotonic() + delay
            self.durable.queued(d)  # its attempt count
            self._log(key, d, "retrying", status, error, latency, self.clock.now_ms() + int(delay * 1000))
            return False
        self._log(key, d, "failed", status, error, latency)
        self._done(key, d)
        if limit and failures >= limit:
            self._disable(d)
            self._drop_all(key, f"subscription turned inactive after {failures} consecutive failures")
        return False

    # -- bookkeeping (called with the condition held) ------------------------------------------------------
    def _done(self, key, d: Delivery) -> None:
        queue = self._queues.get(key)
        if queue and _take(queue, d):
            self._removed(d)
            self.durable.ended(d)
        if queue:
            self._due[key] = time.monotonic()
        else:
            self._queues.pop(key, None)
            self._due.pop(key, None)

    def _removed(self, d: Delivery) -> None:
        self._count -= 1
        self._per_org[d.org] -= 1
        if not self._per_org[d.org]:
            del self._per_org[d.org]

    def _drop_all(self, key, why: str) -> None:
        for d in self._queues.pop(key, []):
            self._removed(d)
            self._log(key, d, "dropped", error=why)
            self.durable.ended(d)
        self._due.pop(key, None)

    def _disable(self, d: Delivery) -> None:
        kind = subscriptions.KINDS[d.version]
        with self.store.atomic():
            current = self.store.get(d.org, kind, d.sub_id)
            if current is not None:
                self.store.put(d.org, kind, {**current, "status": "inactive", "lastUpdatedTime": self.clock.now_ms()})
        log.warning("webhook subscription %s turned inactive after repeated delivery failures", d.sub_id)

    def _totals_of(self, key) -> collections.Counter:
        totals = self._totals.get(key)
        if totals is None:  # not setdefault: it built a Counter (a Python-level __init__) twice per delivery
            totals = self._totals[key] = collections.Counter()
        return totals

    def _log(self, key, d: Delivery, outcome: str, status=None, error=None, latency=None, next_retry=None):
        totals = self._totals_of(key)
        totals[outcome] += 1
        entries = self._logs.get(key)
        if entries is None:
            entries = self._logs[key] = collections.deque(maxlen=self.config.webhook_log_size)
        entry = {"eventId": d.event_id, "eventType": d.event_type, "eventTime": d.event_time,
                 "attempt": d.attempt, "outcome": outcome, "httpStatus": status, "error": error,
                 "latencyMs": latency, "at": self.clock.now_ms(), "nextRetryTime": next_retry}
        entries.append(entry)
        n = self._next[key] = self._next.get(key, 0) + 1
        self.durable.logged(key, n - 1, entry, totals, self._failures.get(key, 0), d.number)

    # -- the stored state: at start, after a snapshot restore or a reset ------------------------------------------
    def load(self, org: str | None) -> None:
        """Replace what is held for one organisation (or all) by the store's delivery state; sending resumes."""
        found = self.durable.load([org] if org else None, self._delivery, self.config.webhook_log_size)
        with self._cond:
            for key in {*self._queues, *self._logs, *self._totals} - self._busy:
                if org is None or key[0] == org:
                    for d in self._queues.pop(key, ()):
                        self._removed(d)
                    for table in (self._due, self._logs, self._totals, self._failures, self._next):
                        table.pop(key, None)
            for key, state in found.items():
                if key in self._busy:  # its delivery is in flight: it ends on the state it started from
                    continue
                if state["queue"]:
                    self._queues[key] = state["queue"]
                    self._count += len(state["queue"])
                    self._per_org[key[0]] += len(state["queue"])
                    self._due[key] = time.monotonic()
                self._logs[key], self._totals[key] = state["log"], state["totals"]
                self._failures[key], self._next[key] = state["failures"], state["next"]
                self._totals[key]["accepted"] = max([state["totals"]["accepted"], *(d.number for d in state["queue"])])
            if self._count:
                self.workers.start()
                self._cond.notify_all()

    @staticmethod
    def _delivery(org: str, doc: dict) -> Delivery:
        return Delivery(org, doc["version"], doc["subscriptionId"], doc["eventId"], doc["eventType"],
                        doc["eventTime"], doc["seq"], doc["body"].encode("utf-8"), doc["timestamp"], doc["attempt"],
                        doc.get("number", 0))

    # -- what views and tests ask ---------------------------------------------------------------------
    def history(self, org: str, version: str, sub_id: str) -> list[dict]:
        """The delivery log of one subscription, oldest first."""
        with self._cond:
            return [dict(e) for e in self._logs.get((org, version, sub_id), ())]

    def totals(self, org: str, version: str, sub_id: str) -> dict:
        """How many deliveries ended each way since the subscription was made (the log keeps only the last ones)."""
        with self._cond:
            found = self._totals.get((org, version, sub_id), {})
            return {k: found.get(k, 0) for k in durable.OUTCOMES}

    def holds(self, key, d: Delivery) -> bool:
        """Whether ``d`` is still in its subscription's queue (not dropped, reset or deleted meanwhile)."""
        queue = self._queues.get(key)
        if not queue:
            return False
        i = bisect.bisect_left(queue, d.order, key=_ORDER)
        return any(q is d for q in queue[i:i + 8]) or any(q is d for q in queue)

    def pending(self, org: str, version: str, sub_id: str) -> int:
        """Deliveries of one subscription still queued (the one in flight included)."""
        with self._cond:
            return len(self._queues.get((org, version, sub_id), ()))

    def reactivated(self, org: str, version: str, sub_id: str) -> None:
        """A client set the subscription active again: its failure count starts over."""
        with self._cond:
            self._failures.pop((org, version, sub_id), None)
            self.durable.failures_reset((org, version, sub_id))

    def forget(self, org: str, version: str, sub_id: str, busy_ok: bool = False) -> None:
        """A deleted subscription: drop its queue and its log."""
        with self._cond:
            key = (org, version, sub_id)
            if busy_ok or key not in self._busy:
                self._drop_all(key, "subscription deleted")
            self._logs.pop(key, None)
            self._totals.pop(key, None)
            self._failures.pop(key, None)
            self._next.pop(key, None)
            self.durable.forget(key)
        self.workers.close(key)

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing is queued or in flight (or ``timeout`` s); True when idle."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._count or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
            return True


def _workers(dispatcher):
    """The workers the setting names (``process``: a delivery process of its own; ``thread``: in this one)."""
    if dispatcher.config.webhook_delivery.lower() == "thread":
        from .threads import ThreadWorkers

        return ThreadWorkers(dispatcher)
    from .pump import ProcessWorkers

    return ProcessWorkers(dispatcher)


def _take(queue: list, d: Delivery) -> bool:
    """Remove ``d`` from its subscription's queue (the head mostly; sorted by order but for a head in flight)."""
    if queue[0] is d:
        queue.pop(0)
        return True
    i = bisect.bisect_left(queue, d.order, lo=1, key=_ORDER)
    while i < len(queue) and queue[i].order == d.order:
        if queue[i] is d:
            del queue[i]
            return True
        i += 1
    for i, other in enumerate(queue):  # not where its order says (the list was out of order): still found
        if other is d:
            del queue[i]
            return True
    return False

