"""Sign-in through the mock's own OAuth flow (consent page, code, token endpoint), sign-out, and the admin-token form.

Differs from Webex: Control Hub signs in through Webex identity with a password; the mock's consent page lets the
visitor pick any of the organisations' people (issuer/consent.py).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from urllib.parse import urlencode, urlsplit

import jwt
from flask import g, redirect, request, url_for

from ..auth.tokens import jwt_of
from ..runtime import current
from ..storage import SYSTEM
from .client import call
from .web import bp, flash, me, new_session, render

CLIENT_ID = "mock-console"
#: The console asks for every scope a Control Hub session has; the person's roles then decide, as on the API.
SCOPES = ["cjp:config", "cjp:config_read", "cjp:config_write", "cjp:user"]
MAX_REDIRECTS = 16  # one per host name the console was reached by; the oldest goes first


def _redirect_uri() -> str:
    return current().base_url() + url_for("console.callback")


def ensure_integration(rt, redirect_uri: str) -> dict:
    """The console's OAuth integration, registered like any other client (a reset of the server removes it)."""
    doc = dict(rt.integration(CLIENT_ID) or {"id": CLIENT_ID, "clientId": CLIENT_ID,
                                             "clientSecret": secrets.token_urlsafe(32),
                                             "name": "Mock console", "redirectUris": [], "scopes": SCOPES})
    if redirect_uri not in doc["redirectUris"]:
        doc["redirectUris"] = [*doc["redirectUris"], redirect_uri][-MAX_REDIRECTS:]
        rt.store.put(SYSTEM, "integration", doc)
    return doc


@bp.route("/")
def home():
    """Overview: who is signed in and what their role allows, or the sign-in button."""
    rt = current()
    people = []
    if me() is None:  # the demo people, so a visitor knows whom to pick on the consent page
        for org in rt.demo_orgs()[:10]:
            name = (rt.org(org) or {}).get("name", org)
            people += [{**p, "orgName": name} for p in rt.store.list(org, "people", 0, 30)]
    return render("home.html", people=people)


@bp.route("/signin", methods=["POST"])
def signin():
    """Start the authorization-code flow (PKCE S256) at the issuer's /v1/authorize."""
    rt = current()
    redirect_uri = _redirect_uri()
    ensure_integration(rt, redirect_uri)
    state, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    g.console["oauth"] = {"state": state, "verifier": verifier, "redirect_uri": redirect_uri}
    query = urlencode({"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": redirect_uri,
                       "scope": " ".join(SCOPES), "state": state, "code_challenge": challenge,
                       "code_challenge_method": "S256"})
    return redirect(f"/v1/authorize?{query}", 303)


@bp.route("/callback")
def callback():
    """The issuer's redirect: check the state, exchange the code at /v1/access_token, keep the token."""
    rt = current()
    pending = g.console.pop("oauth", None)
    state = request.args.get("state", "")
    if pending is None or not hmac.compare_digest(state.encode(), pending["state"].encode()):
        return render("error.html", 400, title="Sign-in not verified",
                      reason="This sign-in answer does not belong to a sign-in started here (state mismatch). "
                             "Start again from the console.")
    if request.args.get("error"):
        return render("error.html", 403, title="Sign-in declined",
                      reason=request.args.get("error_description") or request.args["error"])
    client = rt.integration(CLIENT_ID) or {}
    answer = call("POST", "/v1/access_token", form={
        "grant_type": "authorization_code", "code": request.args.get("code", ""),
        "redirect_uri": pending["redirect_uri"], "client_id": CLIENT_ID,
        "client_secret": client.get("clientSecret", ""), "code_verifier": pending["verifier"]})
    if not answer.ok:
        return render("error.html", answer.status or 502, title="Sign-in failed", reason=answer.reason)
    token = answer.body["access_token"]
    # Shown and used for what the page offers only; the API verifies the token on every call.
    claims = jwt.decode(jwt_of(token), options={"verify_signature": False})  # Webex-shaped: the JWT inside
    org = claims.get("org_id", "")
    person = rt.find_person(claims.get("sub", ""), org) or {}
    keep = {"admin": g.console.get("admin", False)}
    new_session(keep)
    g.console["me"] = {"id": claims.get("sub"), "orgId": org, "orgName": (rt.org(org) or {}).get("name", org),
                       "displayName": person.get("displayName", claims.get("sub")), "email": person.get("email"),
                       "roles": list(claims.get("roles") or []), "token": token,
                       "expiresIn": answer.body.get("expires_in")}
    flash("ok", f"Signed in as {g.console['me']['displayName']} ({g.console['me']['email']}).")
    return redirect(url_for("console.connectors"), 303)


@bp.route("/signout", methods=["POST"])
def signout():
    """Forget the person (and the session with it)."""
    new_session({"admin": g.console.get("admin", False)})
    flash("ok", "Signed out.")
    return redirect(url_for("console.home"), 303)


def _safe_next(target: str | None) -> str:
    """Only a path inside the console (no open redirect)."""
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/console"):
        return url_for("console.home")
    return target


@bp.route("/unlock", methods=["GET", "POST"])
def unlock():
    """The admin token form (only when MOCKSERVER_ADMIN_TOKEN is set)."""
    rt = current()
    target = _safe_next(request.values.get("next"))
    if not rt.admin_token or g.console.get("admin"):
        return redirect(target)
    if request.method == "POST":
        sent = request.form.get("token", "")
        if sent and hmac.compare_digest(sent.encode(), rt.admin_token.encode()):
            new_session({"admin": True})
            flash("ok", "Admin token accepted.")
            return redirect(target, 303)
        return render("unlock.html", 401, target=target, error="That is not the admin token.")
    return render("unlock.html", target=target, error=None)
