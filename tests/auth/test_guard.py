"""The guard: 400 for a missing or malformed header, 401 for every kind of bad token, 403 for scope, org and role."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from mockserver import create_app
from mockserver.auth import access

from ..conftest import DEMO_ORG, NOLICENSE_ORG, assert_webex_error
from ..oauth import add_probe
from ..webex_token import jwt_of

PROBE = f"/organization/{DEMO_ORG}/mock-probe"
ISSUER = "http://localhost"  # the test client's base URL


@pytest.fixture
def app():
    """An app with probe routes behind the guard (config rules and agent rules)."""
    app = create_app({"access_log": False})
    add_probe(app)
    access.add_url_rule(app, "/v1/agents/mock-probe", "agent_probe", lambda: {"ok": True}, "agent",
                        methods=["GET", "POST"])
    return app


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(rt, **over) -> dict:
    now = int(rt.clock.now())
    claims = {"iss": ISSUER, "sub": "3ad4815b-f56c-5ab4-b57a-2490ef22d2ce", "org_id": DEMO_ORG,
              "client_id": "mock-test-client", "scope": "cjp:config_read cjp:config_write", "roles": ["full_admin"],
              "iat": now, "exp": now + 3600, "jti": "j-1"}
    claims.update(over)
    return {k: v for k, v in claims.items() if v is not None}


def _signed(rt, kid=None, **over) -> str:
    """A token signed with the server's own key (so only the claim or header under test is wrong)."""
    key = rt.keys.current
    return jwt.encode(_claims(rt, **over), key.private, algorithm="RS256", headers={"kid": kid or key.kid})


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", "Token abc", "abc",
                                    "Bearer two parts"])
def test_missing_or_malformed_header_is_400(client, header):
    headers = {} if header is None else {"Authorization": header}
    reason = "missing" if header is None else "malformed"
    assert_webex_error(client.get(PROBE, headers=headers), 400, reason)


def test_scheme_is_case_insensitive(client, auth):
    headers = {"Authorization": auth()["Authorization"].replace("Bearer", "bearer")}
    assert client.get(PROBE, headers=headers).status_code == 200


def test_valid_token_passes_and_claims_reach_the_view(client, auth):
    resp = client.get(PROBE, headers=auth())
    assert resp.status_code == 200 and resp.json["org_id"] == DEMO_ORG


def test_not_a_jwt_is_401(client):
    assert_webex_error(client.get(PROBE, headers=_bearer("not.a.jwt")), 401, "not a JWT")


def test_alg_none_is_401(client, rt):
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": rt.keys.current.kid}).encode())
    token = f"{header}.{_b64(json.dumps(_claims(rt)).encode())}."
    assert_webex_error(client.get(PROBE, headers=_bearer(token)), 401, "'none' is not accepted")


def test_hs256_signed_with_the_public_key_is_401(client, rt):
    """The classic key-confusion attack: HMAC keyed with the published public key."""
    pem = rt.keys.current.public_pem().encode()
    signing_input = (_b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": rt.keys.current.kid}).encode()) + "."
                     + _b64(json.dumps(_claims(rt, roles=["full_admin"])).encode()))
    token = signing_input + "." + _b64(hmac.new(pem, signing_input.encode(), hashlib.sha256).digest())
    assert_webex_error(client.get(PROBE, headers=_bearer(token)), 401, "'HS256' is not accepted")


@pytest.mark.parametrize("change", [{"org_id": NOLICENSE_ORG}, {"scope": "cjp:config_read cjp:config_write cjp:user"},
                                    {"roles": ["full_admin", "partner_full_admin"]}, {"exp": 4102444800}])
def test_tampered_payload_is_401(client, token, change):
    head, payload, sig = jwt_of(token()).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = f"{head}.{_b64(json.dumps({**claims, **change}).encode())}.{sig}"
    assert_webex_error(client.get(PROBE, headers=_bearer(forged)), 401, "signature")


def test_tampered_header_kid_is_401(client, token):
    head, payload, sig = jwt_of(token()).split(".")
    header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    forged = f"{_b64(json.dumps({**header, 'kid': 'other'}).encode())}.{payload}.{sig}"
    assert_webex_error(client.get(PROBE, headers=_bearer(forged)), 401, "unknown signing key")


