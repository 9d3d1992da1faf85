"""Shapes real clients read: incoming-references by type, paging links, child collections of a missing parent."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from ..conftest import assert_webex_error


def _query(link: str) -> dict:
    return dict(parse_qsl(urlsplit(link).query))


def test_incoming_references_type_returns_one_kind_and_names_it_in_current_entity(cfg):
    site = cfg.make("site")
    teams = [cfg.create("team", siteId=site)["id"] for _ in range(3)]
    user = cfg.seed("user", cfg.payload("user", siteId=site))
    url = cfg.url("site/<id>/incoming-references", site)
    every = cfg.get(url).get_json()
    assert every["meta"]["referencedEntities"] == ["team", "user"] and "currentEntity" not in every["meta"]
    assert len(every["data"]) == 4
    teams_only = cfg.get(url, query_string={"type": "team"}).get_json()
    assert teams_only["meta"]["currentEntity"] == "team"
    assert sorted(d["id"] for d in teams_only["data"]) == sorted(teams)
    assert {d["additionalAttributes"]["type"] for d in teams_only["data"]} == {"team"}
    assert teams_only["meta"]["referencedEntities"] == ["team", "user"]  # every kind, whatever was asked
    users = cfg.get(url, query_string={"type": "user"}).get_json()
    assert users["meta"]["currentEntity"] == "user" and [d["id"] for d in users["data"]] == [user["id"]]


def test_incoming_references_type_accepts_the_vendor_spelling(cfg):
    queue = cfg.create("contact-service-queue")
    ep = cfg.create("entry-point", outdialQueueId=queue["id"])
    body = cfg.get(cfg.url("contact-service-queue/<id>/incoming-references", queue["id"]),
                   query_string={"type": "entrypoint"}).get_json()
    assert body["meta"]["currentEntity"] == "entry-point" and [d["id"] for d in body["data"]] == [ep["id"]]
    none = cfg.get(cfg.url("contact-service-queue/<id>/incoming-references", queue["id"]),
                   query_string={"type": "no-such-kind"}).get_json()
    assert none["data"] == [] and none["meta"]["currentEntity"] == "no-such-kind"


def test_incoming_references_paging_links_keep_type(cfg):
    site = cfg.make("site")
    for _ in range(3):
        cfg.create("team", siteId=site)
    body = cfg.get(cfg.url("site/<id>/incoming-references", site),
                   query_string={"type": "team", "page": "0", "pageSize": "2"}).get_json()
    links = body["meta"]["links"]
    assert set(links) == {"self", "first", "last", "next"}
    for name, link in links.items():
        assert _query(link)["type"] == "team", name
    second = cfg.get(links["next"]).get_json()
    assert second["meta"]["page"] == 1 and len(second["data"]) == 1 and second["meta"]["currentEntity"] == "team"


def test_list_paging_links_keep_every_query_parameter(cfg):
    for _ in range(3):
        cfg.create("skill")
    query = {"attributes": "id,name", "search": "Skill", "filter": 'active==true', "custom": "kept", "pageSize": "2"}
    body = cfg.get(cfg.url("v2/skill"), query_string=query).get_json()
    for name, link in body["meta"]["links"].items():
        got = _query(link)
        assert {k: got[k] for k in ("attributes", "search", "filter", "custom")} == \
            {k: query[k] for k in ("attributes", "search", "filter", "custom")}, name
        assert got["pageSize"] == "2"
    nxt = cfg.get(body["meta"]["links"]["next"]).get_json()
    assert nxt["meta"]["page"] == 1 and set(nxt["data"][0]) <= {"id", "name"}
    # The links of a page cached for one query are not served to another.
    plain = cfg.get(cfg.url("v2/skill"), query_string={"pageSize": "2"}).get_json()
    assert "custom" not in plain["meta"]["links"]["self"]


def test_entries_of_a_book_that_does_not_exist_are_404(cfg):
    body = assert_webex_error(cfg.get(cfg.url("v2/address-book/<addressBookId>/entry", parent="no-such-book")), 404,
                              "no-such-book")
    assert body["error"]["key"] == "404"
    book = cfg.make("address-book")
    ok = cfg.get(cfg.url("v2/address-book/<addressBookId>/entry", parent=book))
    assert ok.status_code == 200 and ok.get_json()["data"] == []
