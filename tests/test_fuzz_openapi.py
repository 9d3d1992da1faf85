"""Property-based testing of every operation of the mock's own OpenAPI document (schemathesis).

For each caller (read/write token, read-only token, token without scopes, garbage token, no token) and each
operation, schemathesis generates valid and invalid requests and checks: no 5xx, the status code and the body
conform to the document, and every error carries the Webex body (the RFC 6749 body on the issuer paths).

Seeded (``derandomize``), so a CI run is reproducible. ``MOCKSERVER_FUZZ_EXAMPLES`` raises the example count
for a longer local run (the default keeps the whole file to seconds).
"""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from mockserver import create_app
from mockserver.errors import OAUTH_PATHS

from .conftest import ALL_SCOPES

EXAMPLES = int(os.environ.get("MOCKSERVER_FUZZ_EXAMPLES", "25"))

#: Schema-valid data is not always acceptable: a token for a user who does not exist, an unknown OAuth client.
#: Those answers are checked for shape and documented status instead.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]

#: caller -> (user, scopes); ``None`` user: a raw Authorization value (or none at all).
CALLERS = {
    "read-write": ("full.admin@acme.example", ALL_SCOPES),
    "read-only": ("readonly.admin@acme.example", ["cjp:config_read"]),
    "no-scope": ("full.admin@acme.example", []),
    "supervisor": ("supervisor@acme.example", ALL_SCOPES),
    "garbage-token": (None, "Bearer not.a.jwt"),
    "no-token": (None, None),
}


@pytest.fixture(scope="module")
def fuzz_app():
    """One app for the whole file (state carries over between examples, as with a real client)."""
    return create_app({"access_log": False})


@pytest.fixture(scope="module")
def fuzz_headers(fuzz_app):
    """caller -> headers."""
    client, out = fuzz_app.test_client(), {}
    for name, (user, scopes) in CALLERS.items():
        if user is None:
            out[name] = {"Authorization": scopes} if scopes else {}
            continue
        resp = client.post("/_mock/tokens", json={"user": user, "scopes": scopes})
        assert resp.status_code == 201, resp.get_json()
        out[name] = {"Authorization": f"Bearer {resp.get_json()['access_token']}"}
    return out


@pytest.fixture
def fuzz_schema(fuzz_app):
    """The document the app serves, bound to the app (in-process WSGI, no network)."""
    return schemathesis.openapi.from_wsgi("/openapi.json", fuzz_app)


schema = schemathesis.pytest.from_fixture("fuzz_schema")


def _header(response, name: str) -> str:
    """A response header by case-insensitive name ("" when absent)."""
    values = {k.lower(): v for k, v in response.headers.items()}.get(name.lower(), [""])
    return values[0] if isinstance(values, list) else values


def webex_error_body(ctx, response, case):
    """Every 4xx/5xx JSON error is the Webex body, or the RFC 6749 body on the issuer paths."""
    if response.status_code < 400:
        return True
    path = case.formatted_path
    if path.startswith("/v1/authorize") and "html" in _header(response, "Content-Type"):
        return True  # the authorization endpoint answers a person in a browser: an HTML page, never a redirect
    body = response.json()
    if path.startswith(OAUTH_PATHS):
        assert set(body) == {"error", "error_description"}, body
        return True
    assert body["error"]["key"] == str(response.status_code), body
    assert body["error"]["reason"] and body["error"]["message"][0]["description"], body
    assert body["trackingId"] and _header(response, "TrackingID") == body["trackingId"], body
    return True


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case, fuzz_headers):
    for caller in sorted(CALLERS):  # every example is sent once per caller
        headers = {**(case.headers or {}), **fuzz_headers[caller]}
        response = case.call(headers=headers)
        assert response.status_code < 500, (caller, response.text)
        case.validate_response(response, additional_checks=[webex_error_body], excluded_checks=EXCLUDED)
