"""Users: read, replaced and patched through the API; created and removed only in Control Hub."""
from __future__ import annotations

from ..conftest import assert_webex_error


def test_users_cannot_be_created_or_deleted(cfg):
    user = cfg.create("user")
    assert_webex_error(cfg.post(cfg.url("user"), cfg.payload("user")), 405)
    assert_webex_error(cfg.delete(cfg.url("user/<id>", user["id"])), 405)
    assert_webex_error(cfg.post(cfg.url("user/bulk"), {"items": []}), 405)
    assert cfg.get(cfg.url("user/<id>", user["id"])).status_code == 200
    assert len(cfg.get(cfg.url("v2/user")).get_json()["data"]) == 1


def test_name_and_email_are_immutable(cfg):
    user = cfg.create("user")
    url = cfg.url("user/<id>", user["id"])
    for field in ("firstName", "lastName", "email"):
        body = assert_webex_error(cfg.put(url, {**user, field: "changed@example.com"}), 400,
                                  "This configuration cannot be changed")
        assert body["error"]["reason"] == \
            f"{field}: This configuration cannot be changed. Original value is {user[field]}"
        assert_webex_error(cfg.patch(url, {field: "changed@example.com"}), 400, "cannot be changed")
    assert cfg.get(url).get_json() == user


def test_patch_merges_and_removes_with_null(cfg):
    user = cfg.create("user", mobile="+15550001111", timezone="Europe/Berlin")
    url = cfg.url("user/<id>", user["id"])
    cfg.rt.clock.advance(1)
    resp = cfg.patch(url, {"timezone": "America/Chicago", "mobile": None})
    assert resp.status_code == 200
    after = resp.get_json()
    assert after["timezone"] == "America/Chicago" and "mobile" not in after
    assert after["version"] == 1 and after["lastUpdatedTime"] == user["lastUpdatedTime"] + 1000
    assert {k: v for k, v in after.items() if k not in ("timezone", "mobile", "version", "lastUpdatedTime")} == \
        {k: v for k, v in user.items() if k not in ("timezone", "mobile", "version", "lastUpdatedTime")}
    assert_webex_error(cfg.patch(url, {"active": "yes"}), 400, "active")
    assert_webex_error(cfg.patch(url, {"userProfileId": None}), 400, "userProfileId")
    assert_webex_error(cfg.patch(url, {"version": 0, "timezone": "UTC"}), 409, "stale")
    assert_webex_error(cfg.patch(url, ["timezone"]), 400, "JSON object")
    assert_webex_error(cfg.patch(cfg.url("user/<id>", "nobody"), {"timezone": "UTC"}), 404)


def test_response_only_fields_are_accepted_back_and_kept(cfg):
    user = cfg.seed("user", cfg.payload("user"), userProfileType="STANDARD_AGENT", queuesCount={"teamBased": 1})
    sent = {**user, "userProfileType": "ADMINISTRATOR", "siteName": "client edit", "timezone": "UTC"}
    after = cfg.put(cfg.url("user/<id>", user["id"]), sent).get_json()
    assert after["userProfileType"] == "STANDARD_AGENT" and after["queuesCount"] == {"teamBased": 1}
    assert "siteName" not in after  # no siteId: no site name
    site = cfg.create("site")
    after = cfg.put(cfg.url("user/<id>", user["id"]), {**after, "siteId": site["id"]}).get_json()
    assert after["siteName"] == site["name"]


def test_user_search_filter_and_misspelled_field(cfg):
    a = cfg.create("user", deafultDialledNumber="+15551230000")
    b = cfg.create("user")
    list_url = cfg.url("v2/user")
    found = lambda **q: [d["id"] for d in cfg.get(list_url, query_string=q).get_json()["data"]]  # noqa: E731
    assert found(search=a["email"].split("@")[0]) == [a["id"]]
    assert found(search=b["lastName"].lower()) == [b["id"]]
    assert found(filter=f"email=={a['email'].upper()}") == [a["id"]]
    assert found(filter="deafultDialledNumber==+15551230000") == [a["id"]]
    assert_webex_error(cfg.get(list_url, query_string={"filter": "teamIds==x"}), 400, "teamIds")
    assert cfg.get(cfg.url("user")).get_json()[0]["deafultDialledNumber"] == "+15551230000"


def test_user_bulk_patch_updates_only(cfg):
    a, b = cfg.create("user"), cfg.create("user")
    items = [{"itemIdentifier": 1, "requestAction": "SAVE", "item": {"id": a["id"], "timezone": "UTC"}},
             {"itemIdentifier": 2, "requestAction": "DELETE", "item": b},
             {"itemIdentifier": 3, "requestAction": "SAVE", "item": {"id": b["id"], "email": "new@example.com"}},
             {"itemIdentifier": 4, "requestAction": "SAVE", "item": {"timezone": "UTC"}},
             {"itemIdentifier": 5, "requestAction": "REMOVE", "item": {"id": a["id"]}}]
    out = cfg.patch(cfg.url("user/bulk"), {"items": items}).get_json()["items"]
    assert [(i["itemIdentifier"], i["status"]) for i in out] == [(1, 200), (2, 400), (3, 400), (4, 400), (5, 400)]
    assert out[0]["href"] == f"/organization/{cfg.org}/user/{a['id']}"
    assert "cannot be changed" in out[2]["apiError"]["error"]["reason"]
    assert out[4]["apiError"]["error"]["reason"] == "requestAction: must be SAVE or DELETE."
    assert cfg.get(cfg.url("user/<id>", a["id"])).get_json()["timezone"] == "UTC"
    assert cfg.get(cfg.url("user/<id>", b["id"])).get_json() == b


def test_hostile_bodies_are_400_and_change_nothing(cfg):
    user = cfg.create("user")
    url = cfg.url("user/<id>", user["id"])
    deep = {}
    node = deep
    for _ in range(300):
        node["a"] = {}
        node = node["a"]
    assert_webex_error(cfg.patch(url, {"queuesCount": deep}), 400, "nested deeper")
    assert_webex_error(cfg.patch(url, {"timezone": 10 ** 30}), 400, "timezone")
    raw = cfg.client.patch(url, data=b'{"timezone": "\\ud800"}', headers={**cfg.headers,
                                                                        "Content-Type": "application/json"})
    assert_webex_error(raw, 400, "not valid JSON")
    assert cfg.get(url).get_json() == user
