"""Resource-specific rules: team, queue, address-book entries, sorting, list cache, concurrent writers."""
from __future__ import annotations

import threading

from ..conftest import assert_webex_error


def test_team_type_and_site_are_immutable(cfg):
    team = cfg.create("team")
    url = cfg.url("team/<id>", team["id"])
    other_site = cfg.make("site")
    body = assert_webex_error(cfg.put(url, {**team, "siteId": other_site}), 400, "cannot be changed")
    assert body["error"]["reason"] == \
        f"siteId: This configuration cannot be changed. Original value is {team['siteId']}"
    assert_webex_error(cfg.put(url, {**team, "teamType": "CAPACITY"}), 400, "teamType: This configuration")
    renamed = cfg.put(url, {**team, "name": "Renamed team"}).get_json()
    assert renamed["name"] == "Renamed team" and renamed["siteId"] == team["siteId"]


def test_team_site_name_and_child_ids_come_from_the_server(cfg):
    team = cfg.create("team")
    assert team["siteName"] == cfg.get(cfg.url("site/<id>", team["siteId"])).get_json()["name"]
    profile = cfg.create("skill-profile")
    kept = profile["activeSkills"][0]
    assert len(kept["id"]) == 36
    skill = cfg.make("skill")
    body = {**profile, "activeSkills": [kept, {"skillId": skill, "booleanValue": True}]}
    after = cfg.put(cfg.url("skill-profile/<id>", profile["id"]), body).get_json()
    assert after["activeSkills"][0] == kept and after["activeSkills"][1]["id"] not in (kept["id"], None)


def test_team_spelling_and_user_filter(cfg):
    mmp = cfg.make("multimedia-profile")
    team = cfg.create("team", multiMediaProfileId=mmp)
    assert team["multiMediaProfileId"] == mmp
    # Cisco's collection sends the site/user spelling: live ignores it (facts 3.7), so does the mock.
    misspelt = cfg.post(cfg.url("team"), cfg.payload("team", multimediaProfileId=mmp))
    assert misspelt.status_code == 201
    assert "multimediaProfileId" not in misspelt.get_json() and "multiMediaProfileId" not in misspelt.get_json()
    user = cfg.create("user")
    cfg.put(cfg.url("team/<id>", team["id"]), {**team, "userIds": [user["id"]]})
    found = cfg.get(cfg.url("v2/team"), query_string={"filter": f"userId=={user['id']}"}).get_json()["data"]
    assert [t["id"] for t in found] == [team["id"]] and "userIds" not in found[0]
    assert cfg.get(cfg.url("team/<id>", team["id"])).get_json()["userIds"] == [user["id"]]
    assert_webex_error(cfg.get(cfg.url("v2/team"), query_string={"attributes": "id,userIds"}), 400, "userIds")


def test_queue_v2_paths_and_list_views(cfg):
    body = cfg.payload("contact-service-queue")
    created = cfg.post(cfg.url("v2/contact-service-queue"), body)
    assert created.status_code == 201
    queue = created.get_json()
    v2 = cfg.url("v2/contact-service-queue/<id>", queue["id"])
    assert cfg.get(v2).get_json() == queue
    assert cfg.put(v2, queue).get_json()["version"] == 1
    assert_webex_error(cfg.delete(v2), 405)
    for path in ("v2/contact-service-queue", "v3/contact-service-queue"):
        listed = cfg.get(cfg.url(path)).get_json()["data"][0]
        assert "callDistributionGroups" not in listed and listed["id"] == queue["id"]
    assert_webex_error(cfg.post(cfg.url("contact-service-queue"), {**body, "callDistributionGroups": []}), 400,
                       "Atleast one call distribution group")
    assert_webex_error(cfg.post(cfg.url("contact-service-queue"), {**body, "channelType": "PIGEON"}), 400,
                       "channelType: Must be one of")


def test_address_book_entries_live_under_their_book(cfg):
    book, other = cfg.make("address-book"), cfg.make("address-book")
    entry = cfg.create("address-book-entry", parent=book, name="Front desk")
    assert "addressBookId" not in entry
    entries = cfg.url("v2/address-book/<addressBookId>/entry", parent=book)
    assert [e["id"] for e in cfg.get(entries).get_json()["data"]] == [entry["id"]]
    assert cfg.get(cfg.url("v2/address-book/<addressBookId>/entry", parent=other)).get_json()["data"] == []
    assert_webex_error(cfg.get(cfg.url("address-book/<addressBookId>/entry/<id>", entry["id"], other)), 404)
    same_name = cfg.post(cfg.url("address-book/<addressBookId>/entry", parent=other),
                         {"name": "Front desk", "number": "+1555"})
    assert same_name.status_code == 201  # names are unique per book
    assert_webex_error(cfg.post(cfg.url("address-book/<addressBookId>/entry", parent="no-book"),
                                {"name": "X", "number": "1"}), 404, "addressBookId")
    assert cfg.get(cfg.url("address-book/<id>", book)).get_json()["id"] == book  # deprecated v1 item path
    assert cfg.delete(cfg.url("v3/address-book/<id>", book)).status_code == 204
    assert_webex_error(cfg.get(cfg.url("address-book/<addressBookId>/entry/<id>", entry["id"], book)), 404)
    assert cfg.rt.store.get(cfg.org, "address-book-entry", entry["id"]) is None


