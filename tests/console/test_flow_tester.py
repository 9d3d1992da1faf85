"""Flow Designer pages in a real browser: activities with connector, path, method and routing; the tester runs them."""
from __future__ import annotations

import pytest

from .conftest import DEMO_ORG, shot, sign_in

pytestmark = pytest.mark.browser

FLOW = "6a1f0c2b9d8e7f6a5b4c3d21"
READ_ONLY = "c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a21"
SITES = f"/organization/{DEMO_ORG}/v2/site"


def _variables(page) -> dict:
    rows = page.locator("#variables-after tbody tr")
    return {rows.nth(i).locator("td").nth(0).inner_text(): rows.nth(i).locator("td").nth(1).inner_text()
            for i in range(rows.count())}


def _row(page, activity):
    return [c.strip() for c in page.locator(f"tr[data-activity={activity}] td").all_inner_texts()]


def test_flows_list_each_activity_and_the_whole_flow_runs(page, server):
    sign_in(page, server, "full.admin@acme.example")
    page.click("nav >> text=Flows")
    assert _row(page, "GetSites")[:5] == ["GetSites", "Flow reads (read-only) (active)", "GET", SITES, "live"]
    assert _row(page, "CreateOverflowTeam")[:5] == [
        "CreateOverflowTeam", "Flow writes (read/write) (active)", "POST", f"/organization/{DEMO_ORG}/team", "live"]
    shot(page, "flows")
    page.click("text=Demo site and team lookup")
    page.click("#run-flow")
    page.wait_for_selector("#result")
    assert page.inner_text("#result-title") == "Result: completed"
    got = _variables(page)
    sites = server.get(SITES, params={"page": 0, "pageSize": 10}).json()["data"]
    assert got["siteId"] == sites[0]["id"] and got["siteName"] == sites[0]["name"]
    teams = server.get(f"/organization/{DEMO_ORG}/v2/team", params={"filter": f"siteId=={sites[0]['id']}"}).json()
    assert int(got["teamCount"]) + 1 == teams["meta"]["totalRecords"]  # counted before the flow added one
    created = server.get(f"/organization/{DEMO_ORG}/team/{got['newTeamId']}")
    assert created.status_code == 200 and created.json()["name"] == "Overflow team (flow demo)"
    assert page.locator("article.run").count() == 3


def test_one_activity_runs_with_its_parse_settings(page, server):
    sign_in(page, server, "full.admin@acme.example")
    site = server.get(SITES).json()["data"][0]
    page.goto(f"{server.url}/console/flows")
    page.click("text=Test GetTeamsOfSite")
    assert page.input_value("#path") == f"/organization/{DEMO_ORG}/v2/team"
    assert page.input_value("#query") == "filter=siteId=={{siteId}}"
    assert (page.input_value("#var0"), page.input_value("#expr0")) == ("teamCount", "$.meta.totalRecords")
    page.fill("#variables", f"siteId={site['id']}")
    page.click("#run")
    page.wait_for_selector("#result")
    assert page.inner_text(".run .sent") == f"GET /organization/{DEMO_ORG}/v2/team?filter=siteId=={site['id']}"
    assert page.inner_text(".run .status") == "200"
    teams = server.get(f"/organization/{DEMO_ORG}/v2/team", params={"filter": f"siteId=={site['id']}"}).json()
    outputs = dict(zip(page.locator(".outputs td:nth-child(1)").all_inner_texts(),
                       page.locator(".outputs td:nth-child(2)").all_inner_texts()))
    assert outputs == {"teamCount": str(teams["meta"]["totalRecords"]), "firstTeamName": teams["data"][0]["name"]}
    shot(page, "tester")


def test_a_write_through_the_read_only_connector_is_refused_and_sends_nothing(page, server):
    sign_in(page, server, "full.admin@acme.example")
    page.goto(f"{server.url}/console/flows/{FLOW}?activity=a0000000-0000-4000-8000-000000000002")
    before = server.mock("GET", "/journal/count", params={"method": "POST", "path": SITES}).json()["count"]
    page.select_option("#method", "POST")
    page.fill("#body", '{"name": "x"}')
    page.click("#run")
    assert page.inner_text(".run .status") == "403"
    assert "not sent" in page.inner_text(".run")
    assert "requires scope cjp:config_write" in page.inner_text(".run pre")
    assert server.mock("GET", "/journal/count", params={"method": "POST", "path": SITES}).json()["count"] == before


def test_a_paused_connector_pauses_the_flow(page, server):
    token = server.token("full.admin@acme.example")
    import requests
    resp = requests.post(f"{server.url}/controlhub/organization/{DEMO_ORG}/connectors/{READ_ONLY}/deactivate",
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert resp.status_code == 200
    sign_in(page, server, "full.admin@acme.example")
    page.goto(f"{server.url}/console/flows")
    assert _row(page, "GetSites")[1:5] == ["Flow reads (read-only) (inactive)", "GET", SITES, "paused"]
    page.click("text=Demo site and team lookup")
    page.click("#run-flow")
    assert page.inner_text("#result-title") == "Result: paused"
    assert "routing through it is paused" in page.inner_text(".run")


def test_a_bad_tester_form_is_explained_and_runs_nothing(page, server):
    sign_in(page, server, "full.admin@acme.example")
    page.goto(f"{server.url}/console/flows/{FLOW}")
    before = server.mock("GET", "/journal/count", params={"path": SITES}).json()["count"]
    page.fill("#query", "page=0\nnoequals")
    page.click("#run")
    assert page.inner_text("#reason") == "Query parameters, line 2: write name=value (got 'noequals')."
    assert page.input_value("#query") == "page=0\nnoequals"
    assert page.locator("#result").count() == 0
    assert server.mock("GET", "/journal/count", params={"path": SITES}).json()["count"] == before
    page.fill("#query", "")
    page.fill("#expr0", "$[")  # an invalid JSONPath: the runner's own 400 reason
    page.click("#run")
    assert "siteId" in page.inner_text("#reason") and page.locator("#result").count() == 0
