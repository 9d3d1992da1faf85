"""The web console at /console: simulated Control Hub connector pages, a Flow Designer HTTP Request tester, the harness.

Server-rendered (Jinja2) with a little plain JavaScript, no external assets. Every page reads and changes state
through the mock's own HTTP API (client.py), with the signed-in person's token or the control API's admin token.
"""
from __future__ import annotations

from datetime import datetime, timezone

from ..auth.policy import ROLE_LABELS
from ..compat import web as compat
from ..http import errors
from ..http.inputs import FORM


def _when(ms) -> str:
    """Epoch milliseconds as UTC, to the second."""
    if not isinstance(ms, (int, float)) or isinstance(ms, bool):
        return ""
    try:
        return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):
        return str(ms)


def _duration(ms) -> str:
    """Milliseconds as m:ss (h:mm:ss from an hour on)."""
    if not isinstance(ms, (int, float)) or isinstance(ms, bool):
        return ""
    minutes, seconds = divmod(max(0, int(ms)) // 1000, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def _change(entry: dict) -> str:
    """What an audit entry changed, in words."""
    before, after = entry.get("before") or {}, entry.get("after") or {}
    if not before:
        return f"created {after.get('name')!r} ({after.get('accessLevel')})"
    if not after:
        return f"deleted {before.get('name')!r}"
    parts = [f"{k}: {before.get(k)!r} -> {after.get(k)!r}" for k in ("name", "accessLevel", "active")
             if before.get(k) != after.get(k)]
    return "; ".join(parts) or "no setting changed"


def register(api, rt) -> None:
    """Attach the console to the app (a plain Flask blueprint: its pages are not part of the API document)."""
    from . import connector_pages, flow_pages, harness_pages, live_pages, signin  # noqa: F401  (routes join bp)
    from .web import _http_error, bp

    app = compat.api_app(api)
    app.register_blueprint(bp)
    app.jinja_env.filters.setdefault("when", _when)
    app.jinja_env.filters.setdefault("change", _change)
    app.jinja_env.filters.setdefault("duration", _duration)
    app.jinja_env.filters.setdefault("role", lambda role: ROLE_LABELS.get(role, role))
    # The body check (inputs.py) accepts what a view documents: every console form is form-encoded.
    for endpoint, view in app.view_functions.items():
        if endpoint.startswith("console.") and endpoint != "console.static":
            compat.declare_request_types(view, [FORM])
            errors.errors_shaped("console")(view)
    # A console path no route takes (a method it does not allow) is a console page too, not the API's JSON.
    errors.PAGE_SHAPES["console"] = _http_error
    errors.PREFIX_SHAPES[bp.url_prefix + "/"] = "console"
