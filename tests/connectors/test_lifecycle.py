"""Connector rules R2 and R7-R15: licensing, names, scopes, consent, the lifecycle, the audit log, isolation."""
from __future__ import annotations

import itertools
import uuid

import pytest

from ..conftest import DEMO_ORG, NOLICENSE_ORG, assert_webex_error
from .helpers import BASE, INACTIVE_ID, RO_ID, RO_SCOPES, RW_ID, RW_SCOPES, base, new


@pytest.fixture
def h(auth):
    """Headers of the demo Full Administrator."""
    return auth()


def create(client, h, **kw):
    resp = client.post(BASE, json=new(**kw), headers=h)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def deactivate(client, h, cid):
    return client.post(f"{BASE}/{cid}/deactivate", headers=h)


# -- R2 licensing --------------------------------------------------------------------------------
def test_r2_org_without_flex3_cannot_create(client, auth, rt):
    h = auth(user="full.admin@globex.example")
    resp = client.post(base(NOLICENSE_ORG), json=new(), headers=h)
    assert_webex_error(resp, 403, "Flex 3")
    assert rt.store.count(NOLICENSE_ORG, "connector") == 0
    assert client.get(base(NOLICENSE_ORG), headers=h).get_json()["data"] == []


def test_r2_flex3_org_can_create(client, h):
    assert create(client, h)["active"] is True


# -- R7 names -------------------------------------------------------------------------------------
@pytest.mark.parametrize("dup", ["Flow reads (read-only)", "FLOW READS (READ-ONLY)", "  flow reads (read-only)\t"])
def test_r7_duplicate_name_case_and_whitespace_is_409(client, h, rt, dup):
    assert_webex_error(client.post(BASE, json=new(dup), headers=h), 409, "already exists")
    assert rt.store.count(DEMO_ORG, "connector") == 3


def test_r7_name_is_trimmed_and_blank_is_400(client, h):
    assert create(client, h, name="  Spaced  ")["name"] == "Spaced"
    assert_webex_error(client.post(BASE, json=new("   "), headers=h), 400, "name")


def test_r7_rename_to_existing_name_is_409(client, h):
    resp = client.put(f"{BASE}/{INACTIVE_ID}", json={"name": "flow WRITES (read/write) "}, headers=h)
    assert_webex_error(resp, 409, "already exists")


def test_r7_same_name_in_another_org_is_fine(client, h, rt):
    rt.store.put(NOLICENSE_ORG, "connector", {"id": "x1", "name": "Shared name", "active": True})
    assert create(client, h, name="Shared name")["name"] == "Shared name"


# -- R8 scopes ------------------------------------------------------------------------------------
@pytest.mark.parametrize("body, level, scopes", [
    ({"accessLevel": "READ_ONLY"}, "READ_ONLY", RO_SCOPES),
    ({"accessLevel": "read/write"}, "READ_WRITE", RW_SCOPES),
    ({"scopes": ["cjp_config", "cjp_config_read"]}, "READ_ONLY", RO_SCOPES),
    ({"scopes": ["cjp:config_read", "cjp:config"]}, "READ_ONLY", RO_SCOPES),
    ({"scopes": ["cjp_config", "cjp_config_read", "cjp_config_write", "cjp_user"]}, "READ_WRITE", RW_SCOPES),
    ({"scopes": RW_SCOPES, "accessLevel": "READ_WRITE"}, "READ_WRITE", RW_SCOPES),
])
def test_r8_access_level_or_scopes_in_either_spelling_stored_with_colon(client, h, body, level, scopes):
    resp = client.post(BASE, json={"name": "Scoped", "consent": True, **body}, headers=h)
    doc = resp.get_json()
    assert resp.status_code == 201, doc
    assert (doc["accessLevel"], doc["scopes"]) == (level, scopes)
    assert doc["allowedMethods"] == (["GET"] if level == "READ_ONLY" else ["GET", "POST", "PUT", "PATCH", "DELETE"])


@pytest.mark.parametrize("scopes, bad", [
    (["cjp:config_read", "spark:people_read"], ["spark:people_read"]),
    (["cjp_config_read", "bogus"], ["bogus"]),
    (["cjp:config_write"], ["cjp:config_write"]),
    ([], []),
])
def test_r8_scope_list_matching_no_level_is_400_naming_bad_scopes(client, h, rt, scopes, bad):
    resp = client.post(BASE, json={"name": "S", "consent": True, "scopes": scopes}, headers=h)
    body = assert_webex_error(resp, 400, "scopes")
    assert body["error"]["badScopes"] == bad
    for s in bad:
        assert s in body["error"]["reason"]
    assert rt.store.count(DEMO_ORG, "connector") == 3


