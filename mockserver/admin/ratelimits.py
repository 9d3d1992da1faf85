"""A counting rate limiter per client id (Webex: 300 requests a minute per client id), off until configured.

Windows are fixed: a client's window opens at its first request and lasts ``windowSeconds`` on the mock
clock; the first ``limit`` requests in it pass, the rest get 429 with ``Retry-After`` = seconds until the
window closes. Counters are kept per (organisation, client id), so suites sharing a client id on one
server do not eat each other's budget.

Differs from Webex: its algorithm is unpublished (only "300 requests a minute per client id"); it limits per
client id across organisations, and presumably counts unauthenticated calls too. Here only authenticated API calls
count.
"""
from __future__ import annotations

import math
import threading

import marshmallow as ma
from flask import Response
from flask.views import MethodView

from ..http.errors import OrgNotFound
from ..http.jsonutil import json_response
from ..runtime import current
from . import StrictBoolean, blp

DEFAULT_LIMIT, DEFAULT_WINDOW = 300, 60  # webex-cc-facts.md 6.3


class Limiter:
    """Settings (server-wide and per organisation) and the counters."""

    def __init__(self, clock):
        self.clock = clock
        self._lock = threading.Lock()
        self.default: dict | None = None  # {"limit", "windowSeconds"}; None = off
        self.per_org: dict[str, dict | None] = {}  # None = explicitly off for that org
        self._windows: dict[tuple, list] = {}  # (org, client) -> [window start, count]

    def active(self) -> bool:
        """Whether any limit is configured (the server-wide default or one organisation's)."""
        return self.default is not None or any(v is not None for v in self.per_org.values())

    def settings(self, org: str | None) -> dict | None:
        """The limit that applies to an organisation."""
        return self.per_org[org] if org in self.per_org else self.default

    def configure(self, org: str | None, limit: int | None, window: float | None, enabled: bool = True) -> None:
        """Set (or switch off) the limit of one organisation, or the server-wide default; counters restart."""
        value = {"limit": limit, "windowSeconds": window} if enabled else None
        with self._lock:
            if org is None:
                self.default = value
                self._windows.clear()
            else:
                self.per_org[org] = value
                self._drop_counters(org)

    def forget(self, org: str | None = None) -> None:
        """Drop settings and counters of one organisation (or everything)."""
        with self._lock:
            if org is None:
                self.default, self.per_org, self._windows = None, {}, {}
            else:
                self.per_org.pop(org, None)
                self._drop_counters(org)

    def _drop_counters(self, org: str) -> None:
        for key in [k for k in self._windows if k[0] == org]:
            del self._windows[key]

    def hit(self, org: str | None, client_id: str) -> int | None:
        """Count one request; None when allowed, else the ``Retry-After`` in whole seconds."""
        rule = self.settings(org)
        if rule is None:
            return None
        now = self.clock.now()
        with self._lock:
            window = self._windows.get((org, client_id))
            if window is None or now >= window[0] + rule["windowSeconds"]:
                window = self._windows[(org, client_id)] = [now, 0]
            if window[1] >= rule["limit"]:
                return max(1, math.ceil(window[0] + rule["windowSeconds"] - now))
            window[1] += 1
            return None

    def state(self, org: str | None = None) -> dict:
        """Settings plus the current counters (of one organisation, or all)."""
        with self._lock:
            counters = [{"orgId": o, "clientId": c, "windowStart": w[0], "count": w[1]}
                        for (o, c), w in self._windows.items() if org is None or o == org]
            return {"default": self.default, "organizations": dict(self.per_org), "counters": counters}


class LimitRequest(ma.Schema):
    """A limit; ``enabled: false`` switches limiting off (for the org, or the default)."""

    enabled = StrictBoolean(load_default=True)
    limit = ma.fields.Integer(strict=True, load_default=DEFAULT_LIMIT,
                              validate=ma.validate.Range(min=1, max=10_000_000))
    windowSeconds = ma.fields.Float(load_default=DEFAULT_WINDOW,
                                    validate=ma.validate.Range(min=0, min_inclusive=False, max=86400 * 31))


def _configure(org: str | None, args: dict) -> Response:
    rt = current()
    if org is not None and rt.org(org) is None:
        raise OrgNotFound(org)
    rt.limiter.configure(org, args["limit"], args["windowSeconds"], args["enabled"])
    return json_response(rt.limiter.state(org))


@blp.route("/ratelimits")
class RateLimits(MethodView):
    """The server-wide default limit."""

    @blp.doc(responses={"200": {"description": "`{default, organizations, counters}`"}})
    def get(self):
        """Settings and counters."""
        return json_response(current().limiter.state())

    @blp.arguments(LimitRequest, required=False)
    @blp.doc(responses={"200": {"description": "The new settings"}})
    def put(self, args):
        """Set the default limit for every organisation without its own (Webex: 300 per 60 s)."""
        return _configure(None, args)

    @blp.doc(responses={"204": {"description": "Limiting off everywhere"}})
    def delete(self):
        """Switch limiting off and forget every setting and counter."""
        current().limiter.forget()
        return Response(status=204)


@blp.route("/ratelimits/<org_id>")
class OrgRateLimit(MethodView):
    """One organisation's limit."""

    @blp.doc(responses={"200": {"description": "Settings and this organisation's counters"}})
    def get(self, org_id):
        """The limit that applies to the organisation, and its counters."""
        state = current().limiter.state(org_id)
        return json_response({"effective": current().limiter.settings(org_id), **state})

    @blp.arguments(LimitRequest, required=False)
    @blp.doc(responses={"200": {"description": "The new settings"}})
    def put(self, args, org_id):
        """Set the organisation's own limit (counters restart)."""
        return _configure(org_id, args)

    @blp.doc(responses={"204": {"description": "Back to the default"}})
    def delete(self, org_id):
        """Forget the organisation's own limit and counters (the default applies again)."""
        current().limiter.forget(org_id)
        return Response(status=204)
