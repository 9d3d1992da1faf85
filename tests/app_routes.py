"""The routes of the app, walked once per test session (building an app registers every blueprint)."""
from __future__ import annotations

import functools

from mockserver import create_app
from mockserver.auth import access

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


def is_own(endpoint: str) -> bool:
    """A route of the mock's own (controls, simulated Control Hub, health, docs, the OAuth issuer), as declared."""
    return not access.of(shared_app(), endpoint).vendor


def vendor_routes() -> list[tuple[str, str, str]]:
    """The routes that claim to be the vendor's (everything but the mock's own), as their declarations say."""
    return [r for r in routes() if not is_own(r[2])]


def config_routes() -> list[tuple[str, str, str]]:
    """The configuration API routes (``/organization/<orgid>/...``)."""
    return [r for r in routes() if r[1].startswith(CONFIG_PREFIX)]
