"""Subscriptions CRUD on v1 and v2 (isolated), event types, the secret never echoed, the org limit, safe
destinations, ErrorResult bodies, access, and persistence in the configuration store."""
from __future__ import annotations

import pytest

from mockserver import create_app

from ..conftest import DEMO_ORG, NOLICENSE_ORG
from .conftest import SECRET, Hooks


def error_result(resp, status: int, part: str) -> dict:
    """The spec's ErrorResult: an integer key, a NOTIFS_ tracking id (also in the header), the reason."""
    assert resp.status_code == status, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["error"]["key"] == status
    assert body["trackingId"].startswith("NOTIFS_") and resp.headers["TrackingID"] == body["trackingId"]
    assert part.lower() in body["error"]["message"][0]["description"].lower(), body
    return body


def test_create_get_list_patch_delete_v1(hooks):
    url = "http://127.0.0.1:8999/hooks"
    made = hooks.client.post("/v1/subscriptions", json={
        "name": "CRM sync", "description": "contacts to the CRM", "eventTypes": ["task:new", "task:ended"],
        "destinationUrl": url, "secret": SECRET}, headers=hooks.headers)
    assert made.status_code == 201
    body = made.get_json()
    sub = body["data"]
    assert body["meta"] == {"orgId": DEMO_ORG}
    assert sub["status"] == "active" and sub["createdBy"] == sub["lastUpdatedBy"] == "full.admin@acme.example"
    assert {k: sub[k] for k in ("name", "description", "eventTypes", "destinationUrl")} == {
        "name": "CRM sync", "description": "contacts to the CRM", "eventTypes": ["task:new", "task:ended"],
        "destinationUrl": url}
    assert "secret" not in sub and SECRET not in made.get_data(as_text=True)
    listed = hooks.client.get("/v1/subscriptions", headers=hooks.headers).get_json()
    assert listed["meta"] == {"orgId": DEMO_ORG, "subscriptionCount": 1} and listed["data"] == [sub]
    got = hooks.client.get(f"/v1/subscriptions/{sub['id']}?orgId={DEMO_ORG}", headers=hooks.headers)
    assert got.status_code == 200 and got.get_json()["data"] == sub
    hooks.rt.clock.advance(5)
    patched = hooks.client.patch(f"/v1/subscriptions/{sub['id']}", json={"eventTypes": ["agent:login"],
                                                                        "status": "inactive"}, headers=hooks.headers)
    assert patched.status_code == 200
    new = patched.get_json()["data"]
    assert new["eventTypes"] == ["agent:login"] and new["status"] == "inactive"
    assert new["lastUpdatedTime"] > sub["lastUpdatedTime"] and new["createdTime"] == sub["createdTime"]
    assert new["description"] == "contacts to the CRM" and "secret" not in new
    assert hooks.client.delete(f"/v1/subscriptions/{sub['id']}", headers=hooks.headers).status_code == 204
    error_result(hooks.client.get(f"/v1/subscriptions/{sub['id']}", headers=hooks.headers), 404, "not found")


def test_v1_and_v2_are_isolated_and_v2_carries_the_resource_version(hooks):
    v1 = hooks.subscribe("http://127.0.0.1:9/a", ["agent:login"])
    v2 = hooks.subscribe("http://localhost:9/b", ["agent:login", "agent:channel_state_change"], version="v2",
                         resourceVersion="agent:2.0.0")
    assert v2["resourceVersion"] == "agent:2.0.0" and "resourceVersion" not in v1
    v1_list = hooks.client.get("/v1/subscriptions", headers=hooks.headers).get_json()["data"]
    assert [s["id"] for s in v1_list] == [v1["id"]]
    listed = hooks.client.get("/v2/subscriptions", headers=hooks.headers).get_json()
    assert [s["id"] for s in listed["data"]] == [v2["id"]] and listed["meta"]["subscriptionCount"] == 2
    error_result(hooks.client.get(f"/v2/subscriptions/{v1['id']}", headers=hooks.headers), 404, "not found")
    error_result(hooks.client.delete(f"/v1/subscriptions/{v2['id']}", headers=hooks.headers), 404, "not found")


