"""Helpers for tests of the token issuer over real HTTP: the registered integrations, the flow steps, a probe route."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import requests
from flask import g, jsonify

from mockserver.auth import access

READONLY = "C0ffee0000000000000000000000000000000000000000000000000000000001"
READONLY_SECRET = "mock-secret-readonly-0001"
READWRITE = "C0ffee0000000000000000000000000000000000000000000000000000000002"
READWRITE_SECRET = "mock-secret-readwrite-0002"
REDIRECT = "http://127.0.0.1:8080/callback"
SECRETS = {READONLY: READONLY_SECRET, READWRITE: READWRITE_SECRET}
PROBE = "/organization/{org}/mock-probe"


def add_probe(app) -> None:
    """A route under ``/organization/<org>/`` (so the guard's config rules apply) that echoes the verified claims."""

    def probe(orgid):
        return jsonify({"sub": g.claims["sub"], "scope": g.claims["scope"], "org_id": g.claims["org_id"]})

    access.add_url_rule(app, "/organization/<orgid>/mock-probe", "mock_probe", probe, "config",
                        methods=["GET", "POST", "PUT", "PATCH", "DELETE"])


def authorize(live, session=None, **params) -> requests.Response:
    """GET /v1/authorize with sensible defaults (``None`` drops a parameter); redirects are not followed."""
    query = {"response_type": "code", "client_id": READWRITE, "redirect_uri": REDIRECT,
             "scope": "cjp:config_read cjp:config_write", "state": "st-1", **params}
    query = {k: v for k, v in query.items() if v is not None}
    return (session or requests).get(live.url + "/v1/authorize", params=query, allow_redirects=False, timeout=5)


def redirected(resp, to: str = REDIRECT) -> dict:
    """The query of a 302 back to the client (asserting where it goes), one value per key."""
    assert resp.status_code == 302, (resp.status_code, resp.text)
    location = resp.headers["Location"]
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == to, location
    return {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}


def code_for(live, user: str = "full.admin@acme.example", **params) -> str:
    """An authorization code issued headlessly through ``login_hint``."""
    return redirected(authorize(live, login_hint=user, **params))["code"]


def token_request(live, auth=None, **form) -> requests.Response:
    """POST /v1/access_token, form-encoded (``None`` drops a field)."""
    form = {k: v for k, v in form.items() if v is not None}
    return requests.post(live.url + "/v1/access_token", data=form, auth=auth, timeout=5)


def exchange(live, code: str, client: str = READWRITE, secret: str | None = None, redirect_uri: str = REDIRECT,
             **extra) -> requests.Response:
    """Trade a code for tokens, the client's credentials in the form."""
    return token_request(live, grant_type="authorization_code", code=code, client_id=client,
                         client_secret=secret or SECRETS[client], redirect_uri=redirect_uri, **extra)


def refresh(live, refresh_token: str, client: str = READWRITE, **extra) -> requests.Response:
    """Trade a refresh token for a new pair."""
    return token_request(live, grant_type="refresh_token", refresh_token=refresh_token, client_id=client,
                         client_secret=SECRETS[client], **extra)


def call_probe(live, access_token: str, org: str, method: str = "GET") -> requests.Response:
    """A guarded API call with the token."""
    return requests.request(method, live.url + PROBE.format(org=org),
                            headers={"Authorization": f"Bearer {access_token}"}, timeout=5)


def assert_oauth_error(resp, status: int, error: str) -> dict:
    """An RFC 6749 error body with that status and ``error`` code."""
    assert resp.status_code == status, (resp.status_code, resp.text)
    body = resp.json()
    assert body["error"] == error, body
    assert body["error_description"]
    assert resp.headers["Cache-Control"] == "no-store"
    return body


class ConsentForm(HTMLParser):
    """The consent page's form: its action, hidden inputs, user options and buttons."""

    def __init__(self, html: str):
        super().__init__()
        self.action, self.method, self.fields, self.users, self.decisions = None, None, {}, [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.action, self.method = a.get("action"), a.get("method")
        elif tag == "input":
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "option":
            self.users.append(a["value"])
        elif tag == "button":
            self.decisions.append(a.get("value"))
