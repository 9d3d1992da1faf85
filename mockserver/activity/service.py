"""The activity of every organisation of one app: a center per org, built on first use from the configuration,
advanced to the mock clock's present on every use (live mode), reset with the org."""
from __future__ import annotations

import threading
from contextlib import contextmanager

from . import tenant as tenant_view
from .bus import EventBus
from .center import Center
from .history import History

#: Configuration kinds the simulation reads: a change to one rebuilds the center's view of the tenant.
_KINDS = ("contact-service-queue", "entry-point", "team", "user", "site", "multimedia-profile", "skill-profile",
          "auxiliary-code", "dial-number")


class Activity:
    """Centers by organisation, sharing the app's event bus and history."""

    def __init__(self, rt):
        self.rt = rt
        self.bus: EventBus = rt.bus
        self.history: History = rt.history
        self.desktop = EventBus()  # answers meant only for an agent's websocket (BuddyAgents...), not webhooks
        self._lock = threading.Lock()
        self._centers: dict[str, Center] = {}
        self._versions: dict[str, tuple] = {}
        self.routes: dict[str, dict] = {}  # org -> entry point id -> queue id (overrides)
        from ..ccapi.hub import Hub  # the websocket server: started on the first subscription

        self.hub = Hub(self)

    def _version(self, org: str) -> tuple:
        return tuple(self.rt.store.version(org, kind) for kind in _KINDS)

    def peek(self, org: str) -> Center | None:
        """The org's center if one was built (no side effects)."""
        return self._centers.get(org)

    @contextmanager
    def center(self, org: str):
        """The org's center, locked and advanced to now; what changed is written to the history on exit."""
        with self._lock:
            c = self._centers.get(org)
            version = self._version(org)
            if c is None:
                view = tenant_view.load(self.rt.store, org, self.routes.get(org))
                c = self._centers[org] = Center(org, view, self.bus, self.history, start_ms=self.rt.clock.now_ms())
                self._versions[org] = version
            elif self._versions.get(org) != version:
                c.tenant = tenant_view.load(self.rt.store, org, self.routes.get(org), c.tenant)
                c.router.rebuild()
                self._versions[org] = version
        with c.lock:
            c.advance(self.rt.clock.now_ms())
            try:
                yield c
            finally:
                c.flush()

    def set_routes(self, org: str, routes: dict) -> None:
        """Override entry point -> queue mappings (validated by the caller); the center re-reads its view."""
        self.routes[org] = dict(routes)
        self._versions.pop(org, None)

    def reset(self, org: str | None) -> None:
        """Forget one organisation's activity (or everyone's): centers, history, overrides."""
        with self._lock:
            orgs = [org] if org else list(self._centers)
            for o in orgs:
                self._centers.pop(o, None)
                self._versions.pop(o, None)
                self.routes.pop(o, None)
                self.history.reset(o)

    def tick(self) -> None:
        """Advance every center to now (live mode without requests, e.g. for websockets)."""
        for org in list(self._centers):
            c = self._centers.get(org)
            if c is not None and c.heap and c.heap[0][0] <= self.rt.clock.now_ms():
                with c.lock:
                    c.advance(self.rt.clock.now_ms())