@pytest.mark.parametrize("body,part", [
    ({"name": "abc", "eventTypes": ["agent:login"], "destinationUrl": "http://127.0.0.1/"}, "name: size"),
    ({"name": "Hooks", "eventTypes": [], "destinationUrl": "http://127.0.0.1/"}, "eventTypes: size"),
    ({"name": "Hooks", "eventTypes": ["agent:dance"], "destinationUrl": "http://127.0.0.1/"}, "agent:dance"),
    ({"name": "Hooks", "eventTypes": ["agent:login"]}, "destinationUrl: is required"),
    ({"name": "Hooks", "eventTypes": ["agent:login"], "destinationUrl": "ftp://127.0.0.1/"}, "destinationUrl"),
    ({"name": "Hooks", "eventTypes": ["agent:login"], "destinationUrl": "http://127.0.0.1/", "secret": "short"},
     "secret: size"),
    ({"name": "Hooks", "eventTypes": ["agent:login"], "destinationUrl": "http://127.0.0.1/", "orgId": "x"}, "uuid"),
    ({"name": "Hooks", "eventTypes": "agent:login", "destinationUrl": "http://127.0.0.1/"}, "eventTypes"),
])
def test_bad_create_bodies_are_400_naming_the_field(hooks, body, part):
    error_result(hooks.client.post("/v1/subscriptions", json=body, headers=hooks.headers), 400, part)
    assert hooks.client.get("/v1/subscriptions", headers=hooks.headers).get_json()["data"] == []


def test_v2_needs_a_known_resource_version_matching_its_event_types(hooks):
    base = {"name": "Hooks", "eventTypes": ["task:new"], "destinationUrl": "http://127.0.0.1/"}
    error_result(hooks.client.post("/v2/subscriptions", json=base, headers=hooks.headers), 400, "resourceVersion")
    error_result(hooks.client.post("/v2/subscriptions", json={**base, "resourceVersion": "task:9.0.0"},
                                   headers=hooks.headers), 400, "not a supported resource version")
    error_result(hooks.client.post("/v2/subscriptions", json={**base, "resourceVersion": "agent:1.0.0"},
                                   headers=hooks.headers), 400, "task:new not in resource version agent:1.0.0")


def test_other_hosts_are_refused_unless_a_setting_allows_them(hooks):
    body = {"name": "Hooks", "eventTypes": ["agent:login"], "destinationUrl": "https://crm.example.com/hooks"}
    error_result(hooks.client.post("/v1/subscriptions", json=body, headers=hooks.headers), 400,
                 "only to loopback addresses")
    for url in ("http://10.0.0.5/x", "http://[::ffff:10.0.0.5]/x", "http://user:pw@127.0.0.1/x"):
        assert hooks.client.post("/v1/subscriptions", json={**body, "destinationUrl": url},
                                 headers=hooks.headers).status_code == 400
    docker = Hooks(webhook_allowed_hosts="crm.example.com, receiver")
    assert docker.client.post("/v1/subscriptions", json=body, headers=docker.headers).status_code == 201
    sub = docker.subscribe("http://[::1]:8080/x", ["agent:login"])
    error_result(docker.client.patch(f"/v1/subscriptions/{sub['id']}", json={"destinationUrl": "http://evil.example/"},
                                     headers=docker.headers), 400, "evil.example")


def test_name_cannot_be_patched_and_status_is_checked(hooks):
    sub = hooks.subscribe("http://127.0.0.1:9/a", ["agent:login"])
    error_result(hooks.client.patch(f"/v1/subscriptions/{sub['id']}", json={"name": "Renamed"},
                                    headers=hooks.headers), 400, "name: cannot be changed")
    error_result(hooks.client.patch(f"/v1/subscriptions/{sub['id']}", json={"status": "paused"},
                                    headers=hooks.headers), 400, "status")
    error_result(hooks.client.patch(f"/v1/subscriptions/{sub['id']}", data="{", content_type="application/json",
                                    headers=hooks.headers), 400, "json")
    assert hooks.sub(sub["id"]) == sub  # nothing changed


