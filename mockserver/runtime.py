"""The state of one app: config, clock, store, keys and tokens. One per ``create_app``; passed to what is built
with the app (engines, hooks, the guard), found by views through ``current()``."""
from __future__ import annotations

import ipaddress
import os
import re
import secrets
import time
from typing import TYPE_CHECKING, Callable

from flask import current_app, request

from .auth.keys import KeyRing
from .auth.tokens import TokenService
from .clock import Clock
from .config import Config
from .storage import SYSTEM, Store
from .storage.fixtures import load_fixtures

if TYPE_CHECKING:
    from .activity.bus import EventBus
    from .activity.history import History
    from .activity.service import Activity
    from .admin.faults import FaultBook
    from .admin.journal import Journal
    from .admin.ratelimits import Limiter
    from .console.session import Sessions
    from .issuer.grants import IssuerState
    from .resources.crud import Catalog
    from .webhooks.delivery import Dispatcher

_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9a-fA-F:]+\](:[0-9]{1,5})?$")


class Runtime:
    """Everything an app's views share, declared here and built once per app (nothing attaches itself later)."""

    config: Config
    clock: Clock
    store: Store
    keys: KeyRing
    tokens: TokenService
    journal: "Journal"  # the request journal (/_mock/journal)
    faults: "FaultBook"  # injected faults (/_mock/faults)
    limiter: "Limiter"  # per-client rate limits (/_mock/ratelimits)
    issuer: "IssuerState"  # the OAuth issuer's grants: codes, consent requests, refresh-token families
    resources: "Catalog"  # the configuration API's resources and their engines
    console_sessions: "Sessions"  # the web console's signed-in sessions (/console)
    fixture_seed: dict | None  # the fixtures as loaded, kept for copying the demo tenant (read on first use)
    admin_token: str  # what /_mock and the console need ("" : nothing), see ``effective_admin_token``
    admin_token_generated: bool  # made up at start because the server listens beyond loopback
    bus: "EventBus"  # the one event stream of the simulation (webhooks, websockets subscribe)
    history: "History"  # task and agent-session records (/v1/tasks, statistics); a search IndexedHistory
    activity: "Activity"  # the simulated contact center of every organisation
    keys_secret: bytes  # signs capture URLs (valid for this process only)
    reset_hooks: list  # called with an org id (None: every org) when organisations are reset
    webhooks: "Dispatcher"  # webhook delivery queue, threads and log (mockserver/webhooks)
    flow_dispatcher: "Callable | None"  # where flows send their HTTP requests; None: in-process through the app

    def __init__(self, config: Config):
        self.config = config
        self.started = time.time()
        self.clock = Clock()
        # Bulk loading creates millions of objects: ``create_app`` runs this with the collector off, and freezes
        # what it built (later full collections skip the tenant).
        self.store = Store(None if config.storage == "memory" else config.storage)
        raw: dict = {}
        seed, self.fixtures_summary = load_fixtures(config.fixtures, raw, compact=True)
        self.store.seed(seed, load=self.store.is_empty(), owned=True, raw=raw)
        del seed, raw
        self.keys = KeyRing(self.clock, config.key_grace_seconds, config.signing_key)
        self.tokens = TokenService(self.keys, self.clock, config.access_token_ttl, config.token_cache_size,
                                   config.token_cluster, config.bare_jwt_tokens)
        if config.public_base_url:
            self.tokens.register_issuer(config.public_base_url.rstrip("/"))
        from .admin.faults import FaultBook
        from .admin.journal import Journal
        from .admin.ratelimits import Limiter
        from .console.session import Sessions
        from .issuer.grants import IssuerState
        from .resources.crud import Catalog

        self.journal = Journal(config.journal_size)
        self.faults = FaultBook(self.clock)
        self.limiter = Limiter(self.clock)
        self.issuer = IssuerState(self)
        self.resources = Catalog(self)
        self.console_sessions = Sessions()
        self.fixture_seed = None
        self.admin_token, self.admin_token_generated = effective_admin_token(config)
        from .activity.bus import EventBus
        from .activity.service import Activity
        from .search.index import IndexedHistory

        # The history also keeps the Search API's view of its records (SQLite), current on every write.
        self.bus, self.history = EventBus(), IndexedHistory(config.activity_history_size)
        self.activity = Activity(self)
        self.keys_secret = os.urandom(32)
        self.reset_hooks = [self.activity.reset]
        from .webhooks.delivery import Dispatcher

        self.webhooks = Dispatcher(config, self.store, self.clock)
        self.bus.subscribe(self.webhooks.on_event, self.webhooks.wants)  # a subscriber of the one event stream
        self.reset_hooks.append(self.webhooks.load)  # a reset store holds no delivery state for the org: none kept
        self.flow_dispatcher = None  # the seam tests and the harness set (flows/dispatch.py)

    # -- look-ups shared by the issuer, the control API and the CLI ---------------------------------
    def org(self, org_id: str) -> dict | None:
        """An organisation record (id, name, licences), or None."""
        return self.store.get(SYSTEM, "org", org_id)

    def demo_orgs(self) -> list[str]:
        """Organisations, the one marked ``"demo": true`` in its org.json first."""
        orgs = self.store.orgs()
        return sorted(orgs, key=lambda o: not (self.org(o) or {}).get("demo", False))

    def integration(self, client_id: str) -> dict | None:
        """An OAuth integration by client id, or None."""
        return self.store.get(SYSTEM, "integration", client_id)

    def find_person(self, who: str, org_id: str | None = None) -> dict | None:
        """A person (an identity that can log in) by id or email, in one org or any."""
        orgs = [org_id] if org_id else self.store.orgs()
        for org in orgs:
            doc = self.store.get(org, "people", who)
            if doc is None:
                hits = self.store.lookup(org, "people", "email", who)
                doc = dict(hits[0]) if hits else None
            if doc is not None:
                return {**doc, "orgId": org}
        return None

    def base_url(self) -> str:
        """The public base URL: configured, else from the request (X-Forwarded-Proto/Host honoured)."""
        if self.config.public_base_url:
            return self.config.public_base_url.rstrip("/")
        proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        host = request.headers.get("X-Forwarded-Host", "").split(",")[0].strip()
        proto = proto if proto in ("http", "https") else request.scheme
        host = host if _HOST.match(host) else request.host
        return f"{proto}://{host}"


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a listening address) is reachable only from this machine."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name that may resolve anywhere: treated as reachable from outside


def effective_admin_token(config: Config) -> tuple[str, bool]:
    """``(token, generated)``: the configured one; none on loopback; a random one beyond it; ``off`` opens all."""
    if config.admin_token.strip().lower() == "off":
        return "", False
    if config.admin_token:
        return config.admin_token, False
    if is_loopback(config.host):
        return "", False
    return secrets.token_urlsafe(24), True  # safe on a network by default: the control API is not open to all


def current() -> Runtime:
    """The runtime of the app serving the current request."""
    return current_app.extensions["wxcc"]
