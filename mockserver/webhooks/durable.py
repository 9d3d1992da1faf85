"""The delivery state of webhooks in the store: the deliveries still queued (with the exact body to send) and the
delivery log, so ``--storage FILE`` keeps them across a restart or a SIGKILL, and reset and snapshots cover them.

Each change is one small document: a queued delivery is a document until it ends (delivered, failed or dropped);
each log entry is a document numbered per subscription, carrying the subscription's running totals and consecutive
failures, and the entries beyond the log's size are deleted. After a restart the queue is sent again (at least
once: a delivery cut by the kill is sent a second time, with the same event id and body, which receivers
de-duplicate by, as Webex asks of them).

When do they reach the store? With ``--storage FILE`` at once, before the dispatcher moves on (a SIGKILL loses
none). In memory, where nothing outlives the process, only reads of the store need them (a snapshot, an org's
summary, the dispatcher's own reads at a restore or a reset): they are held here and written when the store is
about to be read (``Store.defer``), the last state of each document only. A delivery queued and ended between two
reads is never written at all: that was about 57 µs of the server's 140 µs per delivery (docs/performance.md,
Webhook delivery). What is held is bounded as the dispatcher's own state is: a document per queued delivery, the
last ``webhook_log_size`` log entries per subscription.
"""
from __future__ import annotations

import collections
import threading

QUEUE = "webhook-delivery-queue"
LOG = "webhook-delivery-log"
OUTCOMES = ("accepted", "delivered", "retrying", "failed", "dropped")
_ENDS = ("delivered", "failed", "dropped")


def _sub_prefix(version: str, sub_id: str) -> str:
    return f"{version}:{sub_id}:"


def _queue_id(d) -> str:
    # By the subscription's own count of accepted events, not the event id: a simulation rebuilt after a restart
    # may publish an id seen before, and two queued deliveries must never share a document.
    return f"{_sub_prefix(d.version, d.sub_id)}{d.number:012d}"


def _queue_doc(d, attempt: int) -> dict:
    return {"id": _queue_id(d), "version": d.version, "subscriptionId": d.sub_id, "eventId": d.event_id,
            "eventType": d.event_type, "eventTime": d.event_time, "seq": d.seq, "body": d.body.decode("utf-8"),
            "timestamp": d.timestamp, "attempt": attempt, "number": d.number}


class _Log:
    """One subscription's log entries not yet written, and the range of them the store holds."""

    __slots__ = ("entries", "stored")

    def __init__(self, stored: int):
        self.entries: collections.deque = collections.deque()  # (n, doc without its id), oldest first
        self.stored = stored  # the highest entry number in the store (-1: none)


