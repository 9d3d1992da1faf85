"""The activity of every organisation of one app: a center per org, built on first use from the configuration,
advanced to the mock clock's present on every use (live mode), reset with the org."""
from __future__ import annotations

import contextlib
import logging
import threading
from contextlib import contextmanager

from flask import has_request_context, request

from . import state as state_io
from . import tenant as tenant_view
from .bus import EventBus
from .center import Center
from .history import History

log = logging.getLogger("mockserver.activity")

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
        self._no_lock = contextlib.nullcontext()
        self._centers: dict[str, Center] = {}
        self._versions: dict[str, tuple] = {}
        self.routes: dict[str, dict] = {}  # org -> entry point id -> queue id (overrides)
        from ..ccapi.hub import Hub  # the websocket server: started on the first subscription

        self.hub = Hub(self)
        self.log = None
        if rt.config.storage and rt.config.storage != "memory":
            from .persist import ActivityLog

            self.log = ActivityLog(rt.config.storage)
            self._replay()

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
                c = self._centers[org] = self._new_center(org)
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
                self._persist(org, c)

    def _new_center(self, org: str) -> Center:
        view = tenant_view.load(self.rt.store, org, self.routes.get(org))
        c = Center(org, view, self.bus, self.history, start_ms=self.rt.clock.now_ms())
        c.track_changes = self.log is not None
        return c

    # -- snapshots and persistence ------------------------------------------------------------------
    def export(self, org: str) -> dict | None:
        """The org's whole activity (``state.dump`` plus its routing overrides), or None when it has none."""
        c = self._centers.get(org)
        if c is None:
            return None
        with c.lock:
            return {"routes": dict(self.routes.get(org, {})), **state_io.snapshot(c, self.history)}

    def check(self, org: str, state) -> None:
        """Refuse (``BadState``) what ``restore`` could not load, changing nothing (a dry run)."""
        if state is None:
            return
        if not isinstance(state, dict) or not isinstance(state.get("routes"), dict):
            raise state_io.BadState("activity.routes: an object {entryPointId: queueId} is required.")
        state_io.load(state, lambda: self._new_center(org), History())

    def restore(self, org: str, state: dict | None) -> None:
        """Make the org's activity exactly ``state`` (from ``export``; None: none). ``BadState`` changes nothing."""
        if state is None:
            self.reset(org)
            return
        routes = state.get("routes") if isinstance(state, dict) else None
        if not isinstance(routes, dict):
            raise state_io.BadState("activity.routes: an object {entryPointId: queueId} is required.")
        with self._lock:
            old_routes = self.routes.get(org)
            self.routes[org] = dict(routes)
            try:
                c = state_io.load(state, lambda: self._new_center(org), self.history)
            except state_io.BadState:
                if old_routes is None:
                    self.routes.pop(org, None)
                else:
                    self.routes[org] = old_routes
                raise
            self._centers[org] = c
            self._versions[org] = self._version(org)
        with c.lock:
            self._persist(org, c, whole=True)

    def _persist(self, org: str, c: Center, whole: bool = False) -> None:
        """With ``--storage``: write what changed before the answer (under the center's lock)."""
        if self.log is None:
            return
        mark = (c.time, len(c.heap), len(c.marks), len(c.activities), len(c.order))
        mutating = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        if not (whole or mutating or c.changed or c.changed_sessions or c.forgot["tasks"] or mark != c.written):
            return
        c.written = mark
        if whole or c.persisted is None or self.log.needs_compaction(org):  # a new center starts its log whole
            self.log.compact(org, {"routes": dict(self.routes.get(org, {})), **state_io.dump(c, self.history)})
        else:
            self.log.write(org, "delta", {"routes": dict(self.routes.get(org, {})), **state_io.delta(c, self.history)})

    def _replay(self) -> None:
        """Rebuild every persisted center (snapshot, then deltas), then fold each log into its snapshot."""
        for org, ops in self.log.load().items():
            c = None
            for kind, state in ops:
                try:
                    self.routes[org] = dict(state.get("routes") or {})
                    if kind == "state" or c is None:
                        c = state_io.load(state, lambda o=org: self._new_center(o), self.history)
                    else:
                        state_io.apply(c, state, self.history)
                except (state_io.BadState, KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
                    log.warning("activity of %s: an entry could not be applied (%s)", org, exc)
            if c is None:
                continue
            self._centers[org], self._versions[org] = c, self._version(org)
            self.log.compact(org, {"routes": dict(self.routes.get(org, {})), **state_io.dump(c, self.history)})

    def close(self) -> None:
        """Fold every log into its snapshot and close the files (clean shutdown)."""
        if self.log is None:
            return
        for org in self.log.orgs():
            c = self._centers.get(org)
            if c is not None:
                with c.lock:
                    self._persist(org, c, whole=True)
        self.log.close()

    def set_routes(self, org: str, routes: dict) -> None:
        """Override entry point -> queue mappings (validated by the caller); the center re-reads its view."""
        self.routes[org] = dict(routes)
        self._versions.pop(org, None)

    def reset(self, org: str | None) -> None:
        """Forget one organisation's activity (or everyone's): centers, history, overrides."""
        with self._lock:
            orgs = [org] if org else list(self._centers)
            if self.log is not None and not org:
                orgs = sorted(set(orgs) | set(self.log.orgs()))
            for o in orgs:
                c = self._centers.pop(o, None)
                self._versions.pop(o, None)
                self.routes.pop(o, None)
                with c.lock if c is not None else self._no_lock:  # a request still in that center writes first
                    self.history.reset(o)
                    if self.log is not None:
                        self.log.compact(o, None)

    def tick(self) -> None:
        """Advance every center to now (live mode without requests, e.g. for websockets)."""
        for org in list(self._centers):
            c = self._centers.get(org)
            if c is not None and c.heap and c.heap[0][0] <= self.rt.clock.now_ms():
                with c.lock:
                    c.advance(self.rt.clock.now_ms())
