"""The one guard: a step of the request pipeline's ``before_request`` hook (``http/pipeline.py``), it applies the
policy table to every route.

Status codes follow the Common API Errors page (webex-cc-facts.md 6.1): a missing or malformed
``Authorization`` header is 400, a bad or expired token 401, a missing scope, another organisation's
path or a role without access 403.
"""
from __future__ import annotations

import hmac
import re

from flask import request
from werkzeug.exceptions import MethodNotAllowed

from ..http.errors import ApiError
from . import policy

_UNROUTED_ORG = re.compile(r"^/organization/([^/]+)(?:/|$)")


def _bearer(req=None) -> str:
    header = (request if req is None else req).environ.get("HTTP_AUTHORIZATION")  # the header, no Headers view
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


def path_org(req=None) -> str | None:
    """The organisation the matched route names in its path (``orgid``/``orgId``), or None."""
    req = request if req is None else req
    args = req.view_args
    if args:
        return args.get("orgid") or args.get("orgId")
    m = _UNROUTED_ORG.match(req.path)
    return m.group(1) if m else None


def authorize(need, org: str | None, claims: dict, req=None) -> None:
    """Scope, organisation and role checks of one need against verified claims (403 on failure)."""
    scopes = claims.get("scope", "").split()
    if need.scopes and need.scopes.isdisjoint(scopes):
        req = request if req is None else req
        wanted = " or ".join(sorted(need.scopes))
        raise ApiError(403, f"Access denied: {req.method} {req.path} requires scope {wanted}; "
                            f"the token has {' '.join(sorted(set(scopes))) or 'none'}.")
    if org is not None and org != claims.get("org_id"):
        raise ApiError(403, f"Access denied: the token belongs to organization {claims.get('org_id')}, "
                            f"not to organization {org}.")
    if need.roles is not None and not claims.get("connector_id"):
        roles = claims.get("roles") or ()
        if need.roles.isdisjoint(roles):
            req = request if req is None else req
            raise ApiError(403, f"Access denied: the user's roles ({', '.join(sorted(set(roles))) or 'none'}) "
                                f"do not allow {req.method} on this resource.")


def rule_of(found, req):
    """The rule of the matched endpoint (``found``: its ``access.of``); unrouted paths under /organization/ still
    check the token first."""
    if found is not None:
        return found.rule
    if _UNROUTED_ORG.match(req.path):
        return policy.UNROUTED_CONFIG
    return None


def check(rt, req, gg, found):
    """The guard, run before every request of the app whose runtime is ``rt`` (``req``, ``g`` and the endpoint's
    access, ``access.of``, resolved by the request pipeline)."""
    if isinstance(req.routing_exception, MethodNotAllowed):
        return None  # a method the path never accepts: 405 (with Allow) whoever asks, as RFC 9110 expects
    rule = rule_of(found, req)
    method = req.method
    if rule is None or rule.public or (method == "OPTIONS" and not rule.mock):
        return None  # OPTIONS is answered without a token, but on the control API
    if rule.mock:
        if not rule.session:  # the console checks the header or its own session (console/web.py)
            _check_mock_admin(rt)
        return None
    claims = rt.tokens.verify(_bearer(req), rt.base_url)
    gg.claims = claims
    if req.url_rule is None:
        # Unrouted: the token is checked (as the vendor does) and must belong to the path's organisation, then a
        # 404 whatever its scopes and roles: a 403 naming a scope would send users hunting for the wrong one.
        authorize(policy.RULES["identity"].need(method), path_org(req), claims, req)
        return None
    authorize(rule.need(method), path_org(req), claims, req)
    return None
