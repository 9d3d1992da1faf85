"""References between resources: checked on write, listed by incoming-references, protecting on delete."""
from __future__ import annotations

import pytest

from ..conftest import assert_webex_error
from .conftest import SPECS, new_cfg


@pytest.mark.parametrize("kind,field,value,label", [
    ("team", "siteId", "missing-site", "siteId"),
    ("site", "multimediaProfileId", "missing-mmp", "multimediaProfileId"),
    ("dial-number", "entryPointId", "missing-ep", "entryPointId"),
    ("skill-profile", "activeSkills", [{"skillId": "missing-skill", "booleanValue": True}], "activeSkills.skillId"),
    ("contact-service-queue", "callDistributionGroups", [{"agentGroups": [{"teamId": "missing-team"}], "order": 1}],
     "callDistributionGroups.agentGroups.teamId"),
    ("contact-service-queue", "agents", [{"id": "missing-user"}], "agents.id"),
    ("agent-profile", "viewableStatistics", {"accessQueueStats": "SPECIFIC", "accessTeamStats": "ALL",
                                             "contactServiceQueues": ["missing-queue"]},
     "viewableStatistics.contactServiceQueues"),
    ("business-hours", "holidaysId", "missing-holidays", "holidaysId"),
    ("address-book", "siteId", "missing-site", "siteId"),
    ("desktop-layout", "teamIds", ["missing-team"], "teamIds"),
])
def test_unknown_reference_is_400_naming_the_field(cfg, kind, field, value, label):
    resp = cfg.post(cfg.url(SPECS[kind].create[0]), cfg.payload(kind, **{field: value}))
    body = assert_webex_error(resp, 400, f"{label}: not found for given orgId.")
    assert body["error"]["reason"] == f"{label}: not found for given orgId."
    assert cfg.get(cfg.url(f"v2/{kind}" if kind != "address-book" else "v3/address-book")).get_json()["data"] == []


def test_user_references_are_checked_on_replace(cfg):
    user = cfg.create("user")
    url = cfg.url("user/<id>", user["id"])
    for field, value in [("teamIds", ["missing-team"]), ("skillProfileId", "x"), ("agentProfileId", "x"),
                         ("siteId", "x"), ("userProfileId", "x"), ("multimediaProfileId", "x")]:
        assert_webex_error(cfg.put(url, {**user, field: value}), 400, f"{field}: not found for given orgId.")
    team, profile = cfg.make("team"), cfg.make("agent-profile")
    resp = cfg.put(url, {**user, "teamIds": [team], "agentProfileId": profile})
    assert resp.status_code == 200 and resp.get_json()["teamIds"] == [team]


def test_references_to_another_organisation_are_not_found(cfg, shared_app):
    other = new_cfg(shared_app)
    foreign_site = other.create("site")["id"]
    resp = cfg.post(cfg.url("team"), cfg.payload("team", siteId=foreign_site))
    assert_webex_error(resp, 400, "siteId: not found for given orgId.")
    assert_webex_error(cfg.get(cfg.url("site/<id>", foreign_site)), 404)
    assert_webex_error(other.get(cfg.url("site/<id>", foreign_site)), 403, "not to organization")


def test_deleting_in_reference_order(cfg):
    team = cfg.create("team")
    site_url = cfg.url("site/<id>", team["siteId"])
    mmp_id = cfg.get(site_url).get_json()["multimediaProfileId"]
    assert_webex_error(cfg.delete(cfg.url("multimedia-profile/<id>", mmp_id)), 412)
    body = assert_webex_error(cfg.delete(site_url), 412)
    assert body["error"]["referencedEntities"] == ["team"]
    assert cfg.delete(cfg.url("team/<id>", team["id"])).status_code == 204
    assert cfg.delete(site_url).status_code == 204
    assert cfg.delete(cfg.url("multimedia-profile/<id>", mmp_id)).status_code == 204


def test_deactivating_a_referenced_object_is_412(cfg):
    team = cfg.create("team")
    site = cfg.get(cfg.url("site/<id>", team["siteId"])).get_json()
    body = assert_webex_error(cfg.put(cfg.url("site/<id>", site["id"]), {**site, "active": False}), 412)
    assert body["error"]["referencedEntities"] == ["team"]
    lone = cfg.create("site")
    assert cfg.put(cfg.url("site/<id>", lone["id"]), {**lone, "active": False}).get_json()["active"] is False


def test_incoming_references_list_every_referrer_and_filter_by_type(cfg):
    team = cfg.create("team")
    queue = cfg.create("contact-service-queue", callDistributionGroups=[
        {"agentGroups": [{"teamId": team["id"]}], "order": 1, "duration": 0}])
    user = cfg.create("user", teamIds=[team["id"]])
    url = cfg.url("team/<id>/incoming-references", team["id"])
    body = cfg.get(url).get_json()
    assert body["meta"]["referencedEntities"] == ["contact-service-queue", "user"]
    assert {(d["id"], d["name"]) for d in body["data"]} == {
        (queue["id"], queue["name"]), (user["id"], f"{user['firstName']} {user['lastName']}")}
    assert body["data"][0]["createdDate"] == "2027-01-15T08:00:00Z"
    only = cfg.get(url + "?type=user").get_json()
    assert [d["id"] for d in only["data"]] == [user["id"]] and only["meta"]["totalRecords"] == 1
    paged = cfg.get(url + "?pageSize=1&page=1").get_json()
    assert len(paged["data"]) == 1 and paged["meta"]["totalPages"] == 2
    body = assert_webex_error(cfg.delete(cfg.url("team/<id>", team["id"])), 412)
    assert body["error"]["referencedEntities"] == ["contact-service-queue", "user"]
