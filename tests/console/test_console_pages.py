"""The console without a browser (Flask test client): cookies, CSRF, the admin token, errors without traces."""
from __future__ import annotations

import re

import pytest

from mockserver import create_app
from mockserver.console.session import Sessions

from ..conftest import DEMO_ORG

ACTIVE = "c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a21"


def _csrf(resp) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', resp.get_data(as_text=True)).group(1)


def sign_in(client, email="full.admin@acme.example"):
    """The OAuth walk the browser does: console -> consent page -> callback."""
    start = client.post("/console/signin", data={"csrf": _csrf(client.get("/console/"))})
    consent = client.get(start.headers["Location"])
    rid = re.search(r'name="request_id" value="([^"]+)"', consent.get_data(as_text=True)).group(1)
    back = client.post("/v1/authorize", data={"request_id": rid, "decision": "approve", "user": email})
    done = client.get(back.headers["Location"])
    assert done.status_code == 303 and done.headers["Location"] == "/console/connectors"
    return _csrf(client.get("/console/connectors"))


def _connector(client, token, cid=ACTIVE):
    resp = client.get(f"/controlhub/organization/{DEMO_ORG}/connectors/{cid}", headers=token)
    assert resp.status_code == 200
    return resp.get_json()


def test_session_cookie_is_httponly_samesite_and_console_only(client):
    cookie = client.get("/console/").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/console" in cookie


def test_a_post_without_csrf_changes_nothing(client, auth):
    sign_in(client)
    for form in ({"want": "deactivate", "confirm": "yes"}, {"want": "deactivate", "confirm": "yes", "csrf": "x"}):
        resp = client.post(f"/console/connectors/{ACTIVE}/active", data=form)
        assert resp.status_code == 400 and "could not be verified" in resp.get_data(as_text=True)
    assert _connector(client, auth())["active"] is True


def test_with_csrf_the_same_post_goes_through_the_api(client, auth):
    csrf = sign_in(client)
    resp = client.post(f"/console/connectors/{ACTIVE}/active", data={"want": "deactivate", "confirm": "yes",
                                                                      "csrf": csrf})
    assert resp.status_code == 303
    assert _connector(client, auth())["active"] is False
    entries = client.get("/_mock/journal", query_string={"path": f"/controlhub/**/{ACTIVE}/deactivate"}).get_json()
    assert [(e["method"], e["status"], e["clientId"]) for e in entries["items"]] == [("POST", 200, "mock-console")]
    console = client.get("/_mock/journal", query_string={"path": "/console/**"}).get_json()
    assert console["items"] == []  # the console's own pages are the mock's, like /_mock: not journaled


def test_an_unexpected_error_is_a_page_without_a_trace(client, monkeypatch):
    sign_in(client)
    from mockserver.console import connector_pages

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(connector_pages, "call", broken)
    resp = client.get("/console/connectors")
    text = resp.get_data(as_text=True)
    assert resp.status_code == 500 and "unexpected error" in text
    assert "Traceback" not in text and "secret internals" not in text and resp.mimetype == "text/html"


def test_unknown_console_page_is_an_html_404(client):
    resp = client.get("/console/no/such/page")
    assert resp.status_code == 404 and "There is no console page" in resp.get_data(as_text=True)


def test_pages_need_a_signed_in_person(client):
    resp = client.get("/console/connectors")
    assert resp.status_code == 302 and resp.headers["Location"] == "/console/"
    assert "Sign in first" in client.get("/console/").get_data(as_text=True)


def test_a_callback_not_started_here_is_refused(client):
    client.get("/console/")
    resp = client.get("/console/callback?code=x&state=forged")
    assert resp.status_code == 400 and "state mismatch" in resp.get_data(as_text=True)


def test_a_too_long_name_is_refused_by_the_form(client, auth):
    csrf = sign_in(client)
    resp = client.post("/console/connectors/new", data={"csrf": csrf, "name": "x" * 500, "accessLevel": "READ_ONLY",
                                                        "consent": "yes"})
    assert resp.status_code == 400 and "Name: at most 200 characters." in resp.get_data(as_text=True)
    listed = client.get(f"/controlhub/organization/{DEMO_ORG}/connectors", headers=auth()).get_json()
    assert len(listed["data"]) == 3