@pytest.mark.parametrize("kid", ["unknown-kid", ""])
def test_unknown_kid_is_401(client, rt, kid):
    token = jwt.encode(_claims(rt), rt.keys.current.private, algorithm="RS256", headers={"kid": kid} if kid else None)
    assert_webex_error(client.get(PROBE, headers=_bearer(token)), 401, "unknown signing key")


def test_foreign_key_claiming_our_kid_is_401(client, rt):
    foreign = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(_claims(rt), foreign, algorithm="RS256", headers={"kid": rt.keys.current.kid})
    assert_webex_error(client.get(PROBE, headers=_bearer(token)), 401, "signature does not verify")


def test_expired_token_is_401(client, token):
    assert_webex_error(client.get(PROBE, headers=_bearer(token(expired=True))), 401, "expired")


def test_token_expires_with_the_clock_even_after_it_was_cached(client, rt, token):
    tok = token(expiresIn=120)
    assert client.get(PROBE, headers=_bearer(tok)).status_code == 200
    rt.clock.advance(121)
    assert_webex_error(client.get(PROBE, headers=_bearer(tok)), 401, "expired")


@pytest.mark.parametrize("claim", ["iat", "nbf"])
def test_not_yet_valid_token_is_401(client, rt, claim):
    later = int(rt.clock.now()) + 3600
    token = _signed(rt, **{claim: later, "exp": later + 3600})
    assert_webex_error(client.get(PROBE, headers=_bearer(token)), 401, "not yet valid")


def test_small_clock_skew_is_tolerated(client, rt):
    token = _signed(rt, iat=int(rt.clock.now()) + 10)
    assert client.get(PROBE, headers=_bearer(token)).status_code == 200


def test_wrong_issuer_is_401(client, rt):
    token = _signed(rt, iss="https://idbroker.webex.com/idb")
    assert_webex_error(client.get(PROBE, headers=_bearer(token)), 401, "issuer")


@pytest.mark.parametrize("missing", ["exp", "org_id", "scope", "sub"])
def test_token_missing_a_required_claim_is_401(client, rt, missing):
    assert_webex_error(client.get(PROBE, headers=_bearer(_signed(rt, **{missing: None}))), 401, missing)


def test_revoked_token_is_401(client, rt, token):
    tok = token()
    assert client.get(PROBE, headers=_bearer(tok)).status_code == 200
    rt.tokens.revoke_token(tok)
    assert_webex_error(client.get(PROBE, headers=_bearer(tok)), 401, "revoked")


def test_revoking_a_subject_revokes_its_tokens_only(client, rt, token):
    admin, reader = token(), token(user="readonly.admin@acme.example")
    rt.tokens.revoke_subject("3ad4815b-f56c-5ab4-b57a-2490ef22d2ce")
    assert_webex_error(client.get(PROBE, headers=_bearer(admin)), 401, "revoked")
    assert client.get(PROBE, headers=_bearer(reader)).status_code == 200


def test_rotated_key_is_accepted_during_grace_then_refused(client, rt, token):
    tok = token()
    rt.keys.rotate(grace_seconds=60)
    assert client.get(PROBE, headers=_bearer(tok)).status_code == 200
    rt.clock.advance(61)
    assert_webex_error(client.get(PROBE, headers=_bearer(tok)), 401, "unknown signing key")
    assert client.get(PROBE, headers=_bearer(token())).status_code == 200  # new tokens carry the new kid