def test_the_org_limit_counts_both_versions(hooks):
    for i in range(10):
        hooks.subscribe(f"http://127.0.0.1:9/{i}", ["agent:login"])
        hooks.subscribe(f"http://127.0.0.1:9/{i}", ["task:new"], version="v2")
    body = {"name": "One more", "eventTypes": ["agent:login"], "destinationUrl": "http://127.0.0.1:9/x"}
    error_result(hooks.client.post("/v1/subscriptions", json=body, headers=hooks.headers), 400, "limit")
    assert hooks.client.get("/v1/subscriptions", headers=hooks.headers).get_json()["meta"]["subscriptionCount"] == 20


def test_event_types_of_both_versions(hooks):
    v1 = hooks.client.get("/v1/event-types", headers=hooks.headers).get_json()
    names = [e["name"] for e in v1["data"]]
    assert {"agent:login", "agent:logout", "agent:state_change", "task:new", "task:ended",
            "capture:available"} <= set(names)
    assert all(e["name"] == f"{e['resource']}:{e['action']}" for e in v1["data"])
    assert v1["meta"] == {"orgId": DEMO_ORG}
    v2 = hooks.client.get("/v2/event-types", headers=hooks.headers).get_json()
    assert {"resource": "agent", "version": "2.0.0"} in v2["meta"]["resourceVersionList"]


def test_scopes_and_organisations(hooks):
    def token(scopes):
        tok = hooks.client.post("/_mock/tokens", json={"user": "full.admin@acme.example", "scopes": scopes})
        return {"Authorization": f"Bearer {tok.get_json()['access_token']}"}
    read = token(["cjp:config_read"])
    assert hooks.client.get("/v1/subscriptions", headers=read).status_code == 200
    body = {"name": "Hooks", "eventTypes": ["agent:login"], "destinationUrl": "http://127.0.0.1/"}
    error_result(hooks.client.post("/v1/subscriptions", json=body, headers=read), 403, "cjp:config_write")
    error_result(hooks.client.get("/v2/event-types", headers=token(["cjp:config_write"])), 403, "cjp:config_read")
    error_result(hooks.client.get(f"/v1/subscriptions?orgId={NOLICENSE_ORG}", headers=hooks.headers), 403,
                 NOLICENSE_ORG)
    error_result(hooks.client.post("/v1/subscriptions", json={**body, "orgId": NOLICENSE_ORG}, headers=hooks.headers),
                 403, NOLICENSE_ORG)
    error_result(hooks.client.get("/v1/subscriptions", headers={"Authorization": "Bearer nope"}), 401, "")
    sent = hooks.client.get("/v1/subscriptions", headers={"Authorization": "Bearer nope", "TrackingId": "NOTIFS_mine"})
    assert sent.get_json()["trackingId"] == "NOTIFS_mine"


def test_subscriptions_survive_a_restart_with_a_storage_file(tmp_path):
    path = str(tmp_path / "state.db")
    first = Hooks(storage=path)
    sub = first.subscribe("http://127.0.0.1:9/a", ["agent:login"], version="v2", resourceVersion="agent:1.0.0")
    first.rt.store.close()
    again = create_app({"access_log": False, "storage": path})
    client = again.test_client()
    tok = client.post("/_mock/tokens", json={"user": "full.admin@acme.example", "scopes": ["cjp:config_read"]})
    bearer = {"Authorization": f"Bearer {tok.get_json()['access_token']}"}
    got = client.get(f"/v2/subscriptions/{sub['id']}", headers=bearer)
    assert got.status_code == 200 and got.get_json()["data"] == sub
    assert again.extensions["wxcc"].store.get(DEMO_ORG, "webhook-subscription-v2", sub["id"])["secret"] == SECRET


def test_a_method_the_routes_do_not_take_is_a_405_error_result(hooks):
    sub = hooks.subscribe("http://127.0.0.1:9/a", ["agent:login"])
    resp = hooks.client.put(f"/v1/subscriptions/{sub['id']}", json={}, headers=hooks.headers)
    error_result(resp, 405, "not allowed")
    assert "PATCH" in resp.headers["Allow"]
