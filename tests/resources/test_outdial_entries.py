"""Outdial ANI entries: one set of entries, seen the same through the entry routes and the outdial ANI itself."""
from __future__ import annotations

from ..conftest import assert_webex_error


def entries_url(cfg, ani, *rest):
    return cfg.url("/".join([f"outdial-ani/{ani['id']}/entry", *rest]))


def test_entry_crud_is_seen_through_the_outdial_ani(cfg):
    ani = cfg.create("outdial-ani")
    resp = cfg.post(entries_url(cfg, ani), {"name": "Sales line", "number": "+15550111", "defaultANIEntry": True})
    assert resp.status_code == 201
    entry = resp.get_json()
    assert entry["version"] == 0 and entry["organizationId"] == cfg.org and entry["createdTime"] == 1_800_000_000_000
    parent = cfg.get(cfg.url(f"outdial-ani/{ani['id']}")).get_json()
    assert parent["version"] == 1 and [e["name"] for e in parent["outdialANIEntries"]] == ["Main", "Sales line"]
    assert cfg.get(entries_url(cfg, ani, entry["id"])).get_json() == entry
    resp = cfg.put(entries_url(cfg, ani, entry["id"]), {"name": "Sales line 2", "number": "+15550112"})
    assert resp.status_code == 200 and resp.get_json()["version"] == 1
    listed = cfg.get(cfg.url(f"v2/outdial-ani/{ani['id']}/entry")).get_json()
    assert [e["name"] for e in listed["data"]] == ["Main", "Sales line 2"] and listed["meta"]["totalRecords"] == 2
    assert cfg.delete(entries_url(cfg, ani, entry["id"])).status_code == 204
    assert_webex_error(cfg.get(entries_url(cfg, ani, entry["id"])), 404)
    parent = cfg.get(cfg.url(f"outdial-ani/{ani['id']}")).get_json()
    assert [e["name"] for e in parent["outdialANIEntries"]] == ["Main"] and parent["version"] == 3


def test_replacing_the_outdial_ani_replaces_its_entries(cfg):
    ani = cfg.create("outdial-ani")
    entry = cfg.post(entries_url(cfg, ani), {"name": "Extra", "number": "+15550113"}).get_json()
    parent = cfg.get(cfg.url(f"outdial-ani/{ani['id']}")).get_json()
    kept = [e for e in parent["outdialANIEntries"] if e["id"] != entry["id"]]
    assert cfg.put(cfg.url(f"outdial-ani/{ani['id']}"), {**parent, "outdialANIEntries": kept}).status_code == 200
    assert_webex_error(cfg.get(entries_url(cfg, ani, entry["id"])), 404)
    assert cfg.get(entries_url(cfg, ani, kept[0]["id"])).status_code == 200


def test_entry_errors_are_webex_shaped(cfg):
    ani = cfg.create("outdial-ani")
    assert_webex_error(cfg.post(entries_url(cfg, ani), {"name": "Main", "number": "+1555"}), 409, "Main")
    assert_webex_error(cfg.post(entries_url(cfg, ani), {"name": "x"}), 400, "number")
    assert_webex_error(cfg.post(entries_url(cfg, ani), {"name": 42, "number": "1"}), 400, "name")
    assert_webex_error(cfg.post(cfg.url("outdial-ani/ghost/entry"), {"name": "x", "number": "1"}), 404)
    assert_webex_error(cfg.get(entries_url(cfg, ani, "ghost")), 404)
    assert_webex_error(cfg.put(entries_url(cfg, ani, "ghost"), {"name": 42}), 404)
    assert_webex_error(cfg.delete(entries_url(cfg, ani, "ghost")), 404)
    assert_webex_error(cfg.get(cfg.url("v2/outdial-ani/ghost/entry")), 404)
    assert_webex_error(cfg.post(entries_url(cfg, ani, "bulk"), {"items": 5}), 400, "items")


def test_one_default_entry_per_list(cfg):
    ani = cfg.create("outdial-ani")
    first = cfg.post(entries_url(cfg, ani), {"name": "One", "number": "+1555", "defaultANIEntry": True}).get_json()
    cfg.post(entries_url(cfg, ani), {"name": "Two", "number": "+1556", "defaultANIEntry": True})
    defaults = [e["name"] for e in cfg.get(cfg.url(f"outdial-ani/{ani['id']}")).get_json()["outdialANIEntries"]
                if e.get("defaultANIEntry")]
    assert defaults == ["Two"]
    assert cfg.get(entries_url(cfg, ani, first["id"])).get_json()["defaultANIEntry"] is False


def test_bulk_entries_and_the_organisation_wide_list(cfg):
    ani, other = cfg.create("outdial-ani"), cfg.create("outdial-ani")
    main = cfg.get(cfg.url(f"outdial-ani/{ani['id']}")).get_json()["outdialANIEntries"][0]
    body = {"items": [{"itemIdentifier": 1, "requestAction": "SAVE", "item": {"name": "B", "number": "+1557"}},
                      {"itemIdentifier": 2, "requestAction": "DELETE", "item": main},
                      {"itemIdentifier": 3, "requestAction": "SAVE", "item": {"name": "B", "number": "+1558"}},
                      {"itemIdentifier": 4, "requestAction": "DELETE", "item": {"id": "x"}}]}
    resp = cfg.post(entries_url(cfg, ani, "bulk"), body)
    assert resp.status_code == 207
    assert [i["status"] for i in resp.get_json()["items"]] == [201, 204, 409, 400]
    names = [e["name"] for e in cfg.get(cfg.url(f"outdial-ani/{ani['id']}")).get_json()["outdialANIEntries"]]
    assert names == ["B"]
    everything = cfg.get(cfg.url("outdial-ani/entry")).get_json()
    assert sorted(e["name"] for e in everything["data"]) == ["B", "Main"] and everything["meta"]["totalRecords"] == 2
    b = next(e for e in everything["data"] if e["name"] == "B")
    one = cfg.get(cfg.url("outdial-ani/entry", filter=f"id=={b['id']}")).get_json()
    assert [e["id"] for e in one["data"]] == [b["id"]]
    assert_webex_error(cfg.get(cfg.url("outdial-ani/entry", filter="name==B")), 400, "name")
    paged = cfg.get(cfg.url(f"v2/outdial-ani/{other['id']}/entry", attributes="id,name", search="mai")).get_json()
    assert [set(e) for e in paged["data"]] == [{"id", "name"}]
