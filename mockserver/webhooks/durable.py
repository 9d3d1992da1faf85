"""The delivery state of webhooks in the store: the deliveries still queued (with the exact body to send) and the
delivery log, so ``--storage FILE`` keeps them across a restart or a SIGKILL, and reset and snapshots cover them.

Every change is one small document written before the dispatcher moves on: a queued delivery is a document
until it ends (delivered, failed or dropped); each log entry is a document numbered per subscription, carrying
the subscription's running totals and consecutive failures, and the entries beyond the log's size are deleted.
After a restart the queue is sent again (at least once: a delivery cut by the kill is sent a second time, with
the same event id and body, which receivers de-duplicate by, as Webex asks of them).
"""
from __future__ import annotations

import collections

QUEUE = "webhook-delivery-queue"
LOG = "webhook-delivery-log"
OUTCOMES = ("accepted", "delivered", "retrying", "failed", "dropped")
_ENDS = ("delivered", "failed", "dropped")


def _sub_prefix(version: str, sub_id: str) -> str:
    return f"{version}:{sub_id}:"


def queued(store, d) -> None:
    """Keep a queued delivery (also after each failed attempt: its attempt count)."""
    store.put(d.org, QUEUE, {"id": _queue_id(d), "version": d.version,
                             "subscriptionId": d.sub_id, "eventId": d.event_id, "eventType": d.event_type,
                             "eventTime": d.event_time, "seq": d.seq, "body": d.body.decode("utf-8"),
                             "timestamp": d.timestamp, "attempt": d.attempt, "number": d.number})


def ended(store, d) -> None:
    """A delivery left the queue."""
    store.delete(d.org, QUEUE, _queue_id(d))


def _queue_id(d) -> str:
    # By the subscription's own count of accepted events, not the event id: a simulation rebuilt after a restart
    # may publish an id seen before, and two queued deliveries must never share a document.
    return f"{_sub_prefix(d.version, d.sub_id)}{d.number:012d}"


def logged(store, key, n: int, entry: dict, totals, failures: int, keep: int, number: int) -> None:
    """Log entry ``n`` of a subscription (about its accepted event ``number``), with its totals so far; entry
    ``n - keep`` goes."""
    org, version, sub_id = key
    prefix = _sub_prefix(version, sub_id)
    store.put(org, LOG, {"id": f"{prefix}{n:012d}", "version": version, "subscriptionId": sub_id, "n": n,
                         "number": number, "entry": entry, "totals": dict(totals), "failures": failures})
    if n - keep >= 0:
        store.delete(org, LOG, f"{prefix}{n - keep:012d}")


def failures_reset(store, key) -> None:
    """The subscription was made active again: its last entry says so (no disable right after a restart)."""
    org, version, sub_id = key
    docs = _of(store, org, LOG, version, sub_id)
    if docs:
        last = max(docs, key=lambda doc: doc["n"])
        store.put(org, LOG, {**last, "failures": 0})


def forget(store, key) -> None:
    """A deleted subscription: its queue and its log go."""
    org, version, sub_id = key
    for kind in (QUEUE, LOG):
        for doc in _of(store, org, kind, version, sub_id):
            store.delete(org, kind, doc["id"])


def _of(store, org, kind, version, sub_id) -> list[dict]:
    return store.scan(org, kind, lambda doc: doc.get("version") == version and doc.get("subscriptionId") == sub_id)


def load(store, orgs, make, log_size: int) -> dict:
    """``{key: {"queue": [Delivery], "log": deque, "totals": Counter, "failures": int, "next": int}}`` of ``orgs``.

    ``make(org, doc)`` builds a Delivery from a queue document.
    """
    out: dict = {}
    for org in orgs:
        for doc in store.scan(org, LOG):
            key = (org, doc["version"], doc["subscriptionId"])
            state = out.setdefault(key, _empty(log_size))
            state["entries"].append(doc)
        for doc in store.scan(org, QUEUE):
            key = (org, doc["version"], doc["subscriptionId"])
            out.setdefault(key, _empty(log_size))["queue"].append(make(org, doc))
    for key, state in out.items():
        entries = sorted(state.pop("entries"), key=lambda doc: doc["n"])
        ended_numbers = {doc.get("number") for doc in entries if doc["entry"]["outcome"] in _ENDS}
        for d in [d for d in state["queue"] if d.number in ended_numbers]:  # killed between its end and removal
            state["queue"].remove(d)
            ended(store, d)
        state["log"].extend(doc["entry"] for doc in entries)
        if entries:
            last = entries[-1]
            state["totals"].update(last["totals"])
            state["failures"], state["next"] = last["failures"], last["n"] + 1
        state["queue"].sort(key=lambda d: d.order)
    return out


def _empty(log_size: int) -> dict:
    return {"queue": [], "log": collections.deque(maxlen=log_size), "totals": collections.Counter(),
            "failures": 0, "next": 0, "entries": []}