def test_r8_level_and_scopes_disagreeing_is_400(client, h):
    body = {"name": "S", "consent": True, "accessLevel": "READ_WRITE", "scopes": RO_SCOPES}
    assert_webex_error(client.post(BASE, json=body, headers=h), 400, "accessLevel says READ_WRITE")


@pytest.mark.parametrize("body, field", [
    ({"name": "S", "consent": True}, "accessLevel"),
    ({"name": "S", "consent": True, "accessLevel": "ADMIN"}, "accessLevel"),
    ({"name": "S", "consent": True, "accessLevel": "READ_ONLY", "type": "CUSTOM"}, "type"),
    ({"name": "S", "accessLevel": "READ_ONLY"}, "consent"),
    ({"consent": True, "accessLevel": "READ_ONLY"}, "name"),
    ({"name": "S", "consent": True, "accessLevel": "READ_ONLY", "colour": "red"}, "colour"),
])
def test_create_bad_input_is_400_naming_the_field(client, h, rt, body, field):
    assert_webex_error(client.post(BASE, json=body, headers=h), 400, field)
    assert rt.store.count(DEMO_ORG, "connector") == 3


# -- R9 consent -----------------------------------------------------------------------------------
def test_r9_create_without_consent_is_400(client, h, rt):
    assert_webex_error(client.post(BASE, json=new(consent=False), headers=h), 400, "I authorize")
    assert rt.store.count(DEMO_ORG, "connector") == 3


def test_r9_consent_is_recorded(client, h):
    assert create(client, h)["consent"] is True


# -- R10 ids --------------------------------------------------------------------------------------
def test_r10_create_starts_active_with_an_assigned_id_and_metadata(client, h, rt):
    now = int(rt.clock.freeze(int(rt.clock.now())) * 1000)
    doc = create(client, h)
    assert doc["active"] is True and doc["version"] == 0 and len(doc["id"]) == 36
    assert doc["createdBy"] == doc["lastUpdatedBy"] == "full.admin@acme.example"
    assert doc["createdTime"] == doc["lastUpdatedTime"] == now
    assert doc["type"] == "WEBEX_CONTACT_CENTER" and doc["organizationId"] == DEMO_ORG
    assert client.get(f"{BASE}/{doc['id']}", headers=h).get_json() == doc


def test_r10_client_cannot_choose_the_id_on_create(client, h):
    assert_webex_error(client.post(BASE, json=new(id="my-own-id"), headers=h), 400, "id")


def test_r10_update_cannot_change_the_id(client, h, rt):
    resp = client.put(f"{BASE}/{INACTIVE_ID}", json={"id": "another-id", "name": "New"}, headers=h)
    assert_webex_error(resp, 400, "never changes")
    assert rt.store.get(DEMO_ORG, "connector", INACTIVE_ID)["name"] == "Legacy reporting (inactive)"
    assert not rt.store.exists(DEMO_ORG, "connector", "another-id")


def test_r10_id_stays_through_the_whole_lifecycle(client, h):
    cid = create(client, h)["id"]
    assert deactivate(client, h, cid).get_json()["connector"]["id"] == cid
    assert client.put(f"{BASE}/{cid}", json={"id": cid, "accessLevel": "READ_WRITE"}, headers=h).get_json()["id"] == cid
    assert client.post(f"{BASE}/{cid}/reactivate", headers=h).get_json()["connector"]["id"] == cid


def test_r10a_widen_to_read_write_then_narrow_back(client, h):
    doc = client.put(f"{BASE}/{INACTIVE_ID}", json={"accessLevel": "READ_WRITE"}, headers=h).get_json()
    assert (doc["accessLevel"], doc["scopes"], doc["version"]) == ("READ_WRITE", RW_SCOPES, 2)
    doc = client.put(f"{BASE}/{INACTIVE_ID}", json={"scopes": ["cjp_config", "cjp_config_read"]}, headers=h).get_json()
    assert (doc["accessLevel"], doc["scopes"], doc["version"]) == ("READ_ONLY", RO_SCOPES, 3)


