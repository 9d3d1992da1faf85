"""The issuer's refusals: unknown clients and redirect URIs (a page, never a redirect), bad credentials,
grants and parameters (RFC 6749 bodies), scopes beyond the integration's, codes replayed or expired, refresh reuse."""
from __future__ import annotations

import pytest
import requests

from ..conftest import DEMO_ORG
from ..oauth import (
    READONLY,
    READWRITE,
    READWRITE_SECRET,
    REDIRECT,
    assert_oauth_error,
    authorize,
    call_probe,
    code_for,
    exchange,
    redirected,
    refresh,
    token_request,
)


def _assert_error_page(resp, text: str) -> None:
    assert resp.status_code == 400, (resp.status_code, resp.text)
    assert "Location" not in resp.headers and resp.headers["Content-Type"].startswith("text/html")
    assert text in resp.text


@pytest.mark.parametrize("redirect_uri", [
    "http://evil.example/callback",
    "http://127.0.0.1:8080/callback/",
    "http://127.0.0.1:8080/callbackx",
    "http://127.0.0.1:8080/callback?next=http://evil.example",
    "http://127.0.0.1:8080/callback/../evil",
    "HTTP://127.0.0.1:8080/callback",
    "http://127.0.0.1:8080",
    "",
    None,
])
def test_unregistered_redirect_uri_is_a_page_not_a_redirect(live, redirect_uri):
    resp = authorize(live, redirect_uri=redirect_uri, login_hint="full.admin@acme.example")
    _assert_error_page(resp, "redirect_uri is not registered")


def test_redirect_registered_for_another_integration_is_refused(live):
    resp = authorize(live, client_id=READONLY, redirect_uri="https://app.example.com/oauth/callback")
    _assert_error_page(resp, "redirect_uri is not registered")


@pytest.mark.parametrize("client_id", ["C0ffee-unknown", "", None])
def test_unknown_client_is_a_page_not_a_redirect(live, client_id):
    _assert_error_page(authorize(live, client_id=client_id), "Unknown client_id")


def test_error_page_escapes_nothing_from_the_request(live):
    resp = authorize(live, client_id="<script>alert(1)</script>")
    assert "<script>" not in resp.text


@pytest.mark.parametrize("params, error", [
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"response_type": None}, "unsupported_response_type"),
    ({"scope": None}, "invalid_scope"),
    ({"scope": "  "}, "invalid_scope"),
])
def test_bad_authorization_request_redirects_with_the_error_and_state(live, params, error):
    back = redirected(authorize(live, state="s-42", login_hint="full.admin@acme.example", **params))
    assert back["error"] == error and back["error_description"] and back["state"] == "s-42"
    assert "code" not in back


@pytest.mark.parametrize("client, scope, refused", [
    (READONLY, "cjp:config_read cjp:config_write", "cjp:config_write"),
    (READONLY, "cjp:user", "cjp:user"),
    (READWRITE, "cjp:config spark-admin:datasource_write", "spark-admin:datasource_write"),
    (READWRITE, "made:up", "made:up"),
])
def test_scopes_the_integration_may_not_request_are_refused(live, client, scope, refused):
    back = redirected(authorize(live, client_id=client, scope=scope, login_hint="full.admin@acme.example"))
    assert back["error"] == "invalid_scope" and refused in back["error_description"]


def test_wrong_secret_is_invalid_client(live):
    resp = exchange(live, code_for(live), secret="not-the-secret")
    assert_oauth_error(resp, 401, "invalid_client")


def test_wrong_secret_over_http_basic_is_invalid_client_with_challenge(live):
    code = code_for(live)
    resp = token_request(live, auth=(READWRITE, "not-the-secret"), grant_type="authorization_code", code=code,
                         redirect_uri=REDIRECT)
    assert_oauth_error(resp, 401, "invalid_client")
    assert resp.headers["WWW-Authenticate"].startswith("Basic")


def test_http_basic_credentials_are_accepted(live):
    resp = token_request(live, auth=(READWRITE, READWRITE_SECRET), grant_type="authorization_code",
                         code=code_for(live), redirect_uri=REDIRECT)
    assert resp.status_code == 200 and resp.json()["token_type"] == "Bearer"


