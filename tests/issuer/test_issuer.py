"""The authorization-code flow end to end over real HTTP: consent page, login_hint, PKCE, state, JWKS, discovery."""
from __future__ import annotations

import base64
import hashlib
import secrets

import jwt
import pytest
import requests

from ..conftest import DEMO_ORG, NOLICENSE_ORG
from ..oauth import (
    READONLY,
    READWRITE,
    ConsentForm,
    assert_oauth_error,
    authorize,
    call_probe,
    code_for,
    exchange,
    redirected,
)
from ..webex_token import jwt_of

FULL_ADMIN_ID = "3ad4815b-f56c-5ab4-b57a-2490ef22d2ce"



def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _verify_with_jwks(live, access_token: str) -> dict:
    """Verify a token the way a client would: key from the published JWKS, RS256 only, issuer pinned."""
    key = jwt.PyJWKClient(live.url + "/.well-known/jwks.json").get_signing_key_from_jwt(jwt_of(access_token))
    return jwt.decode(jwt_of(access_token), key.key, algorithms=["RS256"], issuer=live.url)


def test_consent_page_flow_issues_tokens_for_the_chosen_user(live):
    session = requests.Session()
    page = authorize(live, session, scope="cjp:config_read cjp:config")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert page.headers["X-Frame-Options"] == "DENY"
    form = ConsentForm(page.text)
    assert form.action == "/v1/authorize" and form.method == "post"
    assert FULL_ADMIN_ID in form.users and set(form.decisions) == {"approve", "deny"}
    assert "cjp:config_read" in page.text and "Provisioning tool" in page.text
    back = session.post(live.url + form.action, data={**form.fields, "user": FULL_ADMIN_ID, "decision": "approve"},
                        allow_redirects=False, timeout=5)
    params = redirected(back)
    assert params["state"] == "st-1" and params["code"]
    body = exchange(live, params["code"]).json()
    claims = _verify_with_jwks(live, body["access_token"])
    assert claims["sub"] == FULL_ADMIN_ID and claims["org_id"] == DEMO_ORG
    assert claims["client_id"] == READWRITE and claims["scope"] == "cjp:config_read cjp:config"
    assert claims["roles"] == ["full_admin"]


def test_consent_answer_is_single_use(live):
    session = requests.Session()
    form = ConsentForm(authorize(live, session).text)
    data = {**form.fields, "user": FULL_ADMIN_ID, "decision": "approve"}
    assert session.post(live.url + "/v1/authorize", data=data, allow_redirects=False, timeout=5).status_code == 302
    again = session.post(live.url + "/v1/authorize", data=data, allow_redirects=False, timeout=5)
    assert again.status_code == 400 and "already answered" in again.text and "Location" not in again.headers


def test_declining_redirects_access_denied_with_state(live):
    session = requests.Session()
    form = ConsentForm(authorize(live, session, state="keep-me").text)
    back = session.post(live.url + "/v1/authorize", data={**form.fields, "user": FULL_ADMIN_ID, "decision": "deny"},
                        allow_redirects=False, timeout=5)
    params = redirected(back)
    assert params["error"] == "access_denied" and params["state"] == "keep-me" and "code" not in params


@pytest.mark.parametrize("cookie", [None, "not-the-request-id"])
def test_consent_post_without_matching_csrf_cookie_is_refused(live, cookie):
    session = requests.Session()
    form = ConsentForm(authorize(live, session).text)
    forged = requests.Session()  # another browser: a cross-site form post carries no (or another) cookie
    if cookie:
        forged.cookies.set("wxcc_mock_consent", cookie, path="/v1/authorize")
    data = {**form.fields, "user": FULL_ADMIN_ID, "decision": "approve"}
    resp = forged.post(live.url + "/v1/authorize", data=data, allow_redirects=False, timeout=5)
    assert resp.status_code == 400 and "Location" not in resp.headers
    assert "CSRF" in resp.text
    # The refused post consumed nothing: the real user's own submission still goes through.
    assert "code" in redirected(session.post(live.url + "/v1/authorize", data=data, allow_redirects=False, timeout=5))


def test_login_hint_skips_the_page_and_works_with_email_or_id(live):
    for hint in ("supervisor@acme.example", "07f1330e-172d-5f38-a2a2-586ea315d6f3"):
        body = exchange(live, code_for(live, hint)).json()
        claims = _verify_with_jwks(live, body["access_token"])
        assert claims["sub"] == "07f1330e-172d-5f38-a2a2-586ea315d6f3" and claims["roles"] == ["supervisor"]


def test_login_hint_for_a_user_of_another_org_carries_that_org(live):
    body = exchange(live, code_for(live, "full.admin@globex.example")).json()
    assert _verify_with_jwks(live, body["access_token"])["org_id"] == NOLICENSE_ORG
    assert call_probe(live, body["access_token"], NOLICENSE_ORG).json()["org_id"] == NOLICENSE_ORG


def test_unknown_login_hint_redirects_access_denied(live):
    params = redirected(authorize(live, login_hint="nobody@acme.example"))
    assert params["error"] == "access_denied" and "nobody@acme.example" in params["error_description"]


def test_token_response_has_the_webex_fields_and_lifetimes(live):
    resp = exchange(live, code_for(live))
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    body = resp.json()
    assert set(body) == {"access_token", "expires_in", "refresh_token", "refresh_token_expires_in", "token_type",
                         "scope"}
    assert (body["expires_in"], body["refresh_token_expires_in"], body["token_type"]) == (43199, 5183999, "Bearer")
    assert body["scope"] == "cjp:config_read cjp:config_write"
    assert jwt.get_unverified_header(jwt_of(body["access_token"]))["alg"] == "RS256"
    assert call_probe(live, body["access_token"], DEMO_ORG).json()["sub"] == FULL_ADMIN_ID