class Durable:
    """The dispatcher's writes of its state, at once (``store.persistent``) or held until the store is read.

    Lock order: the dispatcher's condition, the store's lock, this one (``flush`` takes the store's first).
    """

    def __init__(self, store, keep: int):
        self.store, self.keep = store, keep
        self.at_once = store.persistent
        self._lock = threading.Lock()
        self._queue: dict[tuple, tuple | None] = {}  # (org, id) -> (delivery, its attempts) to put, None: delete
        self._stored: set[tuple] = set()  # (org, id) of the queue documents the store holds
        self._logs: dict[tuple, _Log] = {}  # subscription key -> what is held of its log
        self._dirty = False  # something is held (read without the lock: a quick no)
        store.defer((QUEUE, LOG), self.flush, self._discard)

    # -- what the dispatcher records (its condition held) -----------------------------------------------
    def queued(self, d) -> None:
        """Keep a queued delivery (also after each failed attempt: its attempt count)."""
        if self.at_once:
            self.store.put(d.org, QUEUE, _queue_doc(d, d.attempt), copy=False)
            return
        with self._lock:
            self._queue[(d.org, _queue_id(d))] = (d, d.attempt)
            self._dirty = True

    def ended(self, d) -> None:
        """A delivery left the queue (never written: nothing to write)."""
        if self.at_once:
            self.store.delete(d.org, QUEUE, _queue_id(d))
            return
        ref = (d.org, _queue_id(d))
        with self._lock:
            if ref in self._stored:
                self._queue[ref] = None
                self._dirty = True
            else:
                self._queue.pop(ref, None)

    def logged(self, key, n: int, entry: dict, totals, failures: int, number: int) -> None:
        """Log entry ``n`` of a subscription (about its accepted event ``number``), with its totals so far; entry
        ``n - keep`` goes."""
        org, version, sub_id = key
        doc = {"version": version, "subscriptionId": sub_id, "n": n, "number": number, "entry": entry,
               "totals": dict(totals), "failures": failures}
        if self.at_once:
            prefix = _sub_prefix(version, sub_id)
            self.store.put(org, LOG, {"id": f"{prefix}{n:012d}", **doc}, copy=False)
            if n - self.keep >= 0:
                self.store.delete(org, LOG, f"{prefix}{n - self.keep:012d}")
            return
        with self._lock:
            held = self._logs.get(key)
            if held is None:
                held = self._logs[key] = _Log(n - 1)  # a subscription new since the last load: nothing stored
            held.entries.append((n, doc))
            if len(held.entries) > self.keep:  # beyond the log's size before it was ever written
                held.entries.popleft()
            self._dirty = True

    # -- writing ----------------------------------------------------------------------------------
    def flush(self) -> None:
        """Write what is held (in memory: a reader is about to look), the last state of each document: queue
        documents, log entries (those beyond the log's size never written, the stored ones past it deleted), the
        queue's removals."""
        if not self._dirty:
            return
        store = self.store
        with store.lock, self._lock:
            queue, self._queue, self._dirty = self._queue, {}, False
            for (org, qid), held in queue.items():
                if held is not None:
                    store.put(org, QUEUE, _queue_doc(*held), copy=False)  # built here, never changed
                    self._stored.add((org, qid))
            for (org, version, sub_id), held in self._logs.items():
                if not held.entries:
                    continue
                prefix = _sub_prefix(version, sub_id)
                last = held.entries[-1][0]
                for n, doc in held.entries:
                    if n > last - self.keep:
                        store.put(org, LOG, {"id": f"{prefix}{n:012d}", **doc}, copy=False)
                for n in range(max(0, held.stored - self.keep + 1), min(held.stored, last - self.keep) + 1):
                    store.delete(org, LOG, f"{prefix}{n:012d}")
                held.entries.clear()
                held.stored = last
            for (org, qid), held in queue.items():
                if held is None:
                    store.delete(org, QUEUE, qid)
                    self._stored.discard((org, qid))

    def _discard(self, org: str | None, key: tuple | None = None) -> None:
        """Forget what is held of one subscription, one organisation or all (the store's state replaces it)."""
        def gone(ref: tuple) -> bool:  # a queue document ``(org, id)`` of what is forgotten
            return org is None or (ref[0] == org and (key is None or _of_key(ref, key)))

        with self._lock:
            for ref in [r for r in self._queue if gone(r)]:
                del self._queue[ref]
            self._stored = {r for r in self._stored if not gone(r)}
            for k in [k for k in self._logs if org is None or (k[0] == org and (key is None or k == key))]:
                del self._logs[k]

    # -- reads and removals of the stored state (the dispatcher's condition held, or at start) ------------
    def failures_reset(self, key) -> None:
        """The subscription was made active again: its last entry says so (no disable right after a restart)."""
        self.flush()
        org, version, sub_id = key
        docs = _of(self.store, org, LOG, version, sub_id)
        if docs:
            last = max(docs, key=lambda doc: doc["n"])
            self.store.put(org, LOG, {**last, "failures": 0}, copy=False)

    def forget(self, key) -> None:
        """A deleted subscription: its queue and its log go."""
        org, version, sub_id = key
        self._discard(org, key)
        for kind in (QUEUE, LOG):
            for doc in _of(self.store, org, kind, version, sub_id):
                self.store.delete(org, kind, doc["id"])

    def load(self, orgs, make, log_size: int) -> dict:
        """``{key: {"queue": [Delivery], "log": deque, "totals": Counter, "failures": int, "next": int}}`` of
        ``orgs`` (None: all) as the store holds them; what was held for them is dropped (the store's state wins).

        ``make(org, doc)`` builds a Delivery from a queue document.
        """
        for org in orgs if orgs is not None else [None]:
            self._discard(org)
        out: dict = {}
        store = self.store
        for org in orgs if orgs is not None else store.orgs():
            for doc in store.scan(org, LOG):
                key = (org, doc["version"], doc["subscriptionId"])
                state = out.setdefault(key, _empty(log_size))
                state["entries"].append(doc)
            for doc in store.scan(org, QUEUE):
                key = (org, doc["version"], doc["subscriptionId"])
                out.setdefault(key, _empty(log_size))["queue"].append(make(org, doc))
                with self._lock:
                    self._stored.add((org, doc["id"]))
        for key, state in out.items():
            entries = sorted(state.pop("entries"), key=lambda doc: doc["n"])
            ended_numbers = {doc.get("number") for doc in entries if doc["entry"]["outcome"] in _ENDS}
            for d in [d for d in state["queue"] if d.number in ended_numbers]:  # killed between its end and removal
                state["queue"].remove(d)
                store.delete(key[0], QUEUE, _queue_id(d))
                with self._lock:
                    self._stored.discard((key[0], _queue_id(d)))
            state["log"].extend(doc["entry"] for doc in entries)
            if entries:
                last = entries[-1]
                state["totals"].update(last["totals"])
                state["failures"], state["next"] = last["failures"], last["n"] + 1
                with self._lock:
                    self._logs[key] = _Log(last["n"])
            state["queue"].sort(key=lambda d: d.order)
        return out


def _of_key(ref: tuple, key: tuple) -> bool:
    """Whether a queue document ``(org, id)`` is of the subscription ``key``."""
    return ref[1].startswith(_sub_prefix(key[1], key[2]))


def _of(store, org, kind, version, sub_id) -> list[dict]:
    return store.scan(org, kind, lambda doc: doc.get("version") == version and doc.get("subscriptionId") == sub_id)


def _empty(log_size: int) -> dict:
    return {"queue": [], "log": collections.deque(maxlen=log_size), "totals": collections.Counter(),
            "failures": 0, "next": 0, "entries": []}
