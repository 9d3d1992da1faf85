"""R3-R6: the connector role table walked in full (every demo person x every operation)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockserver import create_app
from mockserver.auth.policy import READ_ONLY_ROLES, READ_WRITE_ROLES, READONLY_ADMIN, ROLE_LABELS

from ..conftest import DEMO_ORG, assert_webex_error
from .helpers import BASE, INACTIVE_ID, RO_ID, new

PEOPLE = json.loads((Path(__file__).resolve().parents[2] / "fixtures/orgs/demo/people.json").read_text())

#: operation -> (method, path, body, status when allowed); each works on a fixture connector in the right state.
OPERATIONS = {
    "list": ("get", BASE, None, 200),
    "get": ("get", f"{BASE}/{RO_ID}", None, 200),
    "audit": ("get", f"{BASE}/audit-log", None, 200),
    "create": ("post", BASE, new("Made by role test"), 201),
    "update": ("put", f"{BASE}/{INACTIVE_ID}", {"name": "Renamed by role test"}, 200),
    "deactivate": ("post", f"{BASE}/{RO_ID}/deactivate", None, 200),
    "reactivate": ("post", f"{BASE}/{INACTIVE_ID}/reactivate", None, 200),
    "delete": ("delete", f"{BASE}/{INACTIVE_ID}", None, 204),
}
VIEWS = {"list", "get", "audit"}


def expected(roles: list, operation: str) -> bool:
    """The rules written out: R3 everything, R4 view only, R5 (Read-only Administrator, non-admins) nothing."""
    if set(roles) & READ_WRITE_ROLES:
        return True
    if set(roles) & READ_ONLY_ROLES:
        return operation in VIEWS
    return False


@pytest.fixture(scope="module")
def shared():
    """One app for the whole table (the demo org is reset before every case)."""
    return create_app({"access_log": False})


def test_demo_people_cover_every_admin_role_and_non_admins():
    roles = {r for p in PEOPLE for r in p["roles"]}
    admin_roles = set(READ_WRITE_ROLES | READ_ONLY_ROLES | {READONLY_ADMIN})
    assert admin_roles <= roles and admin_roles <= set(ROLE_LABELS)
    assert {p["ccRole"] for p in PEOPLE if not p["roles"]} == {"supervisor", "agent"}


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("email", [p["email"] for p in PEOPLE])
def test_r3_r4_r5_role_table(shared, email, operation):
    rt = shared.extensions["wxcc"]
    rt.store.reset(DEMO_ORG)
    client = shared.test_client()
    person = next(p for p in PEOPLE if p["email"] == email)
    tok = client.post("/_mock/tokens", json={"user": email, "scopes": ["cjp:config", "cjp:config_read",
                                                                      "cjp:config_write"]}).json["access_token"]
    method, path, body, ok_status = OPERATIONS[operation]
    resp = getattr(client, method)(path, json=body, headers={"Authorization": f"Bearer {tok}"})
    if expected(person["roles"], operation):
        assert resp.status_code == ok_status, resp.get_data(as_text=True)
        if ok_status != 204:
            assert "error" not in resp.get_json()
    else:
        assert_webex_error(resp, 403, "access denied")
        assert rt.store.get(DEMO_ORG, "connector", INACTIVE_ID)["name"] == "Legacy reporting (inactive)"
        assert rt.store.get(DEMO_ORG, "connector", RO_ID)["active"] is True
        assert rt.store.count(DEMO_ORG, "connector") == 3


@pytest.mark.parametrize("email", ["external.readonly.admin@acme.example", "helpdesk.admin@acme.example",
                                   "partner.readonly.admin@acme.example"])
def test_r4_read_only_refusal_says_view_only(client, token, email):
    resp = client.post(BASE, json=new(), headers={"Authorization": f"Bearer {token(user=email)}"})
    assert_webex_error(resp, 403, "may only view connectors")


def test_r5_readonly_admin_refused_even_the_list(client, token):
    resp = client.get(BASE, headers={"Authorization": f"Bearer {token(user='readonly.admin@acme.example')}"})
    body = assert_webex_error(resp, 403, "Read-only Administrator")
    assert "data" not in body


def test_r6_prerequisite_roles_are_within_the_read_write_table():
    from mockserver.auth.policy import CC_SERVICE_ADMIN, EXTERNAL_FULL_ADMIN, FULL_ADMIN
    from mockserver.connectors.access import TABLE

    for role in (FULL_ADMIN, EXTERNAL_FULL_ADMIN, CC_SERVICE_ADMIN):
        assert all(role in roles for roles in TABLE.values())


def test_connector_token_has_no_admin_role_so_no_control_hub_access(client, rt):
    from mockserver.connectors import credentials

    with client.application.test_request_context():
        tok = credentials(rt, DEMO_ORG, "c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a22")
    assert_webex_error(client.get(BASE, headers={"Authorization": f"Bearer {tok}"}), 403, "access denied")


@pytest.mark.parametrize("email", ["readonly.admin@acme.example", "agent@acme.example", "helpdesk.admin@acme.example"])
@pytest.mark.parametrize("call", [("post", BASE, {"bogus": 1}), ("put", f"{BASE}/{INACTIVE_ID}", {"name": ""}),
                                  ("get", f"{BASE}?page=-5", None)])
def test_role_is_decided_before_the_body_is_validated(client, token, email, call):
    method, path, body = call
    resp = getattr(client, method)(path, json=body, headers={"Authorization": f"Bearer {token(user=email)}"})
    if email == "helpdesk.admin@acme.example" and method == "get":
        assert_webex_error(resp, 400, "page")  # a role that may list gets the validation error
    else:
        assert_webex_error(resp, 403, "access denied")
