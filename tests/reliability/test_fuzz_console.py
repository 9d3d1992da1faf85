"""Fuzzing every console endpoint: no 5xx, no trace, every refusal a console page, a refused form changes nothing.

Every route of the console blueprint comes from the app's URL map (a new page is fuzzed without a new test):
- **values** (hypothesis): GET pages with odd path parameters and query strings; POST forms, signed in with the
  session's CSRF token, with the console's own field names and values (read from its templates) and random ones,
  missing, repeated, oversized and malformed;
- **envelopes** (a fixed matrix, one axis at a time): a missing, wrong, doubled or odd CSRF token; a missing,
  garbage, oversized or doubled session cookie; multipart, JSON, text, untyped, broken multipart and oversized
  bodies; signed out, as an agent, as a read-only administrator; each refused POST changes nothing;
- **the admin-token gate** (hypothesis): on a server with an admin token, nothing gets past without it.
Checked: status < 500, HTML (or a redirect, or a static file), no trace, and a 4xx shows its reason.

Seeded (``derandomize``); ``MOCKSERVER_FUZZ_EXAMPLES`` raises the example count per route (default 25).
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from mockserver import create_app
from mockserver.console.session import COOKIE

from ..conftest import DEMO_ORG
from ..console.test_console_pages import sign_in

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("MOCKSERVER_FUZZ_EXAMPLES", "25"))
TEMPLATES = Path(__file__).resolve().parents[2] / "mockserver" / "console" / "templates" / "console"
#: Every form field the console's pages send, and the query parameters its views read.
FIELDS = sorted({m for t in TEMPLATES.glob("*.html") for m in re.findall(r'name="([^"]+)"', t.read_text())}
                | {"next", "state", "code", "error", "error_description", "interval", "status", "orgId"})
#: Path parameters that exist in the demo tenant, so the fuzz also reaches the views behind the look-ups.
KNOWN_IDS = ["c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a21", "c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a23",
             "6a1f0c2b9d8e7f6a5b4c3d21", "1", "console.css", "console.js"]
ODD = ["", " ", "..", "../..", "%", "%zz", "\x00", "\r\nX-Injected: 1", "'\"<script>alert(1)</script>", "-1",
       "0", "9" * 5000, "1e309", "nan", "inf", "-inf", "0x1f", "١٢", "true", "null", "[]", "{}", "a" * 20_000,
       "/console/", "//evil.example/", "https://evil.example/console", "\\\\evil", "\u202e", "\ud7ff\ufffd"]
#: Values the console's own forms send (read from its templates), and ones its views look for.
PLAUSIBLE = sorted({m for t in TEMPLATES.glob("*.html") for m in re.findall(r'value="([^"{]+)"', t.read_text())}
                   | {"deactivate", "activate", "READ_ONLY", "READ_WRITE", "GET", "POST", "15", "-5", "1.5",
                      "400d46c6-023d-49b7-b350-59b14eebe777", "f222c4e4-0b5a-4a5e-9e2c-8d3b6d0b1a01", *KNOWN_IDS[:3]})
USERS = [None, "full.admin@acme.example", "readonly.admin@acme.example", "agent@acme.example"]

text = st.one_of(st.sampled_from(PLAUSIBLE), st.sampled_from(ODD), st.text(max_size=60),
                 st.integers(-10**12, 10**12).map(str))
#: A form or query: many of the console's own names, a few random ones, repeated names now and then.
pairs = st.builds(lambda own, other: own + other, st.lists(st.tuples(st.sampled_from(FIELDS), text), max_size=20),
                  st.lists(st.tuples(st.text(max_size=12), text), max_size=3))
header_text = st.one_of(st.sampled_from(["", "x", "a" * 5000, "=;,", "\t"]),
                        st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80))


def _app(**config):
    app = create_app({"access_log": False, **config})
    app.config["MAX_CONTENT_LENGTH"] = 256 * 1024  # an oversized body is cheap to send
    return app


APP, LOCKED = _app(), _app(admin_token="fuzz-admin-secret")
#: (endpoint, rule, method) of every console route.
ROUTES = sorted({(r.endpoint, r.rule, m) for r in APP.url_map.iter_rules() if r.endpoint.startswith("console.")
                 for m in r.methods - {"HEAD", "OPTIONS"}})


def _path(rule: str, draw) -> str:
    def fill(match):
        value = draw(st.one_of(st.sampled_from(KNOWN_IDS), text))
        return quote(value, safe="/" if match.group(1) == "path" else "")
    return re.sub(r"<(?:(\w+):)?\w+>", fill, rule)


def _known_path(rule: str) -> str:
    """The rule with a demo tenant's id in every parameter (the envelope matrix reaches the real views)."""
    ids = {"connector_id": KNOWN_IDS[0], "flow_id": KNOWN_IDS[2], "rule_id": "1", "filename": "console.css"}
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ids.get(m.group(1), "x"), rule)