@pytest.fixture
def locked():
    return create_app({"access_log": False, "admin_token": "s3cret"}).test_client()


def test_admin_token_gate(locked):
    resp = locked.get("/console/harness")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/console/unlock?next=/console/harness")
    form = locked.get(resp.headers["Location"])
    assert locked.post("/console/unlock", data={"token": "s3cret"}).status_code == 400  # no CSRF token
    wrong = locked.post("/console/unlock", data={"csrf": _csrf(form), "token": "nope"})
    assert wrong.status_code == 401 and "not the admin token" in wrong.get_data(as_text=True)
    assert locked.post("/console/harness/faults/clear", data={"csrf": _csrf(form)}).status_code == 401
    good = locked.post("/console/unlock", data={"csrf": _csrf(form), "token": "s3cret", "next": "https://evil.example/"})
    assert good.status_code == 303 and good.headers["Location"] == "/console/"
    assert locked.get("/console/harness").status_code == 200
    assert locked.get("/_mock/faults").status_code == 401  # the control API itself still wants its header


def test_admin_token_header_opens_the_console_for_scripts(locked):
    assert locked.get("/console/harness", headers={"X-Mock-Admin-Token": "s3cret"}).status_code == 200
    assert locked.get("/console/harness", headers={"X-Mock-Admin-Token": "wrong"}).status_code == 302


def test_sessions_are_bounded_oldest_first():
    box = Sessions(size=3)
    ids = [box.new()[0] for _ in range(5)]
    assert [box.get(i) is not None for i in ids] == [False, False, True, True, True]


JUNK = {"want": "explode", "name": "\x00\u202e" * 3, "accessLevel": "ZZ", "version": "-1", "method": "BREW",
        "status": "1e999", "times": "0", "limit": "-5", "windowSeconds": "nan", "seconds": "inf", "template": "x",
        "query": "a", "variables": "=", "var0": "x", "expr0": "$[", "path": "//evil.example/x", "orgId": "../..",
        "connectorId": "nope", "confirm": "yes", "next": "//evil.example", "body": "{{", "label": "<script>"}
FLOW = "6a1f0c2b9d8e7f6a5b4c3d21"


@pytest.mark.parametrize("path", [
    "/console/signin", "/console/signout", "/console/unlock", "/console/connectors/new",
    f"/console/connectors/{ACTIVE}/active", f"/console/connectors/{ACTIVE}/edit",
    f"/console/connectors/{ACTIVE}/delete",
    "/console/connectors/no-such-id/edit", f"/console/flows/{FLOW}/run-activity", f"/console/flows/{FLOW}/run",
    "/console/flows/nope/run", "/console/harness/faults/add", "/console/harness/faults/nope/delete",
    "/console/harness/faults/clear", "/console/harness/ratelimits/set", "/console/harness/clock",
    "/console/harness/orgs/create"])
def test_junk_in_any_form_is_never_a_500_and_never_a_trace(client, auth, path):
    csrf = sign_in(client)
    resp = client.post(path, data={**JUNK, "csrf": csrf})
    text = resp.get_data(as_text=True)
    assert resp.status_code < 500, text[:500]
    assert "Traceback" not in text and "<script>" not in text
    assert _connector(client, auth())["active"] is True  # junk never switched the connector off


@pytest.mark.parametrize("method,path,status", [
    ("POST", "/console/no/such/page", 405), ("PUT", "/console/harness", 405), ("DELETE", "/console/", 405),
    ("POST", "/console/connectors//delete", 405), ("GET", "/console/static/%0d%0aX-Injected:%201", 404)])
def test_a_request_no_console_route_takes_is_a_console_page_not_json(client, method, path, status):
    resp = client.open(path, method=method)
    text = resp.get_data(as_text=True)
    assert resp.status_code == status and resp.mimetype == "text/html", (resp.status_code, text[:200])
    assert 'id="reason"' in text and "trackingId" not in text
    if status == 405:
        assert "GET" in resp.headers["Allow"]
    api = client.open("/_mock/no-such", method=method)
    assert api.mimetype == "application/json" and api.get_json()["error"]["key"] == str(api.status_code)