def test_malformed_basic_header_is_invalid_client(live):
    resp = requests.post(live.url + "/v1/access_token", headers={"Authorization": "Basic %%%not-base64"},
                         data={"grant_type": "authorization_code", "code": "x"}, timeout=5)
    assert_oauth_error(resp, 401, "invalid_client")


@pytest.mark.parametrize("client_id, secret", [("C0ffee-unknown", READWRITE_SECRET), (None, READWRITE_SECRET),
                                               (READWRITE, None)])
def test_unknown_or_missing_client_credentials_are_invalid_client(live, client_id, secret):
    resp = token_request(live, grant_type="authorization_code", code=code_for(live), client_id=client_id,
                         client_secret=secret, redirect_uri=REDIRECT)
    assert_oauth_error(resp, 401, "invalid_client")


@pytest.mark.parametrize("grant", ["client_credentials", "password", "implicit",
                                   "urn:ietf:params:oauth:grant-type:jwt-bearer"])
def test_unsupported_grant_type(live, grant):
    resp = token_request(live, grant_type=grant, client_id=READWRITE, client_secret=READWRITE_SECRET)
    assert grant in assert_oauth_error(resp, 400, "unsupported_grant_type")["error_description"]


@pytest.mark.parametrize("form, text", [
    ({"grant_type": None}, "grant_type"),
    ({"grant_type": "authorization_code"}, "code"),
    ({"grant_type": "refresh_token"}, "refresh_token"),
])
def test_missing_parameters_are_invalid_request(live, form, text):
    resp = token_request(live, client_id=READWRITE, client_secret=READWRITE_SECRET, **form)
    assert text in assert_oauth_error(resp, 400, "invalid_request")["error_description"]


def test_json_body_is_read_like_the_form(live):
    """A JSON body is accepted (Cisco's collection refreshes that way, facts 3.7); its errors are the form's."""
    resp = requests.post(live.url + "/v1/access_token", json={"grant_type": "authorization_code"}, timeout=5)
    assert_oauth_error(resp, 401, "invalid_client")
    resp = requests.post(live.url + "/v1/access_token", json={"client_id": "x"}, timeout=5)
    assert "grant_type" in assert_oauth_error(resp, 400, "invalid_request")["error_description"]
    resp = requests.post(live.url + "/v1/access_token", json=["grant_type"], timeout=5)
    assert "object" in assert_oauth_error(resp, 400, "invalid_request")["error_description"]
    resp = requests.post(live.url + "/v1/access_token", json={"grant_type": 5}, timeout=5)
    assert "string" in assert_oauth_error(resp, 400, "invalid_request")["error_description"]


