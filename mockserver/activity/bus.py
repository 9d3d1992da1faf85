"""The one event stream of the simulation: every transition is published once; webhooks, websockets and the
journal subscribe, so what a receiver gets, what ``/search`` reports and what ``/v1/tasks`` lists agree.

An event's ``type`` is the vendor's name (``task:new``, ``agent:login``...: webex-cc-runtime-facts.md 3.4) and its
``data`` the vendor's ``data`` object for that type (facts 3.5); ``time`` is epoch milliseconds on the mock clock.
"""
from __future__ import annotations

import itertools
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger("mockserver.activity")


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened in an organisation."""

    org_id: str
    type: str
    time: int
    data: dict
    id: str = field(default_factory=lambda: str(uuid.uuid4()))  # for receivers' de-duplication
    seq: int = 0  # publication order (set by the bus)


Subscriber = Callable[[Event], None]
Wants = Callable[[str], bool]


class EventBus:
    """Synchronous fan-out in publication order. A subscriber must return quickly (queue, never block on I/O);
    one that raises is logged and the others still get the event."""

    def __init__(self):
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []
        self._wants: list[Wants | None] = []  # beside each subscriber: which organisations it wants (None: all)
        self._seq = itertools.count(1)

    def subscribe(self, fn: Subscriber, wants: Wants | None = None) -> Callable[[], None]:
        """Start calling ``fn`` with every event; returns the function that stops it. ``wants(org_id)`` says whether
        ``fn`` has a use for an organisation's events right now (a receiver of it exists): see ``listening``."""
        with self._lock:
            self._subscribers, self._wants = [*self._subscribers, fn], [*self._wants, wants]

        def unsubscribe():
            with self._lock:
                kept = [(s, w) for s, w in zip(self._subscribers, self._wants) if s is not fn]
                self._subscribers, self._wants = [s for s, _ in kept], [w for _, w in kept]
        return unsubscribe

    def listening(self, org_id: str) -> bool:
        """Whether a subscriber may want the organisation's events now (one subscribed without ``wants`` always
        may). When none does, the simulation publishes nothing (docs/activity.md, "Scale"): an event nobody
        receives has no effect, and building a month's three million of them was a sixth of the generator's time."""
        return any(w is None or w(org_id) for w in self._wants)

    def publish(self, org_id: str, type_: str, time_ms: int, data: dict, event_id: str | None = None) -> Event:
        """Publish one event to every subscriber; returns it."""
        with self._lock:
            subscribers = self._subscribers
            event = Event(org_id, type_, time_ms, data, event_id or str(uuid.uuid4()), next(self._seq))
        for fn in subscribers:
            try:
                fn(event)
            except Exception:  # one broken subscriber must not stop the simulation or the others
                log.exception("event subscriber failed on %s %s", event.type, event.id)
        return event
