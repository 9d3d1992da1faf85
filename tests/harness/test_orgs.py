"""Organisations on demand: create (empty, demo copy, generated), list, delete, reset."""
import sys
import types

import mockserver
from mockserver.admin.tenants import ADMIN_ROLES, copy_org
from tests.conftest import DEMO_ORG, assert_webex_error

from .helpers import PROBE, bearer, new_org, org_get


def test_create_empty_org_gives_a_person_and_working_token_per_admin_role(client, rt):
    org = new_org(client, name="Suite A", flex3=False)
    assert org["name"] == "Suite A" and org["licenses"] == ["FLEX"] and org["flex3"] is False
    assert set(org["admins"]) == set(ADMIN_ROLES) == set(org["tokens"])
    assert org["documents"] == {"people": len(ADMIN_ROLES)}
    for role, admin in org["admins"].items():
        person = rt.store.get(org["id"], "people", admin["id"])
        assert person["roles"] == [role] and person["email"] == admin["email"]
    # the token is accepted for its own organisation (404: no resource routes here, but past the guard)...
    assert_webex_error(org_get(client, org), 404, "no resource")
    # ...and refused for another one
    other = client.get(f"/organization/{DEMO_ORG}{PROBE}", headers=bearer(org["tokens"]["full_admin"]))
    assert_webex_error(other, 403, "belongs to organization")


def test_read_only_admin_token_cannot_write(client):
    org = new_org(client)
    resp = client.post(f"/organization/{org['id']}{PROBE}", json={}, headers=bearer(org["tokens"]["readonly_admin"]))
    assert_webex_error(resp, 403, "roles")


def test_demo_copy_gets_new_ids_and_emails_of_its_own(client, rt):
    org = new_org(client, template="demo", id="0000-copy")  # sorts before the demo org: look-ups must not care
    demo_people = {p["email"]: p for p in rt.store.list(DEMO_ORG, "people")}
    copied = rt.store.list(org["id"], "people")
    assert {p["email"] for p in copied} == {e.replace("@", "@0000-cop.") for e in demo_people}
    assert not {p["id"] for p in copied} & {p["id"] for p in demo_people.values()}
    assert org["flex3"] is True and org["template"] == "demo"
    # an email names one person on the whole server: the demo's admin stays the demo's
    mine = client.post("/_mock/tokens", json={"user": "full.admin@acme.example"}).get_json()
    assert mine["user"]["orgId"] == DEMO_ORG
    copy = client.post("/_mock/tokens", json={"user": org["admins"]["full_admin"]["email"]}).get_json()
    assert copy["user"]["orgId"] == org["id"] and copy["user"]["email"] == "full.admin@0000-cop.acme.example"


def test_copy_rewrites_org_ids_and_references():
    old, new = DEMO_ORG, "0e9a7c1e-1111-4222-8333-944455556666"
    site2 = "11111111-2222-3333-4444-555555555555"
    source = {"team": [{"id": "t1", "organizationId": old, "siteId": "s1",
                        "links": [f"/organization/{old}/site/{site2}"], "email": "team.lead@acme.example",
                        "note": "mail x@y.example"}],
              "site": [{"id": "s1", "organizationId": old}, {"id": site2, "organizationId": old}]}
    out = copy_org(old, source, new)
    team, new_site2 = out["team"][0], out["site"][1]["id"]
    assert all(doc["organizationId"] == new for docs in out.values() for doc in docs)
    assert team["siteId"] == out["site"][0]["id"] != "s1" and new_site2 != site2
    assert team["links"] == [f"/organization/{new}/site/{new_site2}"]
    assert team["email"] == "team.lead@0e9a7c1e.acme.example" and team["note"] == "mail x@y.example"
    assert copy_org(old, source, new) == out  # deterministic: a reset rebuilds the same ids


