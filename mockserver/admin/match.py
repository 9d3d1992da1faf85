"""Shared by the journal, faults and rate limits: path globs and which organisation a request is about."""
from __future__ import annotations

import functools
import re

from flask import g, request

from ..auth.guard import path_org
from ..http.inputs import FORM, form_fields


@functools.lru_cache(maxsize=512)
def path_glob(pattern: str) -> re.Pattern:
    """``*`` matches within one path segment, ``**`` across segments, ``?`` one character.

    So ``/organization/*/team/*`` matches a team item but not ``/organization/x/team/y/incoming-references``.
    """
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("^" + "".join(out) + "$")


def path_matches(pattern: str | None, path: str) -> bool:
    """True when no pattern is given or the path matches it."""
    return not pattern or path_glob(pattern).match(path) is not None


def org_of(claims: dict | None, req) -> str | None:
    """The organisation of a request: its verified token's (``claims``, None when no token was checked), else the
    one named in the path."""
    if claims and claims.get("org_id"):
        return claims["org_id"]
    return path_org(req)


def request_client() -> str | None:
    """The OAuth client of the current request (token claim; the form field on the token endpoint)."""
    claims = g.get("claims")
    if claims:
        return claims.get("client_id")
    if request.path == "/v1/access_token" and request.mimetype == FORM:
        return form_fields().get("client_id")
    return None


def control_of(found, path: str) -> bool:
    """Whether a request is the mock's own control API: never journaled, faulted or rate limited (a test must
    always reach it). Known by the matched route's access rule (``found``: ``access.of``, None when unrouted); an
    unrouted path under ``/_mock`` counts too."""
    if found is not None:
        return found.rule.mock
    return path == "/_mock" or path.startswith("/_mock/")
