"""Bad input: each case is a clear Webex-shaped 4xx, never a 5xx, and changes nothing in the store."""
from __future__ import annotations

import http.client
import json

import pytest

from mockserver import create_app
from mockserver.http.inputs import MAX_JSON_DEPTH, depth
from mockserver.testing import LiveServer

from ..conftest import DEMO_ORG, assert_webex_error

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
    ("malformed JSON", b'{"user": "full.admin@acme.example"', "application/json", 400, "not valid json"),
    ("trailing garbage", GOOD + b"}", "application/json", 400, "not valid json"),
    ("array for an object", b'[{"user": "full.admin@acme.example"}]', "application/json", 400,
     "_schema: invalid input"),
    ("string for an object", b'"full.admin@acme.example"', "application/json", 400, "_schema: invalid input"),
    ("text/plain", GOOD, "text/plain", 415, "text/plain"),
    ("form-encoded", b"user=full.admin%40acme.example", "application/x-www-form-urlencoded", 415, "application/json"),
    ("no content type", GOOD, None, 415, "(none)"),
    ("unknown field", b'{"user": "full.admin@acme.example", "isAdmin": true}', "application/json", 400,
     "isadmin: unknown field"),
    ("wrong type", b'{"user": ["full.admin@acme.example"]}', "application/json", 400, "user: not a valid string"),
    ("wrong type in a list", b'{"user": "full.admin@acme.example", "scopes": [1, 2]}', "application/json", 400,
     "scopes: a string or a list of strings"),
    ("boolean scopes", b'{"user": "full.admin@acme.example", "scopes": true}', "application/json", 400, "scopes"),
    ("invalid UTF-8", b'{"user": "full.admin\xff@acme.example"}', "application/json", 400, "utf-8"),
    ("lone surrogate", b'{"user": "\\ud800"}', "application/json", 400, "not valid json"),
    ("deeply nested", b'{"user": ' + b"[" * 5000 + b"]" * 5000 + b"}", "application/json", 400, "nested deeper"),
    ("NaN", b'{"user": "full.admin@acme.example", "expiresIn": NaN}', "application/json", 400, "not valid json"),
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
    depth = MAX_JSON_DEPTH - 1
    nested = b'{"user": "full.admin@acme.example", "roles": ' + b"[" * depth + b"]" * depth + b"}"
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


@pytest.mark.parametrize("server", ["granian", "waitress"])
def test_oversized_headers_and_request_line_are_refused_by_the_server(app, server):
    """A request head over 256 KB is refused with 431 before the app runs (waitress: with a plain-text body;
    Granian: empty). A request line over 64 KB is a 414 under Granian (its HTTP parser's limit)."""
    with LiveServer(app, server=server) as srv:
        status, ctype, body = _raw(srv.port, "GET", "/health", {"X-Big": "a" * 300_000})
        assert status == 431
        if server == "waitress":
            assert ctype == "text/plain; charset=utf-8" and b"Request Header Fields Too Large" in body
        status, _, body = _raw(srv.port, "GET", "/health?" + "a" * 300_000, {})
        assert status == 431
        status, _, body = _raw(srv.port, "GET", "/health", {"X-Big": "a" * 200_000})  # under the limit
        assert status == 200 and b'"status":"ok"' in body
        status, _, body = _raw(srv.port, "GET", "/health?" + "a=1&" * 16_000, {})  # 64 KB: still served
        assert status == 200 and b'"status":"ok"' in body
        status, _, body = _raw(srv.port, "GET", "/health?" + "a=1&" * 20_000, {})  # 80 KB
        assert status == (414 if server == "granian" else 200)


# -- the configuration API ---------------------------------------------------------------------------------
SITE = "/organization/f222c4e4-0b5a-4a5e-9e2c-8d3b6d0b1a01/site"


@pytest.fixture
def site_setup(client, auth):
    """Headers of a full admin and a valid site body (its multimedia profile created)."""
    headers = auth()
    mmp = client.post(SITE.replace("/site", "/multimedia-profile"), headers=headers, json={
        "name": "MMP bad input", "chat": 1, "email": 1, "telephony": 1, "social": 1, "active": True,
        "blendingModeEnabled": False, "blendingMode": "FULL"}).get_json()["id"]
    return headers, {"name": "Site bad input", "active": True, "multimediaProfileId": mmp}


CONFIG_CASES = [
    # Unknown properties are ignored (facts 3.7, tests/resources/test_live_leniency.py); an empty reference
    # and an empty name are refused instead (the spec's minLength, and "" is no site's id).
    ("empty reference", lambda b: {**b, "multimediaProfileId": ""}, 400, "multimediaprofileid"),
    ("under the vendor's min length", lambda b: {**b, "name": ""}, 400, "name"),
    ("wrong type", lambda b: {**b, "active": "yes"}, 400, "active"),
    ("over the vendor's max length", lambda b: {**b, "name": "a" * 81}, 400, "name"),
    ("array for an object", lambda b: [b], 400, None),
    ("null body", lambda b: None, 400, None),
    ("id that is not an id", lambda b: {**b, "multimediaProfileId": {"$ne": ""}}, 400, "multimediaprofileid"),
]


