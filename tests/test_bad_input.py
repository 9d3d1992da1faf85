"""Bad input: each case is a clear Webex-shaped 4xx, never a 5xx, and changes nothing in the store."""
from __future__ import annotations

import http.client
import json

import pytest

from mockserver import create_app
from mockserver.inputs import MAX_JSON_DEPTH, depth
from mockserver.testing import LiveServer

from .conftest import assert_webex_error

TOKENS = "/_mock/tokens"
GOOD = b'{"user": "full.admin@acme.example"}'


@pytest.fixture
def small_app():
    """An app with a 2 KB body limit, so the 413 case stays small."""
    return create_app({"access_log": False, "max_body_bytes": 2048})


def _post(client, body: bytes, content_type: str | None = "application/json", path=TOKENS):
    headers = {"Content-Type": content_type} if content_type else {}
    return client.post(path, data=body, headers=headers)


# (name, body, content type, status, words the reason must contain)
CASES = [
    ("malformed JSON", b'{"user": "full.admin@acme.example"', "application/json", 400, "malformed json"),
    ("trailing garbage", GOOD + b"}", "application/json", 400, "malformed json"),
    ("array for an object", b'[{"user": "full.admin@acme.example"}]', "application/json", 400, "body: invalid input"),
    ("string for an object", b'"full.admin@acme.example"', "application/json", 400, "body: invalid input"),
    ("text/plain", GOOD, "text/plain", 415, "text/plain"),
    ("form-encoded", b"user=full.admin%40acme.example", "application/x-www-form-urlencoded", 415, "application/json"),
    ("no content type", GOOD, None, 415, "(none)"),
    ("unknown field", b'{"user": "full.admin@acme.example", "isAdmin": true}', "application/json", 400,
     "isadmin: unknown field"),
    ("wrong type", b'{"user": ["full.admin@acme.example"]}', "application/json", 400, "user: not a valid string"),
    ("wrong type in a list", b'{"user": "full.admin@acme.example", "scopes": [1, 2]}', "application/json", 400,
     "scopes: must be a string or a list of strings"),
    ("boolean scopes", b'{"user": "full.admin@acme.example", "scopes": true}', "application/json", 400, "scopes"),
    ("invalid UTF-8", b'{"user": "full.admin\xff@acme.example"}', "application/json", 400, "utf-8"),
    ("lone surrogate", b'{"user": "\\ud800"}', "application/json", 400, "malformed json"),
    ("deeply nested", b'{"user": ' + b"[" * 5000 + b"]" * 5000 + b"}", "application/json", 400, "nested deeper"),
    ("NaN", b'{"user": "full.admin@acme.example", "expiresIn": NaN}', "application/json", 400, "malformed json"),
]


@pytest.mark.parametrize("name, body, ctype, status, reason", CASES, ids=[c[0] for c in CASES])
def test_bad_body_is_a_clear_4xx_and_changes_nothing(app, client, rt, name, body, ctype, status, reason):
    before = rt.store.export()
    resp = _post(client, body, ctype)
    assert_webex_error(resp, status, reason)
    assert rt.store.export() == before


def test_body_over_the_limit_is_413(small_app):
    client = small_app.test_client()
    body = b'{"user": "' + b"a" * 4096 + b'"}'
    assert_webex_error(_post(client, body), 413, "too large")


def test_chunked_body_over_the_limit_is_413(small_app):
    """A chunked upload (no Content-Length) is cut at the limit too (over real HTTP: waitress de-chunks it)."""
    with LiveServer(small_app) as srv:
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        chunks = iter([b'{"user": "', b"a" * 4096, b'"}'])
        conn.request("POST", TOKENS, body=chunks, headers={"Content-Type": "application/json"}, encode_chunked=True)
        resp = conn.getresponse()
        body = json.loads(resp.read())
        conn.close()
    assert resp.status == 413 and body["error"]["key"] == "413" and resp.getheader("TrackingID") == body["trackingId"]


def test_json_variants_with_plus_json_are_accepted(client):
    resp = _post(client, GOOD, "application/vnd.example+json; charset=utf-8")
    assert resp.status_code == 201 and resp.get_json()["access_token"]


def test_nesting_up_to_the_limit_passes_the_body_check(client):
    """At exactly the limit the body reaches the view (which then names the bad field)."""
    nested = b'{"user": "full.admin@acme.example", "roles": ' + b"[" * (MAX_JSON_DEPTH - 1) + b"]" * (MAX_JSON_DEPTH - 1) + b"}"
    assert_webex_error(_post(client, nested), 400, "roles")


def test_depth_counts_without_recursion():
    deep = []
    node = deep
    for _ in range(100_000):
        node.append([])
        node = node[0]
    assert depth(deep) == MAX_JSON_DEPTH + 1  # stops counting once over the limit
    assert depth({"a": [1, {"b": 2}]}) == 3 and depth(5) == 0


def test_body_on_a_query_only_endpoint_needs_a_json_type(client):
    assert_webex_error(_post(client, b"reset please", "text/plain", path="/_mock/reset"), 415, "text/plain")


def test_huge_query_string_is_harmless(client):
    resp = client.post(TOKENS + "?" + "x=1&" * 20000, data=GOOD, headers={"Content-Type": "application/json"})
    assert resp.status_code == 201


@pytest.mark.parametrize("path", [
    "/health/../_mock/reset", "/_mock/a%2F..%2Freset", "/%2e%2e/health", "/_mock/tokens/..",
])
def test_dot_dot_and_encoded_slashes_do_not_reach_other_routes(client, rt, path):
    before = rt.store.export()
    assert_webex_error(client.post(path), 404)
    assert rt.store.export() == before


def test_encoded_slash_in_an_org_id_stays_behind_the_guard(client):
    """``x/../../_mock/reset`` in one segment decodes into a config path: it still needs a token."""
    resp = client.post("/organization/x%2F..%2F..%2F_mock%2Freset")
    assert_webex_error(resp, 400, "authorization header is missing")


def _raw(port: int, method: str, path: str, headers: dict):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.getheader("Content-Type"), resp.read()
    finally:
        conn.close()


def test_oversized_headers_and_request_line_are_refused_by_the_server(app):
    """waitress refuses a request head over 256 KB with its own 431 (plain text) before the app runs."""
    with LiveServer(app) as srv:
        status, ctype, body = _raw(srv.port, "GET", "/health", {"X-Big": "a" * 300_000})
        assert (status, ctype) == (431, "text/plain; charset=utf-8") and b"Request Header Fields Too Large" in body
        status, _, body = _raw(srv.port, "GET", "/health?" + "a" * 300_000, {})
        assert status == 431
        status, _, body = _raw(srv.port, "GET", "/health?" + "a=1&" * 20_000, {})  # 80 KB: still served
        assert status == 200 and b'"status":"ok"' in body
