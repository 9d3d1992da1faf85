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


class EventBus:
    """Synchronous fan-out in publication order. A subscriber must return quickly (queue, never block on I/O);
    one that raises is logged and the others still get the event."""

    def __init__(self):
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []
        self._seq = itertools.count(1)

    def subscribe(self, fn: Subscriber) -> Callable[[], None]:
        """Start calling ``fn`` with every event; returns the function that stops it."""
        with self._lock:
            self._subscribers = [*self._subscribers, fn]

        def unsubscribe():
            with self._lock:
                self._subscribers = [s for s in self._subscribers if s is not fn]
        return unsubscribe

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