def _signed_in(app, user: str | None):
    """A test client signed in as ``user`` (or only holding a session), and its CSRF token."""
    client = app.test_client()
    if user is None:
        page = client.get("/console/").get_data(as_text=True)
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        return client, found.group(1) if found else ""
    return client, sign_in(client, user)


def _form(form: list, csrf: str, kind: str = "form") -> dict:
    """The request arguments of a form in one body encoding."""
    if kind == "form":
        return {"data": urlencode(form), "content_type": "application/x-www-form-urlencoded"}
    if kind == "multipart":
        return {"data": dict(form), "content_type": "multipart/form-data"}
    if kind == "json":
        return {"json": dict(form)}
    if kind == "big":  # over the body limit
        return {"data": f"csrf={csrf}&name=" + "x" * 300_000, "content_type": "application/x-www-form-urlencoded"}
    raw = {"text": ("text/plain", urlencode(form)), "none": (None, urlencode(form)),
           "broken": ("multipart/form-data; boundary=", "--x\r\nContent-Disposition: form-data\r\n\r\n--")}[kind]
    return {"data": raw[1], "content_type": raw[0]} if raw[0] else {"data": raw[1]}


def _check(resp, endpoint: str) -> str:
    status, body = resp.status_code, resp.get_data(as_text=True)
    assert status < 500, (status, body[:500])
    assert "Traceback" not in body and 'File "' not in body, body[:500]
    if endpoint == "console.static" and status == 200:
        return body
    if 300 <= status < 400:
        assert resp.headers["Location"] and "\n" not in resp.headers["Location"]
        return body
    assert resp.mimetype == "text/html", (status, resp.mimetype, body[:300])
    if status >= 400:
        assert 'class="msg error' in body, (status, body[:500])  # the reason, shown as the console shows one
    return body


def _calm(app) -> None:
    """No fault rule or rate limit an earlier example set: they would answer for the API the console calls."""
    control = app.test_client()
    control.delete("/_mock/faults", headers=ADMIN)
    control.delete("/_mock/ratelimits", headers=ADMIN)


ADMIN = {"X-Mock-Admin-Token": "fuzz-admin-secret"}
IDS = [f"{m} {r}" for _, r, m in ROUTES]
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("endpoint,rule,method", ROUTES, ids=IDS)
@FUZZ
@given(data=st.data())
def test_every_console_endpoint_answers_a_page_never_a_5xx(endpoint, rule, method, data):
    draw = data.draw
    _calm(APP)
    user = draw(st.one_of(st.just("full.admin@acme.example"), st.sampled_from(USERS)))
    client, csrf = _signed_in(APP, user)
    path = _path(rule, draw)
    query = urlencode(draw(pairs))
    kwargs = _form([*draw(pairs), ("csrf", csrf)], csrf) if method == "POST" else {}
    _check(client.open(f"{path}?{query}" if query else path, method=method, **kwargs), endpoint)


def _held(app) -> tuple:
    """What a console form could change: faults, rate limits, organisations, the demo's connectors, the clock's
    setting, the simulation."""
    control = app.test_client()
    token = control.post("/_mock/tokens", headers=ADMIN, json={"user": "full.admin@acme.example"}).get_json()
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    clock = control.get("/_mock/clock", headers=ADMIN).get_json()
    return (*(control.get(f"/_mock/{what}", headers=ADMIN).get_json() for what in ("faults", "ratelimits", "orgs")),
            control.get(f"/controlhub/organization/{DEMO_ORG}/connectors", headers=auth).get_json(),
            (clock["frozen"], round(clock["offsetSeconds"])),
            control.get(f"/_mock/activity/{DEMO_ORG}", headers=ADMIN).get_json()["tasks"])


#: One axis of the envelope at a time, the others as a browser sends them.
ENVELOPES = ([("csrf", m) for m in ("missing", "wrong", "double", "odd")]
             + [("cookie", m) for m in ("none", "garbage", "long", "double")]
             + [("body", m) for m in ("multipart", "json", "text", "none", "broken", "big")]
             + [("user", m) for m in (None, "agent@acme.example", "readonly.admin@acme.example")])