def test_verified_claims_are_cached_per_token(client, token, monkeypatch):
    tok = token()
    calls = []
    real = jwt.decode
    monkeypatch.setattr(jwt, "decode", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    for _ in range(3):
        assert client.get(PROBE, headers=_bearer(tok)).status_code == 200
    assert len(calls) == 1


def test_another_orgs_path_is_403(client, auth):
    body = assert_webex_error(client.get(f"/organization/{NOLICENSE_ORG}/mock-probe", headers=auth()), 403,
                              NOLICENSE_ORG)
    assert DEMO_ORG in body["error"]["reason"]


@pytest.mark.parametrize("scopes, method, status", [
    (["cjp:config_read"], "GET", 200),
    (["cjp:config"], "GET", 200),
    (["cjp_config_read"], "GET", 200),            # the Control Hub spelling, normalised when minted
    (["cjp:config_write"], "POST", 200),
    (["cjp:config_write"], "DELETE", 200),
    (["cjp:config_read"], "POST", 403),           # reads do not write
    (["cjp:config"], "PUT", 403),                 # the mock's reading of facts 1.4: writes need cjp:config_write
    (["cjp:config_write"], "GET", 403),           # ... and reads need cjp:config_read or cjp:config
    (["cjp:user"], "GET", 403),
    ([], "GET", 403),
    (["spark:kms"], "PATCH", 403),
])
def test_config_scope_matrix(client, auth, scopes, method, status):
    resp = client.open(PROBE, method=method, headers=auth(scopes=scopes))
    if status == 200:
        assert resp.status_code == 200, resp.json
    else:
        assert_webex_error(resp, 403, "requires scope")


@pytest.mark.parametrize("scopes, status", [(["cjp:user"], 200), (["cjp:config", "cjp:config_read",
                                                                     "cjp:config_write"], 403)])
def test_agent_routes_need_cjp_user(client, auth, scopes, status):
    resp = client.get("/v1/agents/mock-probe", headers=auth(scopes=scopes))
    if status == 200:
        assert resp.status_code == 200
    else:
        assert_webex_error(resp, 403, "cjp:user")


@pytest.mark.parametrize("user, method, status", [
    ("full.admin@acme.example", "POST", 200),
    ("cc.service.admin@acme.example", "PUT", 200),
    ("partner.full.admin@acme.example", "DELETE", 200),
    ("readonly.admin@acme.example", "GET", 200),
    ("readonly.admin@acme.example", "POST", 403),
    ("external.readonly.admin@acme.example", "PUT", 403),
    ("helpdesk.admin@acme.example", "GET", 200),
    ("supervisor@acme.example", "GET", 200),      # some read APIs accept supervisors (facts 1.4)
    ("supervisor@acme.example", "DELETE", 403),
    ("agent@acme.example", "GET", 403),           # scopes do not elevate a user without an admin role
])
def test_role_matrix(client, auth, user, method, status):
    resp = client.open(PROBE, method=method, headers=auth(user=user))
    if status == 200:
        assert resp.status_code == 200, resp.json
    else:
        assert_webex_error(resp, 403, "roles")


def test_synthetic_user_without_roles_is_403(client):
    minted = client.post("/_mock/tokens", json={"orgId": DEMO_ORG, "roles": [], "scopes": "cjp:config_read"})
    assert minted.json["user"]["roles"] == []
    assert_webex_error(client.get(PROBE, headers=_bearer(minted.json["access_token"])), 403, "none")


def test_public_routes_need_no_token(client):
    for path in ("/health", "/.well-known/jwks.json", "/.well-known/openid-configuration", "/openapi.json"):
        assert client.get(path).status_code == 200, path


def test_mock_controls_need_the_admin_token_when_configured():
    client = create_app({"access_log": False, "admin_token": "s3cret"}).test_client()
    body = {"user": "full.admin@acme.example"}
    assert_webex_error(client.post("/_mock/tokens", json=body), 401, "admin token")
    assert_webex_error(client.post("/_mock/tokens", json=body, headers={"X-Mock-Admin-Token": "nope"}), 401)
    assert client.post("/_mock/tokens", json=body, headers={"X-Mock-Admin-Token": "s3cret"}).status_code == 201
    assert client.post("/_mock/tokens", json=body, headers=_bearer("s3cret")).status_code == 201


def test_a_bare_jwt_whose_signature_looks_webex_shaped_gets_its_own_reason(client, rt):
    """A bare JWT's base64url signature may hold two "_" (about one token in 25): cut there, as a Webex-shaped
    token is, its first part is no JWT; the reason must still be the bare token's (here its HS256 header)."""
    signing_input = (_b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": rt.keys.current.kid}).encode()) + "."
                     + _b64(json.dumps(_claims(rt)).encode()))
    token = signing_input + ".AAAAA_Bc_EFg"  # twelve base64url characters; "h.p.AAAAA" cut from it is no JWT
    assert_webex_error(client.get(PROBE, headers=_bearer(token)), 401, "'HS256' is not accepted")