def test_sort_where_the_vendor_has_it(cfg):
    for name in ("Bravo", "alpha", "Charlie"):
        cfg.create("business-hours", name=name)
    names = lambda url, **q: [d["name"] for d in cfg.get(url, query_string=q).get_json()["data"]]  # noqa: E731
    url = cfg.url("v2/business-hours")
    assert names(url, sort="name,asc") == ["alpha", "Bravo", "Charlie"]
    assert names(url, sort="name,desc") == ["Charlie", "Bravo", "alpha"]
    assert names(url, sort="name") == ["alpha", "Bravo", "Charlie"]
    assert_webex_error(cfg.get(url, query_string={"sort": "colour,asc"}), 400, "sort")
    assert_webex_error(cfg.get(url, query_string={"sort": "name,sideways"}), 400, "sort")
    assert names(url, sort="name,desc", pageSize=1, page=2) == ["alpha"]


def test_links_keep_the_query_and_pages_past_the_end_are_empty(cfg):
    for _ in range(3):
        cfg.create("skill")
    url = cfg.url("v2/skill")
    meta = cfg.get(url, query_string={"pageSize": 1, "filter": "active==true", "search": "skill"}).get_json()["meta"]
    assert meta["links"]["next"].endswith("?page=1&pageSize=1&filter=active%3D%3Dtrue&search=skill")
    following = cfg.get(meta["links"]["next"]).get_json()
    assert following["meta"]["page"] == 1 and len(following["data"]) == 1
    beyond = cfg.get(url, query_string={"page": 9}).get_json()
    assert beyond["data"] == [] and beyond["meta"]["totalRecords"] == 3
    flags = cfg.get(url, query_string={"singleObjectResponse": "false", "provisioningView": "true"}).get_json()
    assert flags["meta"]["totalRecords"] == 3


def test_single_object_response_keeps_array_fields_for_one_result(cfg):
    team = cfg.create("team", userIds=[cfg.create("user")["id"]])
    cfg.create("team")
    url = cfg.url("v2/team")
    one = cfg.get(url, query_string={"filter": f"id=={team['id']}", "singleObjectResponse": "true"}).get_json()
    assert one["data"] == [team]
    assert "userIds" not in cfg.get(url, query_string={"filter": f"id=={team['id']}"}).get_json()["data"][0]
    assert_webex_error(cfg.get(url, query_string={"singleObjectResponse": "true"}), 400, "singleObjectResponse")


def test_filters_through_the_api_are_bounded(cfg):
    url = cfg.url("v2/site")
    huge = ";".join(["name==x"] * 2000)
    assert_webex_error(cfg.get(url, query_string={"filter": huge}), 400, "filter: longer than")
    deep = "(" * 500 + "name==x" + ")" * 500
    assert_webex_error(cfg.get(url, query_string={"filter": deep}), 400, "nested deeper")
    assert_webex_error(cfg.get(url, query_string={"filter": "name=like=x"}), 400, "unsupported operator")


def test_list_pages_follow_every_write(cfg):
    url = cfg.url("v2/cad-variable")
    assert cfg.get(url).get_json()["meta"]["totalRecords"] == 0
    var = cfg.create("cad-variable")
    assert cfg.get(url).get_json()["meta"]["totalRecords"] == 1
    cfg.put(cfg.url("cad-variable/<id>", var["id"]), {**var, "description": "changed"})
    assert cfg.get(url).get_json()["data"][0]["description"] == "changed"
    cfg.delete(cfg.url("cad-variable/<id>", var["id"]))
    assert cfg.get(url).get_json()["data"] == []


def test_concurrent_creates_of_one_name_make_one_object(cfg, shared_app):
    body = cfg.payload("skill", name="Contested")
    results, start = [], threading.Barrier(8)

    def create():
        client = shared_app.test_client()
        start.wait()
        results.append(client.post(cfg.url("skill"), json=body, headers=cfg.headers).status_code)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == [201] + [409] * 7
    assert cfg.get(cfg.url("v2/skill")).get_json()["meta"]["totalRecords"] == 1


def test_validation_uses_the_vendor_limits(cfg):
    assert_webex_error(cfg.post(cfg.url("site"), cfg.payload("site", name="x" * 81)), 400, "name: Longer than")
    assert_webex_error(cfg.post(cfg.url("site"), cfg.payload("site", name="bad/name")), 400, "name: Does not match")
    assert_webex_error(cfg.post(cfg.url("skill-profile"), cfg.payload("skill-profile", activeSkills=[])), 400,
                       "Atleast one skill is mandatory")
    assert_webex_error(cfg.post(cfg.url("business-hours"), cfg.payload("business-hours", workingHours=[])), 400,
                       "Working hours cannot be empty")
    assert_webex_error(cfg.post(cfg.url("site"), cfg.payload("site", active="true")), 400, "active: Not a valid")
    assert_webex_error(cfg.post(cfg.url("team"), cfg.payload("team", capacity=2 ** 40)), 400, "capacity")
    layout = cfg.create("desktop-layout")
    assert layout["global"] is False
    listed = cfg.get(cfg.url("v2/desktop-layout")).get_json()["data"][0]
    assert "jsonFileContent" not in listed and listed["global"] is False