@pytest.mark.parametrize("name, change, status, reason", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_bad_configuration_body_changes_nothing(client, rt, site_setup, name, change, status, reason):
    headers, body = site_setup
    before = rt.store.export()
    resp = client.post(SITE, headers={**headers, "Content-Type": "application/json"},
                       data=json.dumps(change(body)))
    assert_webex_error(resp, status, reason)
    assert rt.store.export() == before


@pytest.mark.parametrize("bad_id", [["x"], {"a": 1}, 5.5, None, ""])
def test_bulk_item_ids_that_are_not_ids_are_refused_per_item(client, rt, site_setup, bad_id):
    headers, _ = site_setup
    before = rt.store.export()
    resp = client.patch(SITE.replace("/site", "/auxiliary-code/bulk"), headers=headers, json={
        "items": [{"itemIdentifier": 1, "requestAction": "SAVE", "item": {"id": bad_id, "name": "x"}}]})
    assert resp.status_code == 207, resp.get_data(as_text=True)
    item = resp.get_json()["items"][0]
    assert item["status"] in (400, 404) and item["apiError"]["error"]["key"] == str(item["status"])
    assert rt.store.export() == before


@pytest.mark.parametrize("path_id", ["..", "%2E%2E", "a%2Fb", "%00", "x" * 5000, "' OR 1=1 --", "%ff%fe"])
def test_path_ids_that_are_not_ids_are_404(client, rt, site_setup, path_id):
    headers, _ = site_setup
    before = rt.store.export()
    for method in ("GET", "DELETE"):
        resp = client.open(f"{SITE}/{path_id}", method=method, headers=headers)
        assert resp.status_code in (400, 404), (method, resp.status_code)
        assert_webex_error(resp, resp.status_code)
    assert rt.store.export() == before


@pytest.mark.parametrize("query", [
    "filter=name==", "filter=(((", "filter=" + "name==a;" * 2000 + "name==b", "filter=name=in=(" + "a," * 5000 + "b)",
    "filter=" + "(" * 500 + "name==a" + ")" * 500, "page=-1", "pageSize=100000", "page=abc", "sort=%00",
    "attributes=" + ",".join(["name"] * 3000), "search=" + "a" * 20000,
])
def test_malformed_or_enormous_list_queries_are_4xx_or_ok(client, site_setup, query):
    headers, _ = site_setup
    resp = client.get(f"{SITE.replace('/site', '/v2/site')}?{query}", headers=headers)
    assert resp.status_code < 500, resp.get_data(as_text=True)[:300]
    if resp.status_code >= 400:
        assert_webex_error(resp, resp.status_code)


@pytest.mark.parametrize("resource", ["business-hours", "holiday-list", "overrides"])
def test_name_pattern_rejects_long_near_misses_without_backtracking(client, auth, resource):
    """A long name that almost matches is refused at once (the pattern is linear; a nested optional
    quantifier used to backtrack exponentially, pinning a worker for minutes on 30 characters)."""
    from ..conftest import DEMO_ORG

    name = "a" * 60 + "!"
    resp = client.post(f"/organization/{DEMO_ORG}/{resource}", json={"name": name}, headers=auth())
    body = assert_webex_error(resp, 400, "name")
    assert any(d["description"].startswith("name:") for d in body["error"]["message"])


def test_bulk_envelope_ignores_unknown_top_level_fields(client, auth):
    """Unknown envelope keys are ignored like unknown DTO properties (facts 3.7); ``items`` stays required."""
    from ..conftest import DEMO_ORG

    resp = client.post(f"/organization/{DEMO_ORG}/site/bulk", json={"items": [], "extra": 1}, headers=auth())
    assert resp.status_code == 207 and resp.get_json() == {"items": []}
    assert_webex_error(client.post(f"/organization/{DEMO_ORG}/site/bulk", json={"extra": 1}, headers=auth()),
                       400, "items")


@pytest.mark.parametrize("path", [
    f"/organization/{DEMO_ORG}/site",                       # configuration API (inputs.json_body)
    f"/controlhub/organization/{DEMO_ORG}/connectors",       # flask-smorest @blp.arguments
])
def test_a_body_is_parsed_once_per_request(client, site_setup, monkeypatch, path):
    import mockserver.http.inputs as inputs
    calls, real = [], inputs.orjson.loads
    monkeypatch.setattr(inputs.orjson, "loads", lambda raw: calls.append(raw) or real(raw))
    headers, body = site_setup
    raw = json.dumps({**body, "name": "Parsed once"}).encode()
    resp = client.post(path, data=raw, content_type="application/json", headers=headers)
    assert resp.status_code < 500 and [c for c in calls if c == raw] == [raw]  # the store's own copies aside
