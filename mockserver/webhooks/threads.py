"""Webhook delivery in the API's own process (``MOCKSERVER_WEBHOOK_DELIVERY=thread``): two threads that each take
the subscription whose head delivery is due first and POST it. Simple, but every socket operation gives up the
API's GIL and has to win it back from the request threads (docs/performance.md, Webhook delivery)."""
from __future__ import annotations

import logging
import threading
import time

from . import subscriptions
from .envelope import Delivery, headers
from .sender import Sender

log = logging.getLogger("mockserver.webhooks")
WORKERS = 2


class ThreadWorkers:
    """Per subscription one delivery at a time, in order; each worker holds a subscription while it sends."""

    def __init__(self, dispatcher):
        self.dp = dispatcher
        self.sender = Sender(dispatcher.config.webhook_timeout, dispatcher.extra_hosts)
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start the workers (once; called with the dispatcher's condition held)."""
        if not self._threads:
            for n in range(WORKERS):
                t = threading.Thread(target=self._run, name=f"webhook-delivery-{n}", daemon=True)
                t.start()
                self._threads.append(t)

    def first_free(self, key) -> int:
        """Where a new delivery may go in the queue: behind a head that is being sent."""
        return 1 if key in self.dp._busy else 0

    def close(self, key) -> None:
        """A subscription went away: its kept connection too."""
        self.sender.close(key)

    def _pick(self):
        """The subscription whose head delivery is due first, or the seconds to wait."""
        dp = self.dp
        now, best, wait = time.monotonic(), None, None
        for key, due in dp._due.items():
            if key in dp._busy:
                continue
            if due <= now and (best is None or due < dp._due[best]):
                best = key
            elif due > now:
                wait = min(wait or due - now, due - now)
        return best, wait

    def _run(self) -> None:
        dp = self.dp
        while True:
            with dp._cond:
                key, wait = self._pick()
                while key is None:
                    dp._cond.wait(wait)
                    key, wait = self._pick()
                dp._busy.add(key)
                d = dp._queues[key][0]
            try:
                self._deliver(key, d)
            except Exception as exc:  # a bug must not kill the worker: log it and go on with the next delivery
                log.exception("webhook delivery failed unexpectedly (%s)", d.event_id)
                with dp._cond:
                    dp._log(key, d, "failed", error=f"internal error: {type(exc).__name__}")
                    dp._done(key, d)
            finally:
                with dp._cond:
                    dp._busy.discard(key)
                    dp._cond.notify_all()

    def _deliver(self, key, d: Delivery) -> None:
        dp = self.dp
        sub = dp.store.get(d.org, subscriptions.KINDS[d.version], d.sub_id)
        if sub is None:  # deleted, or gone with an organisation reset: nothing of it is kept
            dp.forget(*key, busy_ok=True)
            return
        if sub.get("status") != "active":
            with dp._cond:
                dp._drop_all(key, "subscription inactive")
            return
        started = time.monotonic()
        status, error = self.sender.post(key, sub["destinationUrl"], d.body, headers(sub, d))
        latency = round((time.monotonic() - started) * 1000, 1)
        with dp._cond:
            d.attempt += 1
            dp._outcome(key, d, status, error, latency)
