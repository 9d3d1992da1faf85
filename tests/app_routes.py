"""The routes of the app, walked once per test session (building an app registers every blueprint)."""
from __future__ import annotations

import functools
import re

from mockserver import create_app

#: The mock's own routes, which the vendor does not have: its controls, the simulated Control Hub
#: connectors, health, its own OpenAPI document and docs, the OAuth issuer (webexapis.com, not the
#: Contact Center host) and Flask's static files.
#: Also the live routes the spec lacks: people/me (webexapis.com) and the tenant record (runtime facts 8.3, 9).
OWN = re.compile(r"^/(_mock/|controlhub/|health$|openapi\.json$|docs|\.well-known/|v1/authorize$|v1/access_token$"
                 r"|static/|v1/people/me$|organization/<orgid>$)")
CONFIG_PREFIX = "/organization/<orgid>/"


@functools.lru_cache(maxsize=1)
def shared_app():
    """One app for collecting routes (tests that change state build or reset their own)."""
    return create_app({"access_log": False})


def routes() -> list[tuple[str, str, str]]:
    """``(METHOD, rule, endpoint)`` of every route, HEAD and OPTIONS aside, sorted."""
    out = set()
    for rule in shared_app().url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            out.add((method, rule.rule, rule.endpoint))
    return sorted(out, key=lambda r: (r[1], r[0]))


def vendor_routes() -> list[tuple[str, str, str]]:
    """The routes that claim to be the vendor's (everything but the mock's own)."""
    return [r for r in routes() if not OWN.match(r[1])]


def config_routes() -> list[tuple[str, str, str]]:
    """The configuration API routes (``/organization/<orgid>/...``)."""
    return [r for r in routes() if r[1].startswith(CONFIG_PREFIX)]
