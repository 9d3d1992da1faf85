"""R13, R15: a flow's routing status per HTTP Request activity, computed live from its connectors."""
from __future__ import annotations

from ..conftest import DEMO_ORG, assert_webex_error
from .helpers import CONNECTORS, FLOW_ID, RO_ID, RW_ID, STORE, upload

STATUS = f"/_mock/flows/{DEMO_ORG}/{FLOW_ID}/status"


def routing(client):
    body = client.get(STATUS).get_json()
    return body["routing"], {a["name"]: a["routing"] for a in body["activities"]}


def test_bundled_flow_is_live_with_its_connectors_named(client):
    body = client.get(STATUS).get_json()
    assert body["routing"] == "live"
    assert [(a["name"], a["connectorName"], a["connectorState"]) for a in body["activities"]] == [
        ("GetSites", "Flow reads (read-only)", "active"), ("GetTeamsOfSite", "Flow reads (read-only)", "active"),
        ("CreateOverflowTeam", "Flow writes (read/write)", "active")]
    assert {a["name"] for a in body["notSimulated"]} == {"NewPhoneContact", "TeamsFound", "PlayResult",
                                                         "DisconnectContact"}


def test_r13_deactivate_pauses_every_activity_using_it_at_once_and_reactivate_restores(client, auth):
    h = auth()
    client.post(f"{CONNECTORS}/{RO_ID}/deactivate", headers=h)
    assert routing(client) == ("paused", {"GetSites": "paused", "GetTeamsOfSite": "paused",
                                          "CreateOverflowTeam": "live"})
    client.post(f"{CONNECTORS}/{RO_ID}/reactivate", headers=h)
    assert routing(client) == ("live", {"GetSites": "live", "GetTeamsOfSite": "live", "CreateOverflowTeam": "live"})


def test_r13_status_of_every_flow_sharing_the_connector_changes(client, auth):
    h = auth()
    doc = client.get(f"{STORE}/flows/{FLOW_ID}:export", headers=h).get_json()
    client.post(f"{STORE}/flows:import", data=upload({**doc, "name": "Second user of the connectors"}), headers=h)
    client.post(f"{CONNECTORS}/{RW_ID}/deactivate", headers=h)
    flows = client.get(f"/_mock/flows/{DEMO_ORG}/status").get_json()
    assert len(flows) == 2 and {f["routing"] for f in flows} == {"paused"}


def test_r15_deleted_connector_breaks_the_flow(client, auth):
    h = auth()
    client.post(f"{CONNECTORS}/{RW_ID}/deactivate", headers=h)
    client.delete(f"{CONNECTORS}/{RW_ID}", headers=h)
    body = client.get(STATUS).get_json()
    row = next(a for a in body["activities"] if a["name"] == "CreateOverflowTeam")
    assert body["routing"] == "broken" and row["connectorState"] == "deleted" and row["connectorName"] is None


def test_status_of_unknown_flow_or_org_is_404(client):
    assert_webex_error(client.get(f"/_mock/flows/{DEMO_ORG}/nope/status"), 404, "nope")
    assert_webex_error(client.get("/_mock/flows/no-such-org/status"), 404, "no-such-org")
