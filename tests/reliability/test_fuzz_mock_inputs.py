"""Malformed input on every route of the control API (``/_mock/*``): no 5xx, every refusal the Webex body.

The schema-driven fuzz (``test_fuzz_openapi.py``) sends what the mock's own document describes, valid and
invalid; this file sends what no document describes, one axis at a time, to every ``/_mock`` route of the URL map
(a new route is covered without a new test): odd path parameters, odd query strings, bodies that are not JSON or
are the wrong JSON, every documented body field with values of every wrong type, wrong content types, oversized
bodies. Each route runs on an app of its own, so a reset or a deleted organisation does not starve the next.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from mockserver import create_app

from ..conftest import DEMO_ORG

pytestmark = pytest.mark.fuzz

DOC = json.loads((Path(__file__).resolve().parents[2] / "openapi" / "openapi.json").read_text())
ODD_PARAMS = ["%00", "..", "%2e%2e", "a" * 3000, "%ff%fe", "%E2%80%AE", "'%20OR%201=1", "-1", "0", "%0d%0aX:1",
              "null", "%F0%9F%92%A5", "%C0%AF"]
ODD_QUERIES = ["limit=-1", "limit=abc", "limit=99999999999999999999999", "limit=1e309", "since=nan", "until=-inf",
               "status=%00", "path=%5B", "path=" + "*" * 2000, "orgId=" + "a" * 5000, "%zz=%zz", "a=1&a=2&a=3",
               "method=%ff", "status=4xx&status=5xx", "clientId=%0a", "orgId[]=1", "=", "&&&"]
ODD_BODIES = [b"{", b"[]", b'"x"', b"null", b"1e999", b"NaN", b"-Infinity", b"{\"a\":" * 100 + b"1" + b"}" * 100,
              b"[" * 5000 + b"]" * 5000, b"\xff\xfe{}", b"{\"a\": \"\\ud800\"}", b"{\"a\": 1, \"a\": 2}", b" ",
              b"{}" + b" " * 10, b"\x00"]
WRONG = [None, "", "x", -1, 0, 2**63, -(2**70), 1e308, 1.5, True, [], {}, ["x"], {"x": None}, "9" * 5000,
         "\u0000", "2026-13-45T99:99:99Z"]
CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                 "application/json; charset=utf-16", "application/xml", "", "application/vnd.api+json"]
TOO_BIG = 256 * 1024  # the body limit the apps below set (cheap to exceed)


def _routes() -> list[tuple[str, str]]:
    app = create_app({"access_log": False})
    return sorted({(r.rule, m) for r in app.url_map.iter_rules() if r.rule.startswith("/_mock")
                   for m in r.methods - {"HEAD", "OPTIONS"}})


ROUTES = _routes()


def _resolve(node, seen=()):
    if isinstance(node, dict) and "$ref" in node and node["$ref"] not in seen:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _resolve(DOC["components"]["schemas"][name], (*seen, node["$ref"]))
    return node


def _fields(rule: str, method: str) -> list[str]:
    """The documented top-level body fields of an operation (none when it documents no JSON body)."""
    template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)
    op = DOC["paths"].get(template, {}).get(method.lower(), {})
    schema = _resolve(op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {}))
    return sorted(schema.get("properties", {}))


def _path(rule: str, odd: str | None = None) -> str:
    """The rule with the demo organisation (or ``odd``) in every parameter."""
    def fill(match):
        if odd is not None:
            return odd
        return DEMO_ORG if match.group(1).lower() in ("orgid", "org_id") else "x"
    return re.sub(r"<(?:\w+:)?(\w+)>", fill, rule)


def _check(resp, what) -> None:
    assert resp.status_code < 500, (what, resp.status_code, resp.get_data(as_text=True)[:400])
    if resp.status_code < 400 or not resp.get_data():
        return
    body = resp.get_json(silent=True)
    assert isinstance(body, dict), (what, resp.status_code, resp.get_data(as_text=True)[:200])
    error = body["error"]
    assert str(error["key"]) == str(resp.status_code) and error["reason"], (what, body)
    assert error["message"][0]["description"] and resp.headers["TrackingID"] == body["trackingId"], (what, body)


def cases(rule: str, method: str):
    """(what, path, kwargs) of every malformed request to one route, one axis at a time."""
    path, writes = _path(rule), method in ("POST", "PUT", "PATCH", "DELETE")
    json_kw = {"data": b"{}", "content_type": "application/json"} if writes else {}
    if "<" in rule:
        for odd in ODD_PARAMS:
            yield f"param {odd[:20]}", _path(rule, odd), json_kw
    for query in ODD_QUERIES:
        yield f"query {query[:30]}", f"{path}?{query}", json_kw
    if not writes:
        yield "a body on a read", path, {"data": b"{", "content_type": "application/json"}
        return
    for raw in ODD_BODIES:
        yield f"body {raw[:20]!r}", path, {"data": raw, "content_type": "application/json"}
    for ctype in CONTENT_TYPES:
        yield f"type {ctype}", path, {"data": b'{"a": 1}', **({"content_type": ctype} if ctype else {})}
    yield "too big", path, {"data": b'{"a": "' + b"x" * TOO_BIG + b'"}', "content_type": "application/json"}
    yield "too big, no length", path, {"input_stream": io.BytesIO(b'{"a": "' + b"x" * TOO_BIG + b'"}'),
                                       "content_type": "application/json"}  # as a chunked upload arrives
    for field in _fields(rule, method):
        for value in WRONG:
            yield f"{field}={str(value)[:20]}", path, {"json": {field: value}}


@pytest.mark.parametrize("rule,method", ROUTES, ids=[f"{m} {r}" for r, m in ROUTES])
def test_malformed_input_is_a_webex_4xx_never_a_5xx(rule, method):
    app = create_app({"access_log": False})
    app.config["MAX_CONTENT_LENGTH"] = TOO_BIG
    client = app.test_client()
    sent = 0
    for what, path, kwargs in cases(rule, method):
        _check(client.open(path, method=method, **kwargs), what)
        sent += 1
    assert sent >= len(ODD_QUERIES)  # every route got the whole matrix of its kind
