"""Key rotation with a grace period, and revocation of a token, a user or a client."""
from tests.conftest import DEMO_ORG, assert_webex_error

from .helpers import PROBE, bearer

PATH = f"/organization/{DEMO_ORG}{PROBE}"


def jwks_kids(client):
    return [k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]]


def test_rotation_keeps_the_old_key_for_the_grace_period_then_drops_it(client, token, rt):
    rt.clock.freeze(1_800_000_000)
    old_kid = jwks_kids(client)[0]
    old = token()
    rotated = client.post("/_mock/keys/rotate", json={"graceSeconds": 600}).get_json()
    assert rotated["kid"] != old_kid and rotated["graceSeconds"] == 600
    assert jwks_kids(client) == [rotated["kid"], old_kid]
    new = token()
    assert client.get(PATH, headers=bearer(old)).status_code == 404  # still inside the grace period
    rt.clock.advance(600)
    assert jwks_kids(client) == [rotated["kid"]]
    assert_webex_error(client.get(PATH, headers=bearer(old)), 401, "unknown signing key")
    assert client.get(PATH, headers=bearer(new)).status_code == 404
    state = client.get("/_mock/keys").get_json()
    assert [k["kid"] for k in state["keys"]] == [rotated["kid"]] and state["keys"][0]["current"] is True


def test_rotation_without_body_uses_the_configured_grace(client):
    body = client.post("/_mock/keys/rotate").get_json()
    assert body["graceSeconds"] == 3600 and len(body["keys"]) == 2
    assert_webex_error(client.post("/_mock/keys/rotate", json={"graceSeconds": -1}), 400, "graceSeconds")


def test_revoke_one_token(client, token):
    first, second = token(), token()
    assert client.post("/_mock/tokens/revoke", json={"token": first}).get_json() == {"revoked": "token"}
    assert_webex_error(client.get(PATH, headers=bearer(first)), 401, "revoked")
    assert client.get(PATH, headers=bearer(second)).status_code == 404


def test_revoke_every_token_of_a_user(client, token):
    admin, other = token(), token(user="cc.service.admin@acme.example")
    resp = client.post("/_mock/tokens/revoke", json={"user": "full.admin@acme.example", "orgId": DEMO_ORG})
    assert resp.get_json()["revoked"] == "user"
    assert_webex_error(client.get(PATH, headers=bearer(admin)), 401, "revoked")
    assert client.get(PATH, headers=bearer(other)).status_code == 404


def test_revoke_every_token_of_a_client(client, token):
    a, b = token(clientId="client-a"), token(clientId="client-b")
    client.post("/_mock/tokens/revoke", json={"clientId": "client-a"})
    assert_webex_error(client.get(PATH, headers=bearer(a)), 401, "revoked")
    assert client.get(PATH, headers=bearer(b)).status_code == 404


def test_revoke_validation(client):
    assert_webex_error(client.post("/_mock/tokens/revoke", json={}), 400, "exactly one")
    assert_webex_error(client.post("/_mock/tokens/revoke", json={"token": "x", "clientId": "y"}), 400, "exactly one")
    assert_webex_error(client.post("/_mock/tokens/revoke", json={"token": "garbage"}), 400, "token")
