"""Bulk export holds exactly what the list holds (names, not ids); purge removes only unreferenced inactive objects."""
from __future__ import annotations

import pytest

from mockserver.resources import purge

from ..conftest import assert_webex_error
from .conftest import SPECS

EXPORTED = sorted(k for k, s in SPECS.items() if s.export)
PURGED = sorted(k for k, s in SPECS.items() if s.purge)


def export_url(cfg, kind, **query):
    if SPECS[kind].export_type:
        query.setdefault("type", "INBOUND")
    return cfg.url(f"{kind}/bulk-export", **query)


def test_the_vendors_exports_and_purges_are_declared():
    assert EXPORTED == ["address-book", "agent-profile", "auxiliary-code", "business-hours", "cad-variable",
                        "contact-number", "contact-service-queue", "desktop-layout", "dial-number", "dial-plan",
                        "entry-point", "multimedia-profile", "outdial-ani", "site", "work-type"]
    assert PURGED == ["agent-profile", "auxiliary-code", "cad-variable", "contact-service-queue", "desktop-layout",
                      "entry-point", "multimedia-profile", "site", "skill", "team", "work-type"]


@pytest.mark.parametrize("kind", EXPORTED)
def test_export_pages_hold_what_the_list_pages_hold(cfg, kind):
    for _ in range(3):
        cfg.create(kind)
    listed = cfg.get(cfg.url(SPECS[kind].paged[0], pageSize=2, page=1)).get_json()
    body = cfg.get(export_url(cfg, kind, pageSize=2, page=1)).get_json()
    assert (body["totalResources"], body["pageNumber"], body["pageSize"], body["rel"]) == (3, 1, 2, "last")
    assert len(body["resources"]) == len(listed["data"]) == 1
    key = {"dial-number": "dialledNumber", "contact-number": "number"}.get(kind, "name")
    assert [r[key] for r in body["resources"]] == [d[key] for d in listed["data"]]
    first = cfg.get(export_url(cfg, kind, pageSize=2)).get_json()
    assert first["rel"] == "next" and len(first["resources"]) == 2
    assert all("organizationId" not in r and "createdTime" not in r for r in first["resources"])


def test_export_names_what_objects_point_at_and_follows_renames(cfg):
    mmp = cfg.create("multimedia-profile")
    cfg.create("site", multimediaProfileId=mmp["id"])
    got = cfg.get(cfg.url(f"multimedia-profile/{mmp['id']}")).get_json()
    assert cfg.put(cfg.url(f"multimedia-profile/{mmp['id']}"), {**got, "name": "Renamed MMP"}).status_code == 200
    rows = cfg.get(export_url(cfg, "site")).get_json()["resources"]
    assert rows[0]["multimediaProfileName"] == "Renamed MMP" and "multimediaProfileId" not in rows[0]
    team = cfg.create("team")
    site = cfg.get(cfg.url(f"site/{team['siteId']}")).get_json()
    queue = cfg.create("contact-service-queue", callDistributionGroups=[
        {"agentGroups": [{"teamId": team["id"]}], "order": 1, "duration": 0}])
    row = cfg.get(export_url(cfg, "contact-service-queue")).get_json()["resources"][0]
    assert row["name"] == queue["name"] and row["type"] == "INBOUND" and row["serviceLevelThreshold"] == "30"
    assert row["callDistributionGroups"] == [{"agentGroups": [{"teamName": team["name"], "siteName": site["name"]}],
                                              "order": 1, "duration": 0}]
    assert cfg.get(export_url(cfg, "contact-service-queue", type="OUTBOUND")).get_json()["totalResources"] == 0


def test_export_of_an_address_book_carries_its_entries(cfg):
    book = cfg.create("address-book")
    cfg.post(cfg.url(f"address-book/{book['id']}/entry"), {"name": "Desk", "number": "+15550100"})
    row = cfg.get(export_url(cfg, "address-book")).get_json()["resources"][0]
    assert row["id"] == book["id"] and row["entryDetails"] == [{"entryName": "Desk", "phoneNumber": "+15550100"}]


@pytest.mark.parametrize("kind", [k for k in EXPORTED if SPECS[k].export_type])
def test_export_needs_the_type_where_the_spec_asks(cfg, kind):
    assert_webex_error(cfg.get(cfg.url(f"{kind}/bulk-export")), 400, "type")
    assert_webex_error(cfg.get(cfg.url(f"{kind}/bulk-export", type="SIDEWAYS")), 400, "type")
    assert_webex_error(cfg.get(cfg.url(f"{kind}/bulk-export", type="INBOUND", pageSize="x")), 400, "pageSize")


def _inactive(cfg, kind, **override):
    flag = {"status": False} if kind == "desktop-layout" else {"active": False}
    return cfg.create(kind, **flag, **override)


@pytest.mark.parametrize("kind", PURGED)
def test_purge_removes_unreferenced_inactive_objects_only(cfg, kind):
    keep = cfg.create(kind)
    doomed = _inactive(cfg, kind)
    resp = cfg.post(cfg.url(f"{kind}/purge-inactive-entities"), {})
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["code"] == 200 and body["details"]["purgedIds"] == [doomed["id"]] and body["links"] == []
    assert body["details"]["purgedCount"] == 1 and body["details"]["nextStartId"] == ""
    assert_webex_error(cfg.get(cfg.url(f"{SPECS[kind].item_path}".replace("<id>", doomed["id"]))), 404)
    assert cfg.get(cfg.url(SPECS[kind].item_path, keep["id"])).status_code == 200


def test_purge_keeps_an_inactive_object_that_is_still_referenced(cfg):
    site = _inactive(cfg, "site")
    team = cfg.create("team", siteId=site["id"])
    body = cfg.post(cfg.url("site/purge-inactive-entities"), {}).get_json()
    assert body["details"]["purgedIds"] == [] and body["details"]["keptReferencedIds"] == [site["id"]]
    assert cfg.delete(cfg.url(f"team/{team['id']}")).status_code == 204
    body = cfg.post(cfg.url("site/purge-inactive-entities"), {}).get_json()
    assert body["details"]["purgedIds"] == [site["id"]]


def test_purge_works_in_batches_from_next_start_id(cfg, monkeypatch):
    monkeypatch.setattr(purge, "BATCH", 2)
    made = sorted(_inactive(cfg, "skill")["id"] for _ in range(3))
    url = cfg.url("skill/purge-inactive-entities")
    first = cfg.post(url, {}).get_json()
    assert first["details"]["purgedIds"] == made[:2] and first["details"]["nextStartId"] == made[1]
    assert first["links"] == [{"name": "next", "href": f"/organization/{cfg.org}/skill/purge-inactive-entities"
                                                       f"?nextStartId={made[1]}"}]
    second = cfg.post(cfg.url("skill/purge-inactive-entities", nextStartId=made[1]), {}).get_json()
    assert second["details"]["purgedIds"] == [made[2]] and second["details"]["nextStartId"] == ""
    assert cfg.get(cfg.url("v2/skill")).get_json()["meta"]["totalRecords"] == 0


def test_purge_needs_the_write_scope(cfg):
    token = cfg.client.post("/_mock/tokens", json={"orgId": cfg.org, "roles": ["full_admin"],
                                                   "scopes": ["cjp:config_read"]}).get_json()["access_token"]
    resp = cfg.client.post(cfg.url("site/purge-inactive-entities"), headers={"Authorization": f"Bearer {token}"})
    assert_webex_error(resp, 403, "cjp:config_write")