def test_form_is_read_as_werkzeug_reads_it(live):
    """The token form is parsed by hand on the hot path: the first of a repeated field counts, percent and plus
    encodings decode, and a body that is not UTF-8 has no fields (as Werkzeug's own form parser gives)."""
    form = "grant_type=refresh_token&grant_type=authorization_code&client_id=" + READWRITE
    resp = requests.post(live.url + "/v1/access_token", data=form + "&client_secret=wrong", timeout=5,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_oauth_error(resp, 401, "invalid_client")
    resp = requests.post(live.url + "/v1/access_token", timeout=5, headers={
        "Content-Type": "application/x-www-form-urlencoded"},
        data=f"{form}&client_secret={READWRITE_SECRET.replace('-', '%2D')}&scope=a+b")
    assert "refresh_token is required" in assert_oauth_error(resp, 400, "invalid_request")["error_description"]
    resp = requests.post(live.url + "/v1/access_token", data=b"grant_type=refresh_token&x=\xff\xfe", timeout=5,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert "grant_type is required" in assert_oauth_error(resp, 400, "invalid_request")["error_description"]


def test_other_body_types_are_invalid_request(live):
    resp = requests.post(live.url + "/v1/access_token", data="grant_type=x", timeout=5,
                         headers={"Content-Type": "text/plain"})
    assert "x-www-form-urlencoded" in assert_oauth_error(resp, 400, "invalid_request")["error_description"]


def test_wrong_method_on_the_token_endpoint_is_an_oauth_body(live):
    assert_oauth_error(requests.get(live.url + "/v1/access_token", timeout=5), 405, "invalid_request")


def test_unknown_code_is_invalid_grant(live):
    assert_oauth_error(exchange(live, "no-such-code"), 400, "invalid_grant")


def test_code_is_bound_to_its_client(live):
    code = code_for(live, client_id=READONLY, scope="cjp:config_read")
    assert_oauth_error(exchange(live, code, client=READWRITE), 400, "invalid_grant")


def test_code_is_bound_to_its_redirect_uri(live):
    resp = exchange(live, code_for(live), redirect_uri="http://localhost:8080/callback")
    assert "redirect_uri" in assert_oauth_error(resp, 400, "invalid_grant")["error_description"]


def test_replayed_code_is_refused_and_revokes_what_it_gave(live):
    code = code_for(live)
    first = exchange(live, code).json()
    assert call_probe(live, first["access_token"], DEMO_ORG).status_code == 200
    replay = exchange(live, code)
    assert "already used" in assert_oauth_error(replay, 400, "invalid_grant")["error_description"]
    probe = call_probe(live, first["access_token"], DEMO_ORG)
    assert probe.status_code == 401 and "revoked" in probe.json()["error"]["reason"]
    assert_oauth_error(refresh(live, first["refresh_token"]), 400, "invalid_grant")


def test_replay_revokes_only_that_grant(live):
    other = exchange(live, code_for(live)).json()
    code = code_for(live)
    exchange(live, code)
    exchange(live, code)
    assert call_probe(live, other["access_token"], DEMO_ORG).status_code == 200


def test_expired_code_is_invalid_grant(live, rt):
    code = code_for(live)
    rt.clock.advance(rt.config.auth_code_ttl + 1)
    assert "expired" in assert_oauth_error(exchange(live, code), 400, "invalid_grant")["error_description"]


def test_code_just_inside_its_lifetime_works(live, rt):
    code = code_for(live)
    rt.clock.advance(rt.config.auth_code_ttl - 5)
    assert exchange(live, code).status_code == 200


def test_refresh_rotates_and_the_old_refresh_token_stops_working(live):
    first = exchange(live, code_for(live)).json()
    second = refresh(live, first["refresh_token"])
    assert second.status_code == 200
    pair = second.json()
    assert pair["refresh_token"] != first["refresh_token"] and pair["access_token"] != first["access_token"]
    assert pair["scope"] == first["scope"] and pair["refresh_token_expires_in"] == 5183999
    assert call_probe(live, pair["access_token"], DEMO_ORG).status_code == 200
    third = refresh(live, pair["refresh_token"])
    assert third.status_code == 200


def test_reused_rotated_refresh_token_revokes_the_whole_family(live):
    first = exchange(live, code_for(live)).json()
    second = refresh(live, first["refresh_token"]).json()
    reuse = refresh(live, first["refresh_token"])
    assert "already used" in assert_oauth_error(reuse, 400, "invalid_grant")["error_description"]
    assert_oauth_error(refresh(live, second["refresh_token"]), 400, "invalid_grant")
    for token in (first["access_token"], second["access_token"]):
        assert call_probe(live, token, DEMO_ORG).status_code == 401


def test_refresh_token_is_bound_to_its_client(live):
    first = exchange(live, code_for(live)).json()
    assert_oauth_error(refresh(live, first["refresh_token"], client=READONLY), 400, "invalid_grant")
    assert refresh(live, first["refresh_token"]).status_code == 200  # the failed attempt consumed nothing


def test_expired_refresh_token_is_invalid_grant(live, rt):
    first = exchange(live, code_for(live)).json()
    rt.clock.advance(rt.config.refresh_token_ttl + 1)
    error = assert_oauth_error(refresh(live, first["refresh_token"]), 400, "invalid_grant")
    assert "expired" in error["error_description"]


def test_refresh_may_narrow_but_not_widen_the_scope(live):
    first = exchange(live, code_for(live, scope="cjp:config_read cjp:config_write")).json()
    narrow = refresh(live, first["refresh_token"], scope="cjp:config_read").json()
    assert narrow["scope"] == "cjp:config_read"
    wider = refresh(live, narrow["refresh_token"], scope="cjp:config_read cjp:config_write")
    assert_oauth_error(wider, 400, "invalid_scope")
    assert refresh(live, narrow["refresh_token"]).status_code == 200  # the refused request consumed nothing