@pytest.mark.parametrize("state", ["plain", "a b&c=d/é?#+%20", "x" * 500])
def test_state_comes_back_untouched(live, state):
    assert redirected(authorize(live, login_hint="full.admin@acme.example", state=state))["state"] == state


def test_no_state_means_no_state_in_the_redirect(live):
    assert "state" not in redirected(authorize(live, login_hint="full.admin@acme.example", state=None))


def test_registered_redirect_with_another_host_is_honoured_exactly(live):
    uri = "https://app.example.com/oauth/callback"
    code = redirected(authorize(live, login_hint="full.admin@acme.example", redirect_uri=uri), to=uri)["code"]
    assert exchange(live, code, redirect_uri=uri).status_code == 200


def test_pkce_s256_round_trip(live):
    verifier, challenge = _pkce()
    code = code_for(live, code_challenge=challenge, code_challenge_method="S256")
    assert exchange(live, code, code_verifier=verifier).status_code == 200


def test_pkce_challenge_without_method_means_s256(live):
    verifier, challenge = _pkce()
    assert exchange(live, code_for(live, code_challenge=challenge), code_verifier=verifier).status_code == 200


@pytest.mark.parametrize("verifier, text", [(None, "code_verifier is required"),
                                            ("wrong-verifier-" + "x" * 40, "does not match")])
def test_pkce_is_enforced_when_the_code_was_issued_with_a_challenge(live, verifier, text):
    _, challenge = _pkce()
    code = code_for(live, code_challenge=challenge, code_challenge_method="S256")
    resp = exchange(live, code, code_verifier=verifier)
    assert text in assert_oauth_error(resp, 400, "invalid_grant")["error_description"]


def test_verifier_for_a_code_issued_without_pkce_is_refused(live):
    resp = exchange(live, code_for(live), code_verifier="x" * 50)
    assert "without PKCE" in assert_oauth_error(resp, 400, "invalid_grant")["error_description"]


def test_plain_pkce_method_is_refused_by_redirect(live):
    params = redirected(authorize(live, login_hint="full.admin@acme.example", code_challenge="abc",
                                  code_challenge_method="plain"))
    assert params["error"] == "invalid_request" and "S256" in params["error_description"]
    assert params["state"] == "st-1"


def test_underscore_scope_alias_is_normalised(live):
    body = exchange(live, code_for(live, scope="cjp_config_read cjp_config")).json()
    assert body["scope"] == "cjp:config_read cjp:config"
    assert _verify_with_jwks(live, body["access_token"])["scope"] == "cjp:config_read cjp:config"


def test_read_only_integration_gets_read_scopes(live):
    code = code_for(live, client_id=READONLY, scope="cjp:config_read")
    body = exchange(live, code, client=READONLY).json()
    assert _verify_with_jwks(live, body["access_token"])["client_id"] == READONLY


def test_discovery_lists_the_endpoints_under_the_serving_url(live):
    doc = requests.get(live.url + "/.well-known/openid-configuration", timeout=5).json()
    assert doc["issuer"] == live.url
    assert doc["authorization_endpoint"] == live.url + "/v1/authorize"
    assert doc["token_endpoint"] == live.url + "/v1/access_token"
    assert doc["jwks_uri"] == live.url + "/.well-known/jwks.json"
    assert doc["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert "cjp:config_write" in doc["scopes_supported"]


def test_jwks_publishes_the_current_key_and_a_rotated_one_during_grace(live, rt):
    old = requests.get(live.url + "/.well-known/jwks.json", timeout=5).json()["keys"]
    assert [k["alg"] for k in old] == ["RS256"] and old[0]["kid"] and old[0]["kty"] == "RSA"
    token = exchange(live, code_for(live)).json()["access_token"]
    rt.keys.rotate()
    keys = requests.get(live.url + "/.well-known/jwks.json", timeout=5).json()["keys"]
    assert [k["kid"] for k in keys][1] == old[0]["kid"] and len(keys) == 2
    assert _verify_with_jwks(live, token)["sub"] == FULL_ADMIN_ID  # the old key still verifies its tokens
    new_token = exchange(live, code_for(live)).json()["access_token"]
    assert jwt.get_unverified_header(jwt_of(new_token))["kid"] == keys[0]["kid"]


def test_forged_refresh_token_of_an_older_generation_does_not_revoke_the_family(rt):
    """Reuse detection needs a genuine token: knowing a family id (it is in the access token's `fam` claim)
    and guessing an older generation is merely invalid, and the real chain keeps working."""
    import pytest as _pytest

    first = rt.issuer.new_refresh(client_id="c", sub="u", org_id="o", scopes=["cjp:config_read"], roles=[])
    family = first.split(".")[0]
    rt.issuer.use_refresh(first, "c")
    second = rt.issuer.new_refresh(client_id="c", sub="u", org_id="o", scopes=["cjp:config_read"], roles=[],
                                   family=family)
    with _pytest.raises(LookupError, match="invalid"):
        rt.issuer.use_refresh(f"{family}.0.forged", "c")
    assert rt.issuer.use_refresh(second, "c").family == family  # not revoked by the forgery
    third = rt.issuer.new_refresh(client_id="c", sub="u", org_id="o", scopes=["cjp:config_read"], roles=[],
                                  family=family)
    with _pytest.raises(LookupError, match="already used"):
        rt.issuer.use_refresh(first, "c")  # the genuine old token: reuse, the family is revoked
    with _pytest.raises(LookupError, match="revoked"):
        rt.issuer.use_refresh(third, "c")