@pytest.mark.parametrize("endpoint,rule,method", ROUTES, ids=IDS)
def test_every_envelope_is_refused_as_a_page_and_changes_nothing(endpoint, rule, method):
    path = _known_path(rule)
    for axis, mode in ENVELOPES:
        _calm(APP)
        client, csrf = _signed_in(APP, mode if axis == "user" else "full.admin@acme.example")
        if axis == "cookie":
            value = {"none": None, "garbage": "\t=;,\xff" * 3, "long": "x" * 4000, "double": "a; wxcc_console=b"}[mode]
            client.delete_cookie(COOKIE, path="/console")
            if value is not None:
                client.set_cookie(COOKIE, value, path="/console")
        fields = [("name", "Fuzz"), ("seconds", "1"), ("status", "503"), ("want", "deactivate"), ("confirm", "yes")]
        sent = {"missing": [], "wrong": ["forged"], "double": ["forged", csrf], "odd": ["\x00\r\n\u202e"]}.get(
            mode, [csrf]) if axis == "csrf" else [csrf]  # of two tokens the first counts
        form = fields + [("csrf", token) for token in sent]
        before = _held(APP) if method == "POST" else None
        kwargs = _form(form, csrf, mode if axis == "body" else "form") if method == "POST" else {}
        resp = client.open(path, method=method, **kwargs)
        _check(resp, endpoint)
        if method == "POST" and axis != "user":
            assert resp.status_code in (400, 413, 415), (axis, mode, resp.status_code)
            assert _held(APP) == before, (axis, mode)


#: Routes that answer before the admin token is given.
_OPEN = {"console.unlock", "console.static"}


@pytest.mark.parametrize("endpoint,rule,method", ROUTES, ids=IDS)
@settings(FUZZ, max_examples=max(5, EXAMPLES // 5))
@given(data=st.data())
def test_with_an_admin_token_nothing_gets_past_the_gate(endpoint, rule, method, data):
    draw = data.draw
    client = LOCKED.test_client()
    client.get("/console/")
    header = draw(st.sampled_from([{}, {"X-Mock-Admin-Token": "wrong"}, {"Authorization": "Bearer wrong"},
                                   {"X-Mock-Admin-Token": draw(header_text)}]))
    kwargs = _form([*draw(pairs), ("csrf", draw(text))], "") if method == "POST" else {}
    before = _held(LOCKED)
    resp = client.open(_path(rule, draw), method=method, headers=header, **kwargs)
    _check(resp, endpoint)
    if endpoint in _OPEN:
        return
    assert resp.status_code in (302, 308, 401, 404, 405, 413, 415), (resp.status_code, resp.get_data()[:300])
    if resp.status_code == 302:
        assert resp.headers["Location"].startswith("/console/unlock")
    if resp.status_code == 308:  # the router merges doubled slashes first: a page of the console still
        assert resp.headers["Location"].startswith("http://localhost/console/")
    assert _held(LOCKED) == before


#: Cookie headers as raw bytes, past what a test client can send: non-ASCII, oversized, doubled, malformed.
RAW_COOKIES = [b"wxcc_console=\xff\xfe\x80", b"wxcc_console=" + b"a" * 16_000, b"wxcc_console=a; wxcc_console=b",
               b"wxcc_console", b"=;=;=", b'wxcc_console="unterminated', b"wxcc_console=%00%0d%0a", b"\x00"]


def test_raw_cookie_headers_over_http_answer_a_page():
    """Over a real socket (the server's own header parsing first): every odd Cookie header gets a page or a 4xx."""
    import http.client

    from mockserver.testing import LiveServer

    with LiveServer(_app()) as live:
        host, port = live.url.split("//")[1].split(":")
        for raw in RAW_COOKIES:
            for path in (b"/console/", b"/console/live", b"/console/harness"):
                conn = http.client.HTTPConnection(host, int(port), timeout=10)
                try:
                    conn.putrequest("GET", path.decode(), skip_accept_encoding=True)
                    conn.putheader("Cookie", raw)
                    conn.endheaders()
                    resp = conn.getresponse()
                    body = resp.read().decode("utf-8", "replace")
                finally:
                    conn.close()
                assert resp.status < 500 and "Traceback" not in body, (raw[:40], path, resp.status, body[:200])
