"""The harness page in a real browser: journal, faults, rate limits, clock, organisations; CSRF and the admin token."""
from __future__ import annotations

import pytest
import requests

from .conftest import DEMO_ORG, shot, sign_in

pytestmark = pytest.mark.browser

SITES = f"/organization/{DEMO_ORG}/v2/site"


def test_journal_newest_first_and_filtered(page, server):
    server.get(SITES)
    server.get(f"/organization/{DEMO_ORG}/v2/team")
    server.get(f"/organization/{DEMO_ORG}/no-such-thing")
    page.goto(f"{server.url}/console/harness")
    paths = page.locator("#journal-table td.path").all_inner_texts()
    assert paths[:3] == [f"/organization/{DEMO_ORG}/no-such-thing", f"/organization/{DEMO_ORG}/v2/team", SITES]
    shot(page, "journal")
    page.fill("#j-path", "/organization/*/v2/site")
    page.click("#j-filter")
    assert page.locator("#journal-table td.path").all_inner_texts() == [SITES]
    page.fill("#j-path", "")
    page.fill("#j-status", "4xx")
    page.fill("#j-org", DEMO_ORG)
    page.click("#j-filter")
    api = server.mock("GET", "/journal", params={"status": "4xx", "orgId": DEMO_ORG}).json()["items"]
    assert page.locator("#journal-table td.path").all_inner_texts() == [e["path"] for e in reversed(api)]
    assert page.locator("#journal-table td.status").all_inner_texts() == ["404"]
    page.fill("#j-status", "teapot")
    page.click("#j-filter")
    assert "status" in page.inner_text("#journal-error")  # the control API's own 400 reason


def test_journal_shows_bodies_redacted_as_stored(page, server):
    sign_in(page, server, "full.admin@acme.example")  # the token exchange is journaled, its secret redacted
    page.goto(f"{server.url}/console/harness?path=/v1/access_token")
    body = page.inner_text("#journal-table pre.jbody")
    stored = server.mock("GET", "/journal", params={"path": "/v1/access_token"}).json()["items"][-1]["body"]
    assert stored["client_secret"] == stored["code_verifier"] == stored["code"] == "[redacted]"
    assert '"client_secret": "[redacted]"' in body and '"client_id": "mock-console"' in body
    secret = server.app.extensions["wxcc"].integration("mock-console")["clientSecret"]
    assert secret not in page.content()


def test_faults_rate_limits_and_clock(page, server):
    page.goto(f"{server.url}/console/harness")
    page.select_option("#f-method", "GET")
    page.fill("#f-path", "/organization/*/v2/site")
    page.fill("#f-status", "503")
    page.fill("#f-times", "2")
    page.fill("#f-reason", "Maintenance window")
    page.click("#f-add")
    rules = server.mock("GET", "/faults").json()["items"]
    assert len(rules) == 1 and (rules[0]["status"], rules[0]["path"]) == (503, "/organization/*/v2/site")
    assert rules[0]["id"] in page.inner_text("#faults-table")
    assert server.get(SITES).status_code == 503
    shot(page, "harness")
    page.fill("#f-status", "abc")
    page.click("#f-add")
    assert "Status: 'abc' is not a whole number. Nothing was changed." in page.inner_text(".messages")
    assert len(server.mock("GET", "/faults").json()["items"]) == 1
    page.fill("#f-status", "200")
    page.click("#f-add")
    assert "status" in page.inner_text(".messages").lower()  # the control API's reason (400-599 only)
    assert len(server.mock("GET", "/faults").json()["items"]) == 1
    page.click("#f-clear")
    assert server.mock("GET", "/faults").json()["items"] == []
    assert "None." in page.inner_text("#faults-table")

    page.fill("#l-limit", "7")
    page.fill("#l-window", "30")
    page.click("#l-set")
    assert server.mock("GET", "/ratelimits").json()["default"]["limit"] == 7
    assert "7 per 30" in page.inner_text("#limits-state")
    page.click("#l-clear")
    assert server.mock("GET", "/ratelimits").json()["default"] is None

    page.click("text=Freeze")
    assert server.mock("GET", "/clock").json()["frozen"] is True
    assert "(frozen)" in page.inner_text("#clock-state")
    before = server.mock("GET", "/clock").json()["now"]
    page.fill("#c-seconds", "3600")
    page.click("#c-advance")
    assert server.mock("GET", "/clock").json()["now"] == pytest.approx(before + 3600)
    page.click("text=Back to real time")
    assert server.mock("GET", "/clock").json()["frozen"] is False


