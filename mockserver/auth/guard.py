"""The one guard: installed once as a ``before_request`` hook, it applies the policy table to every route.

Status codes follow the Common API Errors page (webex-cc-facts.md 6.1): a missing or malformed
``Authorization`` header is 400, a bad or expired token 401, a missing scope, another organisation's
path or a role without access 403.
"""
from __future__ import annotations

import hmac
import re

from flask import Flask, current_app, g, request
from werkzeug.exceptions import MethodNotAllowed

from ..http.errors import ApiError
from . import access, policy

_UNROUTED_ORG = re.compile(r"^/organization/([^/]+)(?:/|$)")


def _bearer() -> str:
    header = request.headers.get("Authorization")
    if header is None:
        raise ApiError(400, "Authorization header is missing: send 'Authorization: Bearer <access token>'.")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise ApiError(400, "Authorization header is malformed: expected 'Bearer <access token>'.")
    return token


def _check_mock_admin(rt) -> None:
    """``/_mock/*`` needs the admin token when there is one (configured, or generated beyond loopback)."""
    expected = rt.admin_token
    if not expected:
        return
    sent = request.headers.get("X-Mock-Admin-Token", "")
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        sent = sent or header[7:].strip()
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise ApiError(401, "The mock control API needs the admin token (MOCKSERVER_ADMIN_TOKEN).")


def path_org() -> str | None:
    """The organisation the matched route names in its path (``orgid``/``orgId``), or None."""
    args = request.view_args
    if args:
        return args.get("orgid") or args.get("orgId")
    m = _UNROUTED_ORG.match(request.path)
    return m.group(1) if m else None


def authorize(need, org: str | None, claims: dict) -> None:
    """Scope, organisation and role checks of one need against verified claims (403 on failure)."""
    scopes = set(claims.get("scope", "").split())
    if need.scopes and not scopes & need.scopes:
        wanted = " or ".join(sorted(need.scopes))
        raise ApiError(403, f"Access denied: {request.method} {request.path} requires scope {wanted}; "
                            f"the token has {' '.join(sorted(scopes)) or 'none'}.")
    if org is not None and org != claims.get("org_id"):
        raise ApiError(403, f"Access denied: the token belongs to organization {claims.get('org_id')}, "
                            f"not to organization {org}.")
    if need.roles is not None and not claims.get("connector_id"):
        roles = set(claims.get("roles") or [])
        if not roles & need.roles:
            raise ApiError(403, f"Access denied: the user's roles ({', '.join(sorted(roles)) or 'none'}) "
                                f"do not allow {request.method} on this resource.")


def _rule():
    """The rule of the matched endpoint; unrouted paths under /organization/ still check the token first."""
    found = access.of(current_app, request.endpoint)
    if found is not None:
        return found.rule
    if _UNROUTED_ORG.match(request.path):
        return policy.UNROUTED_CONFIG
    return None


def guard(rt):
    """Runs before every request of the app whose runtime is ``rt``."""
    if isinstance(request.routing_exception, MethodNotAllowed):
        return None  # a method the path never accepts: 405 (with Allow) whoever asks, as RFC 9110 expects
    rule = _rule()
    if rule is None or rule.public or (request.method == "OPTIONS" and not rule.mock):
        return None  # OPTIONS is answered without a token, but on the control API
    if rule.mock:
        if not rule.session:  # the console checks the header or its own session (console/web.py)
            _check_mock_admin(rt)
        return None
    claims = rt.tokens.verify(_bearer(), rt.base_url)
    g.claims = claims
    if request.url_rule is None:
        # Unrouted: the token is checked (as the vendor does) and must belong to the path's organisation, then a
        # 404 whatever its scopes and roles: a 403 naming a scope would send users hunting for the wrong one.
        authorize(policy.RULES["identity"].need(request.method), path_org(), claims)
        return None
    authorize(rule.need(request.method), path_org(), claims)
    return None


def install(app: Flask, rt) -> None:
    """Apply the guard to every route of the app (``rt``: its runtime, passed in rather than looked up)."""

    def guard_request():
        return guard(rt)

    app.before_request(guard_request)
