"""The documentation's connector walk in a real browser, each step checked on the page and in the API."""
from __future__ import annotations

import pytest

from ..conftest import NOLICENSE_ORG
from .conftest import DEMO_ORG, shot, sign_in

pytestmark = pytest.mark.browser

BASE = f"/controlhub/organization/{DEMO_ORG}/connectors"


def _by_name(server, name):
    return [c for c in server.connectors() if c["name"] == name]


def test_full_admin_walks_the_connector_lifecycle(page, server):
    sign_in(page, server, "full.admin@acme.example", screenshot=True)
    assert "Full Administrator" in page.inner_text("#who")
    card = page.locator(".card.wxcc")
    assert card.locator("h2").inner_text() == "Webex Contact Center"
    assert page.inner_text("#setup") == "Add more"  # the demo organisation has connectors already
    assert page.locator("#active-list .connector").count() == 2
    assert page.locator("#inactive-list .connector").count() == 1
    shot(page, "connectors")

    # Set-up tab: name, access level with its scopes, the consent box; refused until it is ticked (R9).
    page.click("#setup")
    assert "cjp_config_read" in page.inner_text("label[for=level-READ_ONLY] + .help")
    assert "cjp_config_write" in page.inner_text("label[for=level-READ_WRITE] + .help")
    page.fill("#name", "Reporting reads")
    page.check("#level-READ_ONLY")
    page.click("#add")
    reason = page.inner_text("#reason")
    assert 'tick "I authorize"' in reason
    assert page.input_value("#name") == "Reporting reads"  # the form keeps what was typed
    assert _by_name(server, "Reporting reads") == []
    shot(page, "setup")
    page.check("#consent")
    page.click("#add")
    page.wait_for_selector("#connector-id")

    # The new card: its id read-only, active, read-only access with its scopes (R8, R10).
    cid = page.input_value("#connector-id")
    assert page.get_attribute("#connector-id", "readonly") is not None
    assert f"Its connector ID is {cid}" in page.inner_text(".messages")
    held = server.get(f"{BASE}/{cid}").json()
    assert (held["name"], held["active"], held["accessLevel"]) == ("Reporting reads", True, "READ_ONLY")
    assert held["scopes"] == ["cjp:config", "cjp:config_read"]
    assert "cjp:config_read" in page.inner_text("#level") and page.inner_text("#status") == "Active"
    assert page.locator("#edit-form").count() == 0 and page.locator("#delete").count() == 0  # active (R11, R15)
    assert "cannot be edited" in page.inner_text("#edit-note")
    page.click("text=Integrations > Connectors")
    assert cid in page.inner_text("#active-list")
    page.goto(f"{server.url}/console/connectors/{cid}")

    # Deactivate: the switch asks first, with the documentation's warning; nothing changes until confirmed.
    assert page.get_attribute("#active-switch", "aria-checked") == "true"
    page.click("#active-switch")
    warning = page.inner_text("#warning")
    assert "pauses call routing for every flow" in warning and "outside business hours" in warning
    assert server.get(f"{BASE}/{cid}").json()["active"] is True
    shot(page, "deactivate")
    page.click("#confirm")
    assert "Connector is now inactive" in page.inner_text(".messages")
    assert page.inner_text("#status") == "Inactive"
    assert page.get_attribute("#active-switch", "aria-checked") == "false"
    assert server.get(f"{BASE}/{cid}").json()["active"] is False

    # Rename while inactive (R11); the id stays.
    page.fill("#edit-name", "Reporting reads (renamed)")
    page.click("#save")
    assert page.inner_text("#connector-name") == "Reporting reads (renamed)"
    held = server.get(f"{BASE}/{cid}").json()
    assert (held["id"], held["name"], held["active"]) == (cid, "Reporting reads (renamed)", False)
    assert page.input_value("#connector-id") == cid

    # Reactivate (R14), then deactivate and delete with the warning (R15).
    page.click("#active-switch")
    page.click("#confirm")
    assert page.inner_text("#status") == "Active"
    assert server.get(f"{BASE}/{cid}").json()["active"] is True
    audit = page.inner_text("#audit")
    for action in ("create", "deactivate", "update", "reactivate"):
        assert action in audit
    assert "'Reporting reads' -> 'Reporting reads (renamed)'" in audit
    shot(page, "connector")
    page.click("#active-switch")
    page.click("#confirm")
    page.click("#delete")
    assert "scripts that are running may stop working" in page.inner_text("#warning")
    assert server.get(f"{BASE}/{cid}").status_code == 200  # not gone before the confirmation
    page.click("#confirm")
    page.wait_for_url(f"{server.url}/console/connectors")
    assert f"Connector {cid} deleted." in page.inner_text(".messages")
    assert cid not in page.inner_text("#active-list") + page.inner_text("#inactive-list")
    gone = server.get(f"{BASE}/{cid}")
    assert gone.status_code == 404 and "was deleted" in gone.json()["error"]["reason"]


def test_an_api_refusal_is_shown_with_its_reason(page, server):
    sign_in(page, server, "full.admin@acme.example")
    page.click("#setup")
    page.fill("#name", "flow reads (READ-ONLY)")  # the demo's name in other case: R7 uniqueness
    page.check("#consent")
    page.click("#add")
    assert "already exists in this organization" in page.inner_text("#reason")
    assert len(server.connectors()) == 3


def test_read_only_admin_sees_connectors_and_no_change_controls(page, server):
    sign_in(page, server, "external.readonly.admin@acme.example")
    assert page.locator("#active-list .connector").count() == 2
    assert page.locator("#setup").count() == 0
    assert "may see connectors but not create or edit them" in page.inner_text("#readonly-note")
    page.click("text=Legacy reporting (inactive)")  # inactive: a read/write role would get edit and delete
    page.wait_for_selector("#connector-id")
    for control in ("#active-switch", "#edit-form", "#delete", "#save"):
        assert page.locator(control).count() == 0, control
    assert "create" in page.inner_text("#audit") or page.locator("#audit tbody tr").count() == 0
    shot(page, "readonly")
    assert len(server.connectors()) == 3


def test_read_only_administrator_sees_the_api_refusal(page, server):
    sign_in(page, server, "readonly.admin@acme.example")
    api = server.get(BASE, "readonly.admin@acme.example")
    assert api.status_code == 403
    assert page.inner_text("#refusal") == api.json()["error"]["reason"]
    assert "Read-only Administrator may not list" in page.inner_text("#refusal")
    assert page.locator(".card.wxcc").count() == 0
    shot(page, "refusal")


def test_organisation_without_flex3_sees_why_it_cannot_add(page, server):
    sign_in(page, server, "full.admin@globex.example")
    assert "no Flex 3 (FLEX3) licences" in page.inner_text("#flex3")
    assert page.inner_text("#setup") == "Set up"  # no connectors yet
    page.click("#setup")
    page.fill("#name", "Globex reads")
    page.check("#consent")
    page.click("#add")
    assert "connectors need Flex 3 licensing" in page.inner_text("#reason")
    assert server.connectors(NOLICENSE_ORG, "full.admin@globex.example") == []
