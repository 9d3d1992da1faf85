"""The counting rate limiter: off by default, exactly the limit per window, Retry-After, per org and client."""
from tests.conftest import assert_webex_error

from .helpers import PROBE, bearer, new_org, org_get


def limit(client, org=None, **body):
    path = "/_mock/ratelimits" + (f"/{org['id']}" if org else "")
    resp = client.put(path, json=body)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_off_unless_configured(client):
    org = new_org(client)
    assert all(org_get(client, org).status_code == 404 for _ in range(400))
    assert client.get("/_mock/ratelimits").get_json()["default"] is None


def test_exactly_the_limit_per_window_and_retry_after(client, rt):
    rt.clock.freeze(1_800_000_000)
    org = new_org(client)
    limit(client, org, limit=5, windowSeconds=60)
    assert [org_get(client, org).status_code for _ in range(5)] == [404] * 5
    resp = org_get(client, org)
    body = assert_webex_error(resp, 429, "rate limit exceeded")
    assert resp.headers["Retry-After"] == "60"
    assert body["code"] == 429 and body["message"] == "Too many requests. Rate limit exceeded."
    rt.clock.advance(20.5)
    assert org_get(client, org).headers["Retry-After"] == "40"  # whole seconds, rounded up
    rt.clock.advance(39.5)  # the window closes: a new budget of exactly 5
    assert [org_get(client, org).status_code for _ in range(6)] == [404] * 5 + [429]
    journal = client.get("/_mock/journal/count", query_string={"status": "429"}).get_json()
    assert journal["count"] == 3


def test_budget_is_per_client_id(client, rt):
    rt.clock.freeze(1_800_000_000)
    org = new_org(client)
    limit(client, org, limit=2, windowSeconds=10)
    other = client.post("/_mock/tokens", json={"user": org["admins"]["full_admin"]["id"], "orgId": org["id"],
                                               "clientId": "another-client"}).get_json()["access_token"]
    assert [org_get(client, org).status_code for _ in range(3)] == [404, 404, 429]
    path = f"/organization/{org['id']}{PROBE}"
    assert [client.get(path, headers=bearer(other)).status_code for _ in range(3)] == [404, 404, 429]


def test_default_applies_to_orgs_without_their_own(client, rt):
    rt.clock.freeze(1_800_000_000)
    a, b = new_org(client), new_org(client)
    limit(client, limit=1, windowSeconds=30)
    limit(client, b, limit=3, windowSeconds=30)
    assert [org_get(client, a).status_code for _ in range(2)] == [404, 429]
    assert [org_get(client, b).status_code for _ in range(4)] == [404, 404, 404, 429]
    state = client.get(f"/_mock/ratelimits/{b['id']}").get_json()
    assert state["effective"] == {"limit": 3, "windowSeconds": 30.0} and state["counters"][0]["count"] == 3
    assert client.delete(f"/_mock/ratelimits/{b['id']}").status_code == 204  # back to the default (1)
    assert [org_get(client, b).status_code for _ in range(2)] == [404, 429]
    limit(client, b, enabled=False)
    assert all(org_get(client, b).status_code == 404 for _ in range(5))
    assert client.delete("/_mock/ratelimits").status_code == 204
    assert org_get(client, a).status_code == 404


def test_unauthenticated_and_control_calls_are_not_limited(client):
    limit(client, limit=1, windowSeconds=60)
    assert [client.get("/health").status_code for _ in range(3)] == [200] * 3
    assert [client.get("/_mock/ratelimits").status_code for _ in range(3)] == [200] * 3


def test_validation(client):
    assert_webex_error(client.put("/_mock/ratelimits", json={"limit": 0}), 400, "limit")
    assert_webex_error(client.put("/_mock/ratelimits", json={"windowSeconds": -1}), 400, "windowSeconds")
    assert_webex_error(client.put("/_mock/ratelimits/nope", json={"limit": 1}), 404, "nope")
