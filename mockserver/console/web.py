"""The console blueprint and what every page shares: session, admin-token gate, CSRF check, messages, errors."""
from __future__ import annotations

import functools
import hmac
import logging

from flask import Blueprint, g, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from ..auth import access
from ..auth.policy import ROLE_LABELS
from ..connectors.access import allowed
from ..http.errors import ApiError
from ..runtime import current
from .session import COOKIE, Sessions, csrf_ok

log = logging.getLogger("mockserver")

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static",
               static_url_path="/static")
access.declare(bp, "console", vendor=False)
MAX_MESSAGES = 5
#: Pages reachable before the admin token is given (the form that takes it, and the stylesheet it uses).
_OPEN = ("console.unlock", "console.static")


def sessions() -> Sessions:
    """This app's console sessions (built with the runtime)."""
    return current().console_sessions


def _admin_header_ok(expected: str) -> bool:
    """The control API's own header forms (scripts may call the console like /_mock)."""
    sent = request.headers.get("X-Mock-Admin-Token", "")
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        sent = sent or header[7:].strip()
    return bool(sent) and hmac.compare_digest(sent.encode(), expected.encode())


def unlocked() -> bool:
    """Whether this caller has the admin token (or none is configured): the console is guarded like /_mock."""
    expected = current().admin_token
    return not expected or bool(g.console.get("admin")) or _admin_header_ok(expected)


@bp.before_request
def _before():
    """Session first (a form needs its CSRF token), then the admin-token gate, then the CSRF check of every POST."""
    if request.endpoint == "console.static":
        return None
    sid = request.cookies.get(COOKIE)
    session = sessions().get(sid)
    if session is None:
        sid, session = sessions().new()
        g.console_cookie = sid
    g.console_sid, g.console = sid, session
    if request.endpoint not in _OPEN and not unlocked():
        if request.method == "GET":
            return redirect(url_for("console.unlock", next=request.full_path.rstrip("?")))
        return render("error.html", 401, title="Admin token needed",
                      reason="The console needs the admin token (MOCKSERVER_ADMIN_TOKEN). Nothing was changed.")
    if request.method == "POST" and not csrf_ok(session, request.form.get("csrf")):
        return render("error.html", 400, title="Form not verified",
                      reason="This form could not be verified: its CSRF token is missing or does not match your "
                             "session. Nothing was changed; reload the page and try again.")
    return None


@bp.after_request
def _after(resp):
    """The session cookie (HttpOnly, SameSite=Strict, only for /console) and headers that keep pages private."""
    sid = g.get("console_cookie")
    if sid:
        resp.set_cookie(COOKIE, sid, httponly=True, samesite="Strict", secure=request.is_secure, path="/console")
    if request.endpoint != "console.static":
        resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Content-Security-Policy"] = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                                               "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


def new_session(keep: dict | None = None) -> dict:
    """Replace the session id (after sign-in or unlock: a planted cookie never becomes a signed-in one)."""
    sessions().drop(g.console_sid)
    sid, session = sessions().new(keep)
    g.console_sid, g.console, g.console_cookie = sid, session, sid
    return session


def flash(kind: str, text: str) -> None:
    """A message for the next page shown (``ok`` or ``error``); at most a few are kept."""
    box = g.console.setdefault("messages", [])
    box.append((kind, text))
    del box[:-MAX_MESSAGES]


def me() -> dict | None:
    """The signed-in person: id, orgId, orgName, displayName, email, roles, token."""
    return g.console.get("me")


def may(operation: str) -> bool:
    """Whether the signed-in person's roles allow a connector operation: the API's own role table (R3-R5)."""
    person = me()
    return bool(person) and allowed(person["roles"], operation)


def render(template: str, status: int = 200, **ctx):
    """A page with everything the layout needs."""
    messages = g.console.pop("messages", []) if g.get("console") is not None else []
    person = me() if g.get("console") is not None else None
    html = render_template(f"console/{template}", me=person, csrf=(g.get("console") or {}).get("csrf", ""),
                           messages=messages,
                           may=may, role_label=lambda r: ROLE_LABELS.get(r, r), admin_locked=_locked(), **ctx)
    return html, status


def _locked() -> bool:
    return bool(current().admin_token) and g.get("console") is not None and not g.console.get("admin")


def signed_in(view):
    """Pages that need a signed-in person; others are sent to the sign-in page."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if me() is None:
            flash("error", "Sign in first: pick one of the organisation's people on the mock's sign-in page.")
            return redirect(url_for("console.home"))
        return view(*args, **kwargs)
    return wrapper


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return render("error.html", exc.status, title="Request refused", reason=exc.reason)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException, headers: dict | None = None):
    html, status = render("error.html", exc.code or 500, title=exc.name, reason=exc.description)
    return html, status, headers or {}


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    log.exception("console: unexpected error on %s %s", request.method, request.path)  # the trace stays in the log
    return render("error.html", 500, title="Unexpected error",
                  reason="The console hit an unexpected error; it is logged on the server.")


@bp.route("/<path:rest>")
def not_found(rest):
    """Any other path under /console."""
    return render("error.html", 404, title="Not found", reason=f"There is no console page /console/{rest}.")
