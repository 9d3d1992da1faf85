"""The mock clock: read, freeze, set, advance; tokens, refresh tokens and codes follow it."""
from tests.conftest import DEMO_ORG, assert_webex_error

from .helpers import PROBE

READWRITE = "C0ffee0000000000000000000000000000000000000000000000000000000002"


def test_read_freeze_set_advance_unfreeze_reset(client):
    state = client.get("/_mock/clock").get_json()
    assert state["frozen"] is False and abs(state["offsetSeconds"]) < 1
    assert client.post("/_mock/clock/freeze", json={"at": 1_800_000_000}).get_json()["now"] == 1_800_000_000
    assert client.post("/_mock/clock/advance", json={"seconds": 90}).get_json()["nowMs"] == 1_800_000_090_000
    assert client.post("/_mock/clock/set", json={"atMs": 1_900_000_000_000}).get_json()["now"] == 1_900_000_000
    assert client.get("/_mock/clock").get_json()["frozen"] is True
    running = client.post("/_mock/clock/unfreeze").get_json()
    assert running["frozen"] is False and running["now"] >= 1_900_000_000
    assert client.post("/_mock/clock/freeze").get_json()["frozen"] is True  # no body: now
    reset = client.delete("/_mock/clock").get_json()
    assert reset["frozen"] is False and abs(reset["offsetSeconds"]) < 1


def test_clock_validation(client):
    assert_webex_error(client.post("/_mock/clock/advance", json={}), 400, "seconds")
    assert_webex_error(client.post("/_mock/clock/set", json={}), 400, "at")
    assert_webex_error(client.post("/_mock/clock/set", json={"at": "soon"}), 400, "at")


def test_advancing_the_clock_expires_access_tokens(client, token):
    tok = token(user="full.admin@acme.example")
    path = f"/organization/{DEMO_ORG}{PROBE}"
    assert client.get(path, headers={"Authorization": f"Bearer {tok}"}).status_code == 404
    client.post("/_mock/clock/advance", json={"seconds": 43199})
    assert_webex_error(client.get(path, headers={"Authorization": f"Bearer {tok}"}), 401, "expired")


def test_advancing_the_clock_expires_refresh_tokens(client):
    body = client.post("/_mock/tokens", json={"user": "full.admin@acme.example", "clientId": READWRITE,
                                              "refresh": True}).get_json()
    form = {"grant_type": "refresh_token", "client_id": READWRITE, "client_secret": "mock-secret-readwrite-0002",
            "refresh_token": body["refresh_token"]}
    client.post("/_mock/clock/advance", json={"seconds": body["refresh_token_expires_in"]})
    resp = client.post("/v1/access_token", data=form)
    assert resp.status_code == 400 and resp.get_json()["error"] == "invalid_grant"
    assert "expired" in resp.get_json()["error_description"]


def test_advancing_the_clock_expires_authorization_codes(app, rt):
    from urllib.parse import parse_qs, urlsplit

    from mockserver.testing.inprocess import DEFAULT_BASE_URL as BASE
    from mockserver.testing.inprocess import session_for

    params = {"response_type": "code", "client_id": READWRITE, "redirect_uri": "http://localhost:8080/callback",
              "scope": "cjp:config_read", "state": "s", "login_hint": "full.admin@acme.example"}
    with session_for(app) as s:
        resp = s.get(f"{BASE}/v1/authorize", params=params, allow_redirects=False)
        code = parse_qs(urlsplit(resp.headers["Location"]).query)["code"][0]
        rt.clock.advance(rt.config.auth_code_ttl)
        resp = s.post(f"{BASE}/v1/access_token", data={
            "grant_type": "authorization_code", "client_id": READWRITE, "client_secret": "mock-secret-readwrite-0002",
            "code": code, "redirect_uri": params["redirect_uri"]})
    assert resp.status_code == 400 and resp.json()["error"] == "invalid_grant" and "expired" in resp.text
