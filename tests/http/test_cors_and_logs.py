"""CORS is off unless configured; secrets and the Authorization header never reach the logs."""
from __future__ import annotations

import logging

import pytest

from mockserver import create_app
from mockserver.http.cors import parse_origins

from ..conftest import ALL_SCOPES, DEMO_ORG, assert_webex_error

ORIGIN = "http://localhost:3000"


def test_cors_off_by_default(client):
    resp = client.get("/health", headers={"Origin": ORIGIN})
    assert resp.status_code == 200
    assert not [h for h in resp.headers.keys() if h.lower().startswith("access-control-")]
    pre = client.options("/_mock/tokens", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in pre.headers


@pytest.fixture
def cors_client():
    return create_app({"access_log": False, "cors_origins": f"{ORIGIN}, https://app.example/",
                       "admin_token": "s3cret-admin"}).test_client()


def test_cors_allows_a_listed_origin_on_success_and_error(cors_client):
    ok = cors_client.get("/health", headers={"Origin": ORIGIN})
    assert ok.headers["Access-Control-Allow-Origin"] == ORIGIN and "Origin" in ok.headers["Vary"]
    assert "TrackingID" in ok.headers["Access-Control-Expose-Headers"]
    err = cors_client.get(f"/organization/{DEMO_ORG}/v2/site", headers={"Origin": "https://app.example"})
    assert_webex_error(err, 400)
    assert err.headers["Access-Control-Allow-Origin"] == "https://app.example"


def test_cors_ignores_other_origins(cors_client):
    resp = cors_client.get("/health", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in resp.headers and "Origin" in resp.headers["Vary"]


def test_preflight_is_answered_before_the_guard(cors_client):
    """Browsers send preflights without credentials: even /_mock/ (admin token set) answers them."""
    resp = cors_client.options("/_mock/tokens", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert resp.status_code == 204 and resp.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in resp.headers["Access-Control-Allow-Headers"]
    # the real call still needs the admin token
    assert_webex_error(cors_client.post("/_mock/tokens", json={"user": "agent@acme.example"},
                                        headers={"Origin": ORIGIN}), 401, "admin token")


def test_preflight_from_another_origin_gets_no_cors_headers(cors_client):
    resp = cors_client.options("/health", headers={"Origin": "https://evil.example",
                                                   "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in resp.headers


def test_wildcard_origin():
    client = create_app({"access_log": False, "cors_origins": "*"}).test_client()
    assert client.get("/health", headers={"Origin": "https://x.example"}).headers[
        "Access-Control-Allow-Origin"] == "https://x.example"
    assert parse_origins(" a , ,b/ ") == {"a", "b"}


def test_secrets_and_authorization_never_in_logs(caplog):
    """Bearer tokens, refresh tokens, client secrets and the admin token appear in no log record."""
    app = create_app({"access_log": True, "admin_token": "adm1n-S3CRET", "log_level": "DEBUG"})
    client = app.test_client()
    admin = {"X-Mock-Admin-Token": "adm1n-S3CRET"}
    with caplog.at_level(logging.DEBUG):
        minted = client.post("/_mock/tokens", json={"user": "full.admin@acme.example", "scopes": ALL_SCOPES,
                                                    "refresh": True}, headers=admin).get_json()
        access, refresh = minted["access_token"], minted["refresh_token"]
        client.get(f"/organization/{DEMO_ORG}/v2/site", headers={"Authorization": f"Bearer {access}"})
        client.get("/health", headers={"Authorization": f"Bearer {access}"})
        integ = app.extensions["wxcc"].store.list("_system", "integration")[0]
        client.post("/v1/access_token", data={"grant_type": "refresh_token", "refresh_token": refresh,
                                              "client_id": integ["clientId"], "client_secret": integ["clientSecret"]})
        client.post("/v1/access_token?client_secret=" + integ["clientSecret"], data={"grant_type": "x"})
        client.post("/_mock/tokens", json={"user": "nobody"}, headers={"Authorization": "Bearer adm1n-S3CRET"})
    text = "\n".join(r.getMessage() + " " + str(r.__dict__) for r in caplog.records)
    assert "/v1/access_token" in text and "/_mock/tokens" in text  # the requests were logged...
    for secret in (access, access.split(".")[2], refresh, integ["clientSecret"], "adm1n-S3CRET"):
        assert secret not in text  # ...without their secrets
