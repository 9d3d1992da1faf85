"""The v1 address book paths use the with-entries DTO (``addressBookEntries``), as the spec documents them."""
from __future__ import annotations

from ..conftest import assert_webex_error


def _entries(doc):
    return sorted((e["name"], e["number"]) for e in doc["addressBookEntries"])


def test_v1_address_book_get_carries_its_entries(cfg):
    book = cfg.create("address-book")
    entry = cfg.post(cfg.url("address-book/<addressBookId>/entry", parent=book["id"]),
                     {"name": "Desk", "number": "+14085550100"}).get_json()
    got = cfg.get(cfg.url("address-book/<id>", book["id"])).get_json()
    assert got["addressBookEntries"] == [entry] and got["name"] == book["name"]
    assert "addressBookEntries" not in cfg.get(cfg.url("v3/address-book/<id>", book["id"])).get_json()


def test_v1_address_book_post_creates_the_book_with_its_entries(cfg):
    body = {"name": "Book with entries", "parentType": "ORGANIZATION",
            "addressBookEntries": [{"name": "Desk", "number": "+14085550100"}, {"name": "Cell", "number": "555"}]}
    resp = cfg.post(cfg.url("address-book"), body)
    assert resp.status_code == 201, resp.get_json()
    doc = resp.get_json()
    assert _entries(doc) == [("Cell", "555"), ("Desk", "+14085550100")]
    assert all(e["id"] and e["version"] == 0 for e in doc["addressBookEntries"])
    listed = cfg.get(cfg.url("v2/address-book/<addressBookId>/entry", parent=doc["id"])).get_json()
    assert sorted(e["name"] for e in listed["data"]) == ["Cell", "Desk"]


def test_v1_address_book_put_replaces_the_entries(cfg):
    doc = cfg.post(cfg.url("address-book"), {"name": "Put book", "parentType": "ORGANIZATION",
                                             "addressBookEntries": [{"name": "A", "number": "1"},
                                                                    {"name": "B", "number": "2"}]}).get_json()
    a = next(e for e in doc["addressBookEntries"] if e["name"] == "A")
    body = {**doc, "addressBookEntries": [{**a, "number": "11"}, {"name": "C", "number": "3"}]}
    resp = cfg.put(cfg.url("address-book/<id>", doc["id"]), body)
    assert resp.status_code == 200, resp.get_json()
    new = resp.get_json()
    assert _entries(new) == [("A", "11"), ("C", "3")] and new["version"] == 1
    kept = next(e for e in new["addressBookEntries"] if e["name"] == "A")
    assert kept["id"] == a["id"] and kept["version"] == 1
    assert cfg.get(cfg.url("address-book/<id>", doc["id"])).get_json() == new
    # Leaving the list out leaves the entries alone.
    rest = {k: v for k, v in new.items() if k != "addressBookEntries"}
    assert _entries(cfg.put(cfg.url("address-book/<id>", doc["id"]), rest).get_json()) == [("A", "11"), ("C", "3")]


def test_v1_address_book_bad_entry_changes_nothing(cfg):
    doc = cfg.post(cfg.url("address-book"), {"name": "Strict book", "parentType": "ORGANIZATION",
                                             "addressBookEntries": [{"name": "A", "number": "1"}]}).get_json()
    before = cfg.rt.store.export()
    url = cfg.url("address-book/<id>", doc["id"])
    assert_webex_error(cfg.put(url, {**doc, "addressBookEntries": [{"name": "B", "number": "not a number"}]}), 400,
                       "addressBookEntries[0].number")
    assert_webex_error(cfg.put(url, {**doc, "addressBookEntries": [{"name": "B", "number": "1"},
                                                                   {"name": "b", "number": "2"}]}), 409, "repeats")
    assert_webex_error(cfg.put(url, {**doc, "addressBookEntries": "nope"}), 400, "must be a list")
    assert_webex_error(cfg.post(cfg.url("address-book"), {"name": "X", "parentType": "ORGANIZATION",
                                                          "addressBookEntries": [{"number": "1"}]}), 400, "name")
    assert cfg.rt.store.export() == before