def test_r10a_put_back_what_was_got_is_accepted(client, h):
    got = client.get(f"{BASE}/{INACTIVE_ID}", headers=h).get_json()
    resp = client.put(f"{BASE}/{INACTIVE_ID}", json={**got, "name": "Edited"}, headers=h)
    assert resp.status_code == 200 and resp.get_json()["name"] == "Edited"
    assert resp.get_json()["createdTime"] == got["createdTime"]


# -- R11 active connectors are not editable -------------------------------------------------------
def test_r11_update_while_active_is_409_saying_deactivate_first(client, h, rt):
    before = rt.store.get(DEMO_ORG, "connector", RO_ID)
    resp = client.put(f"{BASE}/{RO_ID}", json={"accessLevel": "READ_WRITE"}, headers=h)
    assert_webex_error(resp, 409, "deactivate it")
    assert rt.store.get(DEMO_ORG, "connector", RO_ID) == before


# -- R12 / R14 deactivate and reactivate ----------------------------------------------------------
def test_r12_deactivate_keeps_every_setting(client, h, rt):
    before = rt.store.get(DEMO_ORG, "connector", RW_ID)
    body = deactivate(client, h, RW_ID).get_json()
    after = body["connector"]
    assert body["changed"] is True and "paused" in body["message"]
    assert after["active"] is False and after["version"] == before["version"] + 1
    for key in ("id", "name", "accessLevel", "scopes", "consent", "createdBy", "createdTime"):
        assert after[key] == before[key]


def test_r12_deactivate_twice_is_harmless_and_says_so(client, h):
    deactivate(client, h, RO_ID)
    again = deactivate(client, h, RO_ID)
    body = again.get_json()
    assert again.status_code == 200 and body["changed"] is False and "already inactive" in body["message"]
    assert body["connector"]["version"] == 1


def test_r14_reactivate_restores_use_and_twice_says_so(client, h, rt):
    from mockserver.connectors import state

    first = client.post(f"{BASE}/{INACTIVE_ID}/reactivate", headers=h).get_json()
    assert first["changed"] is True and first["connector"]["active"] is True
    assert state(rt, DEMO_ORG, INACTIVE_ID) == "active"
    second = client.post(f"{BASE}/{INACTIVE_ID}/reactivate", headers=h).get_json()
    assert second["changed"] is False and "already active" in second["message"]


def test_r13_deactivate_makes_connector_state_inactive_at_once(client, h, rt):
    from mockserver.connectors import state

    assert state(rt, DEMO_ORG, RO_ID) == "active"
    deactivate(client, h, RO_ID)
    assert state(rt, DEMO_ORG, RO_ID) == "inactive"


# -- R15 delete -----------------------------------------------------------------------------------
def test_r15_delete_while_active_is_refused(client, h, rt):
    assert_webex_error(client.delete(f"{BASE}/{RO_ID}", headers=h), 409, "deactivate it first")
    assert rt.store.exists(DEMO_ORG, "connector", RO_ID)


def test_r15_delete_inactive_is_204_then_gone_and_id_never_reused(client, h, rt, monkeypatch):
    from mockserver.connectors import service, state

    resp = client.delete(f"{BASE}/{INACTIVE_ID}", headers=h)
    assert resp.status_code == 204 and resp.data == b""
    assert_webex_error(client.get(f"{BASE}/{INACTIVE_ID}", headers=h), 404, "was deleted")
    assert_webex_error(client.delete(f"{BASE}/{INACTIVE_ID}", headers=h), 404, "was deleted")
    assert state(rt, DEMO_ORG, INACTIVE_ID) == "deleted"
    ids = itertools.chain([INACTIVE_ID, "11111111-2222-4333-8444-555555555555"], iter(lambda: str(uuid.uuid4()), None))
    monkeypatch.setattr(service, "new_id", lambda: next(ids))  # the generator offers the deleted id first
    assert create(client, h, name="Legacy reporting (inactive)")["id"] == "11111111-2222-4333-8444-555555555555"


def test_unknown_connector_is_404(client, h):
    for call in (client.get, client.put, client.delete):
        assert_webex_error(call(f"{BASE}/nope", json={}, headers=h), 404, "not found")
    assert_webex_error(client.post(f"{BASE}/nope/deactivate", headers=h), 404, "not found")


