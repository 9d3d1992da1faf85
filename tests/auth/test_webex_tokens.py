"""Tokens as real clients parse them: ``<opaque>_<cluster>_<orgId>`` (runtime facts 8), people/me, the tenant record."""
from __future__ import annotations

import base64

import jwt
import pytest
import requests

from mockserver import create_app
from mockserver.testing import LiveServer

from ..conftest import DEMO_ORG, NOLICENSE_ORG, assert_webex_error
from ..oauth import READWRITE, SECRETS, code_for, exchange, refresh
from ..webex_token import jwt_of, parts

SITES = f"/organization/{DEMO_ORG}/v2/site"


@pytest.fixture(scope="module")
def live():
    with LiveServer(create_app({"access_log": False})) as server:
        yield server


def _get(live, path, token):
    return requests.get(live.url + path, headers={"Authorization": f"Bearer {token}"}, timeout=5)


def test_issued_tokens_are_webex_shaped_and_split_like_the_js_samples(live):
    body = exchange(live, code_for(live)).json()
    for name in ("access_token", "refresh_token"):
        token, cluster, org = parts(body[name])  # [token, ciCluster, orgId] = access_token.split('_')
        assert cluster == "P0A1" and org == DEMO_ORG, name
        assert token and "_" not in token
    # The Java samples take the last element as the organisation id; clients then call that organisation.
    org = body["access_token"].split("_")[-1]
    assert _get(live, f"/organization/{org}/v2/site", body["access_token"]).status_code == 200


def test_guard_accepts_the_whole_token_its_first_part_and_the_bare_jwt(live):
    access = exchange(live, code_for(live)).json()["access_token"]
    for form in (access, parts(access)[0], jwt_of(access)):
        resp = _get(live, SITES, form)
        assert resp.status_code == 200 and resp.json()["meta"]["orgid"] == DEMO_ORG, form[-60:]


def test_a_suffix_naming_another_organization_is_401(live):
    access = exchange(live, code_for(live)).json()["access_token"]
    forged = f"{parts(access)[0]}_P0A1_{NOLICENSE_ORG}"
    resp = _get(live, f"/organization/{NOLICENSE_ORG}/v2/site", forged)
    assert resp.status_code == 401 and "organization at the end" in resp.json()["error"]["reason"]


def test_the_jwt_inside_verifies_with_the_jwks(live):
    """What the docs show: turn ~ back into _ in the first part, then PyJWT and the JWKS."""
    access = exchange(live, code_for(live)).json()["access_token"]
    signed = access.split("_")[0].replace("~", "_")
    key = jwt.PyJWKClient(live.url + "/.well-known/jwks.json").get_signing_key_from_jwt(signed)
    claims = jwt.decode(signed, key.key, algorithms=["RS256"], issuer=live.url)
    assert claims["org_id"] == DEMO_ORG


def test_refresh_tokens_are_shaped_and_refresh_with_a_form_or_a_json_body(live):
    first = exchange(live, code_for(live)).json()
    second = refresh(live, first["refresh_token"])
    assert second.status_code == 200 and parts(second.json()["refresh_token"])[2] == DEMO_ORG
    # Cisco's Postman collection refreshes with a JSON body (facts 3.7).
    third = requests.post(live.url + "/v1/access_token", timeout=5, json={
        "grant_type": "refresh_token", "refresh_token": second.json()["refresh_token"], "client_id": READWRITE,
        "client_secret": SECRETS[READWRITE]})
    assert third.status_code == 200, third.text
    assert _get(live, SITES, third.json()["access_token"]).status_code == 200
    # The first part alone still refreshes (token refreshers keep only that part).
    fourth = refresh(live, parts(third.json()["refresh_token"])[0])
    assert fourth.status_code == 200, fourth.text


def test_code_exchange_with_a_json_body(live):
    resp = requests.post(live.url + "/v1/access_token", timeout=5, json={
        "grant_type": "authorization_code", "code": code_for(live), "client_id": READWRITE,
        "client_secret": SECRETS[READWRITE], "redirect_uri": "http://127.0.0.1:8080/callback"})
    assert resp.status_code == 200 and parts(resp.json()["access_token"])[2] == DEMO_ORG


def test_mock_tokens_are_shaped_with_the_configured_cluster_or_bare():
    shaped = create_app({"access_log": False, "token_cluster": "PF84"}).test_client()
    body = shaped.post("/_mock/tokens", json={"user": "full.admin@acme.example", "refresh": True}).json
    assert parts(body["access_token"])[1:] == ["PF84", DEMO_ORG]
    assert parts(body["refresh_token"])[1:] == ["PF84", DEMO_ORG]
    bare = create_app({"access_log": False, "bare_jwt_tokens": True}).test_client()
    token = bare.post("/_mock/tokens", json={"user": "full.admin@acme.example"}).json["access_token"]
    assert jwt.get_unverified_header(token)["alg"] == "RS256" and token.count(".") == 2
    assert jwt.decode(token, options={"verify_signature": False})["org_id"] == DEMO_ORG
    assert bare.get(SITES, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with pytest.raises(ValueError, match="cluster"):
        create_app({"access_log": False, "token_cluster": "P0_A1"})


def _hydra(value: str) -> str:
    return base64.b64decode(value + "=" * (-len(value) % 4)).decode()


def test_people_me_answers_as_webex_with_hydra_ids(live):
    access = exchange(live, code_for(live)).json()["access_token"]
    resp = _get(live, "/v1/people/me", access)
    assert resp.status_code == 200
    me = resp.json()
    assert _hydra(me["orgId"]) == f"ciscospark://us/ORGANIZATION/{DEMO_ORG}"
    assert _hydra(me["orgId"]).rsplit("/", 1)[-1] == parts(access)[2]  # how the official samples find the org
    assert _hydra(me["id"]).startswith("ciscospark://us/PEOPLE/")
    assert me["emails"] == ["full.admin@acme.example"] and me["type"] == "person"
    assert {"displayName", "firstName", "lastName", "created", "status", "roles", "licenses"} <= set(me)
    assert _get(live, "/v1/people/me", "nope").status_code == 401
    assert requests.get(live.url + "/v1/people/me", timeout=5).status_code == 400


def test_tenant_record_is_the_organizations_own_record(live):
    access = exchange(live, code_for(live)).json()["access_token"]
    resp = _get(live, f"/organization/{DEMO_ORG}", access)
    assert resp.status_code == 200
    org = resp.json()
    assert org["id"] == DEMO_ORG and org["name"] == "Acme Contact Center (demo)"
    assert org["subscriptionType"] == "SUBSCRIPTION" and org["active"] is True
    assert {"createdTime", "lastUpdatedTime", "environment", "tenantType", "timezone", "orgType"} <= set(org)
    assert "meta" not in org and "data" not in org
    assert_webex_error(_Resp(_get(live, f"/organization/{NOLICENSE_ORG}", access)), 403, NOLICENSE_ORG)


class _Resp:
    """A requests response in the shape ``assert_webex_error`` reads (Flask's test response API)."""

    def __init__(self, resp):
        self.resp, self.status_code, self.headers = resp, resp.status_code, resp.headers

    def get_json(self):
        return self.resp.json()

    def get_data(self, as_text=False):
        return self.resp.text
