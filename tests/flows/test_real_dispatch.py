"""The bundled flow against the real configuration API, in-process, through the demo connectors (R16, R17)."""
from __future__ import annotations

import json

from ..conftest import DEMO_ORG
from .helpers import CONNECTORS, FLOW_ID, RO_ID, RUN_ACTIVITY, http_activity

ORG = f"/organization/{DEMO_ORG}"
RUN = f"/_mock/flows/{DEMO_ORG}/{FLOW_ID}/run"


def make_site(client, h, name="Main site") -> str:
    """A new site (with its multimedia profile) through the API as the admin."""
    mmp = client.post(f"{ORG}/multimedia-profile", headers=h, json={
        "name": "Flow demo MMP", "chat": 1, "email": 1, "telephony": 1, "social": 1, "active": True,
        "blendingModeEnabled": False, "blendingMode": "FULL"})
    assert mmp.status_code == 201, mmp.get_json()
    site = client.post(f"{ORG}/site", headers=h, json={"name": name, "active": True,
                                                       "multimediaProfileId": mmp.get_json()["id"]})
    assert site.status_code == 201, site.get_json()
    return site.get_json()["id"]


def test_bundled_flow_reads_and_writes_the_demo_tenant(client, auth):
    h = auth()
    sites = client.get(f"{ORG}/v2/site?page=0&pageSize=10", headers=h).get_json()["data"]
    first = sites[0]
    teams = client.get(f"{ORG}/v2/team?filter=siteId=={first['id']}", headers=h).get_json()["meta"]["totalRecords"]
    body = client.post(RUN, json={}).get_json()
    assert body["status"] == "completed", body
    assert [r["httpStatusCode"] for r in body["results"]] == [200, 200, 201]
    v = body["variables"]
    assert (v["siteId"], v["siteName"], v["teamCount"]) == (first["id"], first["name"], teams)
    assert v["activeSiteIds"] == [s["id"] for s in sites if s["active"]]
    team = client.get(f"{ORG}/team/{v['newTeamId']}", headers=h).get_json()
    assert team["siteId"] == first["id"] and team["name"] == "Overflow team (flow demo)"
    again = client.post(RUN, json={"variables": {"overflowTeamName": "Second overflow"}}).get_json()
    assert again["variables"]["teamCount"] == teams + 1


def test_r18_api_conflict_is_a_completed_request_on_the_default_exit(client):
    client.post(RUN, json={})
    body = client.post(RUN, json={}).get_json()  # same team name again: the API answers 409
    last = body["results"][-1]
    assert (last["httpStatusCode"], last["exit"], body["globalError"]) == (409, "default", None)
    assert json.loads(last["httpResponseBody"])["error"]["key"] == "409"


def test_r17_read_only_connector_write_to_config_api_changes_nothing(client, auth):
    h = auth()
    site_id = make_site(client, h)
    body = json.dumps({"name": "Sneaky", "teamType": "AGENT", "teamStatus": "IN_SERVICE", "active": True,
                       "siteId": site_id, "rankQueuesForTeam": False})
    res = client.post(RUN_ACTIVITY, json={"activity": http_activity(
        httpRequestMethod="POST", httpRequestPath=f"{ORG}/team", httpRequestBody=body)}).get_json()["results"][0]
    assert res["httpStatusCode"] == 403 and "cjp:config_write" in res["httpResponseBody"]
    assert client.get(f"{ORG}/v2/team?filter=siteId=={site_id}", headers=h).get_json()["meta"]["totalRecords"] == 0


def test_r13_deactivated_connector_pauses_the_real_flow_before_any_call(client, auth):
    h = auth()
    before = client.get(f"{ORG}/v2/team", headers=h).get_json()["meta"]["totalRecords"]
    client.post(f"{CONNECTORS}/{RO_ID}/deactivate", headers=h)
    body = client.post(RUN, json={}).get_json()
    assert body["status"] == "paused" and body["results"][0]["attempts"] == 0
    assert client.get(f"{ORG}/v2/team", headers=h).get_json()["meta"]["totalRecords"] == before


def test_a_copied_organisation_runs_its_own_copy_of_the_flow(client, auth):
    demo_teams = lambda: client.get(f"{ORG}/v2/team", headers=auth()).get_json()["meta"]["totalRecords"]  # noqa
    before = demo_teams()
    org = client.post("/_mock/orgs", json={}).get_json()["id"]
    flows = client.get(f"/_mock/flows/{org}/status").get_json()
    assert [f["routing"] for f in flows] == ["live"]
    body = client.post(f"/_mock/flows/{org}/{flows[0]['flowId']}/run", json={}).get_json()
    assert body["status"] == "completed" and body["results"][2]["httpStatusCode"] == 201
    assert all(r["request"]["path"].startswith(f"/organization/{org}/") for r in body["results"])
    assert demo_teams() == before  # the copy wrote to its own organisation only