# -- paging and audit -----------------------------------------------------------------------------
def test_list_is_paged_with_the_config_api_envelope(client, h):
    body = client.get(f"{BASE}?page=1&pageSize=2", headers=h).get_json()
    assert body["meta"] == {"orgid": DEMO_ORG, "page": 1, "pageSize": 2, "totalPages": 2, "totalRecords": 3,
                            "links": {"self": f"{BASE}?page=1&pageSize=2", "first": f"{BASE}?page=0&pageSize=2",
                                      "last": f"{BASE}?page=1&pageSize=2", "prev": f"{BASE}?page=0&pageSize=2"}}
    assert [d["id"] for d in body["data"]] == [INACTIVE_ID]
    # The links keep the request's other query parameters (issue 11).
    kept = client.get(f"{BASE}?page=0&pageSize=2&sort=name", headers=h).get_json()["meta"]["links"]
    assert kept["next"] == f"{BASE}?page=1&pageSize=2&sort=name" and kept["self"].endswith("&sort=name")
    assert_webex_error(client.get(f"{BASE}?pageSize=0", headers=h), 400, "pageSize")
    assert_webex_error(client.get(f"{BASE}?page=99999999999999999999", headers=h), 400, "page")
    assert client.get(f"{BASE}?page=2147483647", headers=h).get_json()["data"] == []


def test_audit_log_records_who_what_when_before_after(client, h, auth, rt):
    now = int(rt.clock.freeze(int(rt.clock.now())) * 1000)
    cid = create(client, h, name="Audited")["id"]
    deactivate(client, auth(user="cc.service.admin@acme.example"), cid)
    client.delete(f"{BASE}/{cid}", headers=h)
    log = client.get(f"{BASE}/audit-log?connectorId={cid}", headers=auth(user="helpdesk.admin@acme.example"))
    entries = log.get_json()["data"]
    assert [e["action"] for e in entries] == ["create", "deactivate", "delete"]
    assert [e["by"] for e in entries] == ["full.admin@acme.example", "cc.service.admin@acme.example",
                                          "full.admin@acme.example"]
    assert entries[0]["before"] is None and entries[0]["after"]["name"] == "Audited"
    assert entries[1]["before"]["active"] is True and entries[1]["after"]["active"] is False
    assert entries[2]["after"] is None and all(e["time"] == now for e in entries)


def test_refused_changes_are_not_audited(client, h):
    client.put(f"{BASE}/{RO_ID}", json={"name": "x"}, headers=h)
    client.post(BASE, json=new(consent=False), headers=h)
    assert client.get(f"{BASE}/audit-log", headers=h).get_json()["meta"]["totalRecords"] == 0


# -- organisation isolation -----------------------------------------------------------------------
def test_other_orgs_token_is_403_everywhere(client, auth):
    h = auth(user="full.admin@globex.example")
    assert_webex_error(client.get(BASE, headers=h), 403, NOLICENSE_ORG)
    assert_webex_error(client.post(f"{BASE}/{INACTIVE_ID}/reactivate", headers=h), 403, "organization")


def test_connector_of_another_org_is_not_found_through_own_org(client, auth, rt):
    h = auth(user="full.admin@globex.example")
    assert_webex_error(client.get(f"{base(NOLICENSE_ORG)}/{RO_ID}", headers=h), 404, "not found")
    assert_webex_error(client.delete(f"{base(NOLICENSE_ORG)}/{INACTIVE_ID}", headers=h), 404, "not found")
    assert rt.store.exists(DEMO_ORG, "connector", INACTIVE_ID)


def test_token_without_config_scope_is_403(client, auth):
    assert_webex_error(client.get(BASE, headers=auth(scopes=["cjp:user"])), 403, "scope")


def test_missing_token_is_400(client):
    assert_webex_error(client.get(BASE), 400, "Authorization")


def test_update_with_a_stale_version_is_409_and_current_version_works(client, h, rt):
    resp = client.put(f"{BASE}/{INACTIVE_ID}", json={"name": "New", "version": 0}, headers=h)
    assert_webex_error(resp, 409, "stale")
    assert rt.store.get(DEMO_ORG, "connector", INACTIVE_ID)["name"] == "Legacy reporting (inactive)"
    ok = client.put(f"{BASE}/{INACTIVE_ID}", json={"name": "New", "version": 1}, headers=h)
    assert ok.status_code == 200 and ok.get_json()["version"] == 2


def test_body_that_is_not_valid_unicode_is_400(client, h, rt):
    raw = '{"name": "\\ud800", "accessLevel": "READ_ONLY", "consent": true}'
    assert_webex_error(client.post(BASE, data=raw, content_type="application/json", headers=h), 400, "not valid JSON")
    assert rt.store.count(DEMO_ORG, "connector") == 3
