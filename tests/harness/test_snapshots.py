"""Snapshots: export one organisation or everything, restore exactly, reject what is not a snapshot."""
import pytest

from tests.conftest import DEMO_ORG, assert_webex_error

from .helpers import new_org


def snap(client, **query):
    resp = client.get("/_mock/snapshot", query_string=query)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_org_snapshot_round_trip(client, rt):
    org = new_org(client, template="demo")
    saved = snap(client, orgId=org["id"])
    assert saved["scope"] == "org" and set(saved["data"]) == {org["id"]} and saved["org"]["id"] == org["id"]
    rt.store.put(org["id"], "site", {"id": "s1", "name": "added later"})
    rt.store.delete(org["id"], "people", org["admins"]["full_admin"]["id"])
    resp = client.put("/_mock/snapshot", json=saved)
    assert resp.status_code == 200 and resp.get_json() == {"restored": "org", "orgId": org["id"]}
    assert snap(client, orgId=org["id"])["data"] == saved["data"]


def test_org_snapshot_brings_a_deleted_org_back(client):
    org = new_org(client)
    saved = snap(client, orgId=org["id"])
    client.delete(f"/_mock/orgs/{org['id']}")
    client.put("/_mock/snapshot", json=saved)
    assert client.get(f"/_mock/orgs/{org['id']}").get_json()["template"] == "empty"
    assert snap(client, orgId=org["id"])["data"] == saved["data"]


def test_whole_server_snapshot_restores_exactly(client, rt):
    saved = snap(client)
    assert saved["scope"] == "all" and DEMO_ORG in saved["data"] and "_system" in saved["data"]
    later = new_org(client)
    rt.store.delete(DEMO_ORG, "people", rt.store.list(DEMO_ORG, "people")[0]["id"])
    assert client.put("/_mock/snapshot", json=saved).status_code == 200
    again = snap(client)
    assert again["data"] == saved["data"]
    assert later["id"] not in rt.store.orgs() and rt.org(later["id"]) is None


@pytest.mark.parametrize("body, reason", [
    ([], "snapshot"), ({"format": 2, "scope": "all", "data": {}}, "snapshot"),
    ({"format": 1, "scope": "all", "data": []}, "data"),
    ({"format": 1, "scope": "all", "data": {"x": {"site": [{"name": "no id"}]}}}, "data.x.site"),
    ({"format": 1, "scope": "all", "data": {"x": {}}}, "_system"),
    ({"format": 1, "scope": "org", "orgId": "a", "data": {"b": {}}}, "exactly"),
    ({"format": 1, "scope": "org", "orgId": "a", "data": {"a": {}}, "org": {"id": "b"}}, "org"),
    ({"format": 1, "scope": "org", "orgId": "a", "data": {"a": {}}, "org": "a"}, "org"),
])
def test_bad_snapshots_are_400_and_change_nothing(client, body, reason):
    before = snap(client)["data"]
    assert_webex_error(client.put("/_mock/snapshot", json=body), 400, reason)
    assert snap(client)["data"] == before


def test_not_json_and_unknown_org(client):
    assert_webex_error(client.put("/_mock/snapshot", data=b"{nope", content_type="application/json"), 400, "JSON")
    assert_webex_error(client.get("/_mock/snapshot", query_string={"orgId": "nope"}), 404, "nope")


def test_snapshots_larger_than_the_api_body_limit_are_accepted(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    org = new_org(client, template="demo")
    saved = snap(client, orgId=org["id"])
    assert client.put("/_mock/snapshot", json=saved).status_code == 200
    assert client.post("/_mock/faults", json={"status": 500, "reason": "x" * 2000}).status_code == 413