def test_organisations_with_ready_tokens_and_a_new_one(page, server):
    page.goto(f"{server.url}/console/harness")
    row = page.locator("#orgs-table tr", has_text=DEMO_ORG)
    token = row.locator("input").input_value()
    ok = requests.get(f"{server.url}/controlhub/organization/{DEMO_ORG}/connectors",
                      headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert ok.status_code == 200 and len(ok.json()["data"]) == 3
    row.locator("button[data-copy]").click()
    from playwright.sync_api import expect

    expect(row.locator("button[data-copy]")).to_have_text("Copied")  # the clipboard answers asynchronously
    assert page.evaluate("() => navigator.clipboard.readText()") == token
    page.fill("#o-name", "Console test org")
    page.select_option("#o-template", "empty")
    page.uncheck("#o-flex3")
    page.click("#o-create")
    created = [o for o in server.mock("GET", "/orgs").json()["items"] if o["name"] == "Console test org"]
    assert len(created) == 1 and created[0]["flex3"] is False
    assert created[0]["id"] in page.inner_text("#created")
    admin = page.locator("#created tr", has_text="Full Administrator").first.locator("input").input_value()
    mine = requests.get(f"{server.url}/controlhub/organization/{created[0]['id']}/connectors",
                        headers={"Authorization": f"Bearer {admin}"}, timeout=10)
    assert mine.status_code == 200 and mine.json()["data"] == []
    assert created[0]["id"] in page.inner_text("#orgs-table")

    # Its people sign in like the demo's (the consent page lists every organisation's people).
    email = page.locator("#created tr", has_text="Full Administrator").first.locator("td").nth(1).inner_text()
    sign_in(page, server, email)
    assert "Console test org" in page.inner_text("#who")
    assert "no Flex 3 (FLEX3) licences" in page.inner_text("#flex3") and page.inner_text("#setup") == "Set up"


def test_a_form_posted_without_its_csrf_token_is_refused_and_changes_nothing(page, server):
    sign_in(page, server, "full.admin@acme.example")
    target = "c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a21"
    url = f"{server.url}/console/connectors/{target}/active"
    replay = page.request.post(url, form={"want": "deactivate", "confirm": "yes"})
    assert replay.status == 400 and "could not be verified" in replay.text() and "Traceback" not in replay.text()
    forged = page.request.post(url, form={"want": "deactivate", "confirm": "yes", "csrf": "forged"})
    assert forged.status == 400
    held = server.get(f"/controlhub/organization/{DEMO_ORG}/connectors/{target}").json()
    assert held["active"] is True and held["version"] == 0
    page.request.post(f"{server.url}/console/harness/faults/add", form={"status": "503"})
    assert server.mock("GET", "/faults").json()["items"] == []


def test_admin_token_guards_the_console_like_the_control_api(page, locked_server):
    server = locked_server
    page.goto(f"{server.url}/console/harness")
    assert "/console/unlock" in page.url
    assert requests.get(f"{server.url}/console/harness", timeout=10, allow_redirects=False).status_code == 302
    page.fill("#token", "wrong")
    page.click("text=Open the console")
    assert page.inner_text("#reason") == "That is not the admin token."
    page.fill("#token", "console-admin-secret")
    page.click("text=Open the console")
    page.wait_for_url(f"{server.url}/console/harness")
    assert DEMO_ORG in page.inner_text("#orgs-table")  # the control API answered the console's calls
    headers = {"X-Mock-Admin-Token": "console-admin-secret"}
    assert requests.get(f"{server.url}/console/harness", headers=headers, timeout=10).status_code == 200
    sign_in(page, server, "full.admin@acme.example")
    assert page.locator("#active-list .connector").count() == 2