def test_generated_template_uses_the_tenant_generator(client, rt, monkeypatch):
    calls = []

    def generate(org_id, users=200, seed=1, *, name=None, people=None):
        calls.append((org_id, users, seed))
        assert name == "Generated" and {p["roles"][0] for p in people} == set(ADMIN_ROLES)
        return {"user": [{"id": f"u{i}", "organizationId": "somewhere-else"} for i in range(users)]}

    fake = types.SimpleNamespace(generate=generate)
    monkeypatch.setitem(sys.modules, "mockserver.tenantgen", fake)
    monkeypatch.setattr(mockserver, "tenantgen", fake, raising=False)  # when the real one was imported before
    org = new_org(client, template="generated", users=7, seed=42, name="Generated")
    assert calls == [(org["id"], 7, 42)]
    users = rt.store.list(org["id"], "user")
    assert len(users) == 7 and {u["organizationId"] for u in users} == {org["id"]}
    assert set(org["tokens"]) == set(ADMIN_ROLES)
    rt.store.delete(org["id"], "user", "u0")
    assert client.post(f"/_mock/orgs/{org['id']}/reset").status_code == 204
    assert rt.store.count(org["id"], "user") == 7 and calls[-1] == (org["id"], 7, 42)


def test_create_validation(client):
    assert_webex_error(client.post("/_mock/orgs", json={"template": "huge"}), 400, "template")
    assert_webex_error(client.post("/_mock/orgs", json={"users": 0}), 400, "users")
    assert_webex_error(client.post("/_mock/orgs", json={"id": "no spaces"}), 400, "id")
    assert_webex_error(client.post("/_mock/orgs", json={"scopes": 5}), 400, "scopes")


def test_duplicate_id_is_409_and_changes_nothing(client, rt):
    org = new_org(client, id="suite-b")
    rt.store.delete(org["id"], "people", org["admins"]["full_admin"]["id"])
    assert_webex_error(client.post("/_mock/orgs", json={"id": "suite-b"}), 409, "already exists")
    assert_webex_error(client.post("/_mock/orgs", json={"id": DEMO_ORG}), 409, "already exists")
    assert rt.store.count("suite-b", "people") == len(ADMIN_ROLES) - 1


def test_list_shows_fixture_and_created_orgs(client):
    org = new_org(client)
    items = {o["id"]: o for o in client.get("/_mock/orgs").get_json()["items"]}
    assert items[DEMO_ORG]["fixture"] is True and items[DEMO_ORG]["template"] == "fixture"
    assert items[org["id"]]["fixture"] is False and items[org["id"]]["documents"]["people"] == len(ADMIN_ROLES)
    assert client.get(f"/_mock/orgs/{org['id']}").get_json()["id"] == org["id"]
    assert_webex_error(client.get("/_mock/orgs/nope"), 404, "nope")


def test_delete_drops_data_and_tokens(client, rt):
    org = new_org(client)
    assert client.delete(f"/_mock/orgs/{org['id']}").status_code == 204
    assert rt.org(org["id"]) is None and org["id"] not in rt.store.orgs()
    assert_webex_error(org_get(client, org), 401, "revoked")
    assert_webex_error(client.delete(f"/_mock/orgs/{org['id']}"), 404, org["id"])
    assert_webex_error(client.delete(f"/_mock/orgs/{DEMO_ORG}"), 400, "reset it instead")


def test_reset_created_org_restores_what_it_was_created_with(client, rt):
    org = new_org(client, template="demo")
    before = rt.store.export(org["id"])
    rt.store.delete(org["id"], "people", org["admins"]["full_admin"]["id"])
    rt.store.put(org["id"], "site", {"id": "extra", "name": "x"})
    assert client.post("/_mock/reset", query_string={"orgId": org["id"]}).status_code == 204
    assert rt.store.export(org["id"]) == before
    assert rt.org(org["id"])["mock"]["template"] == "demo"
    assert org_get(client, org).status_code == 404  # its tokens still work


def test_reset_fixture_org_and_whole_server(client, rt):
    org = new_org(client)
    rt.store.delete(DEMO_ORG, "people", rt.store.list(DEMO_ORG, "people")[0]["id"])
    assert client.post(f"/_mock/orgs/{DEMO_ORG}/reset").status_code == 204
    assert rt.store.count(DEMO_ORG, "people") == 12
    client.get("/health")
    client.post("/_mock/faults", json={"path": "/nowhere", "status": 500})
    client.post("/_mock/clock/advance", json={"seconds": 3600})
    assert client.post("/_mock/reset").status_code == 204
    assert rt.org(org["id"]) is None and org["id"] not in rt.store.orgs()
    assert client.get("/_mock/journal/count").get_json() == {"count": 0}
    assert client.get("/_mock/faults").get_json()["items"] == []
    assert abs(rt.clock.state()["offsetSeconds"]) < 1
    assert_webex_error(client.post("/_mock/reset", query_string={"orgId": "nope"}), 404, "nope")
