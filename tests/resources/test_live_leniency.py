"""Write bodies: lenient where live is lenient (unknown properties, live-required fields), strict where the spec is."""
from __future__ import annotations

import pytest

from ..conftest import assert_webex_error
from .conftest import SPECS


def test_unknown_properties_are_ignored_not_stored_not_echoed(cfg):
    """The vendor's own entry-point example carries flowOverrideSettings[].id, which its schema lacks (facts 3.7)."""
    body = cfg.payload("entry-point", flowOverrideSettings=[{"id": "x1", "name": "lang", "type": "STRING",
                                                             "value": "en"}], notAField={"deep": [1]})
    resp = cfg.post(cfg.url("entry-point"), body)
    assert resp.status_code == 201, resp.get_json()
    doc = resp.get_json()
    assert "notAField" not in doc
    assert doc["flowOverrideSettings"] == [{"name": "lang", "type": "STRING", "value": "en"}]
    assert cfg.get(cfg.url("entry-point/<id>", doc["id"])).get_json() == doc


def test_team_with_exactly_the_live_required_fields_is_201_with_live_defaults(cfg):
    body = {"name": "Five fields", "active": True, "siteId": cfg.make("site"), "teamStatus": "IN_SERVICE",
            "teamType": "AGENT"}
    resp = cfg.post(cfg.url("team"), body)
    assert resp.status_code == 201, resp.get_json()
    doc = resp.get_json()
    assert doc["rankQueuesForTeam"] is False and doc["systemDefault"] is False
    assert {k: doc[k] for k in body} == body
    # A replace that leaves the field out keeps what is stored.
    cfg.put(cfg.url("team/<id>", doc["id"]), {**body, "rankQueuesForTeam": True})
    again = cfg.put(cfg.url("team/<id>", doc["id"]), body)
    assert again.status_code == 200 and again.get_json()["rankQueuesForTeam"] is True


def test_queue_without_routing_type_and_availability_check_is_201_with_live_defaults(cfg):
    body = cfg.payload("contact-service-queue")
    body.pop("queueRoutingType"), body.pop("checkAgentAvailability")
    resp = cfg.post(cfg.url("contact-service-queue"), body)
    assert resp.status_code == 201, resp.get_json()
    doc = resp.get_json()
    assert doc["queueRoutingType"] == "TEAM_BASED" and doc["checkAgentAvailability"] is False


def test_live_required_fields_stay_required(cfg):
    body = {"name": "No site", "active": True, "teamStatus": "IN_SERVICE", "teamType": "AGENT"}
    assert_webex_error(cfg.post(cfg.url("team"), body), 400, "siteId")


@pytest.mark.parametrize("kind, field", [("team", "siteId"), ("site", "multimediaProfileId"),
                                         ("dial-number", "entryPointId"), ("auxiliary-code", "workTypeId")])
def test_empty_string_reference_is_400_naming_the_field(cfg, kind, field):
    body = cfg.payload(kind, **{field: ""})
    before = cfg.rt.store.export()
    assert_webex_error(cfg.post(cfg.url(SPECS[kind].create[0]), body), 400, field)
    assert cfg.rt.store.export() == before


@pytest.mark.parametrize("kind, field, value, reason", [
    ("business-hours", "timezone", "", "at least 1 character"),
    ("holiday-list", "holidays", [], "at least 1 item"),
    ("overrides", "overrides", [], "at least 1 item"),
    ("desktop-layout", "jsonFileContent", "", "at least 1 character"),
    ("team", "queueRankings", [{"queueId": "", "rank": 0}], "at least 1 character"),
    ("site", "name", "x" * 81, "at most 80"),
    ("site", "name", "bad/name", "pattern"),
    ("team", "teamType", "BIG", "AGENT"),
    ("skill", "serviceLevelThreshold", 2 ** 31, "at most 2147483647"),
])
def test_spec_constraints_on_declared_fields_are_400_naming_the_field(cfg, kind, field, value, reason):
    """minLength, minItems, maxLength, pattern, enum and int32 come from the vendor spec (constraints.py)."""
    resp = cfg.post(cfg.url(SPECS[kind].create[0]), cfg.payload(kind, **{field: value}))
    body = assert_webex_error(resp, 400, field.split(".")[0])
    assert any(reason in m["description"] for m in body["error"]["message"]), body


def test_spec_constraints_apply_on_replace_too(cfg):
    doc = cfg.create("business-hours")
    assert_webex_error(cfg.put(cfg.url("business-hours/<id>", doc["id"]), {**doc, "timezone": ""}), 400, "timezone")
    assert cfg.get(cfg.url("business-hours/<id>", doc["id"])).get_json() == doc


@pytest.mark.parametrize("kind", sorted(k for k, s in SPECS.items() if s.can_create and "systemDefault" in s.fields))
def test_system_default_false_on_created_objects(cfg, kind):
    doc = cfg.create(kind)
    assert doc["systemDefault"] is False
    spec = SPECS[kind]
    parent = doc.get(spec.parent[1]) if spec.parent else None
    assert cfg.get(cfg.url(spec.item_path, doc["id"], parent)).get_json()["systemDefault"] is False
