"""User look-ups, reskilling and the small helpers read the stored state again after every write."""
from __future__ import annotations

from ..conftest import assert_webex_error


def dynamic_skill(cfg, name="Callback"):
    return cfg.seed("skill", {"name": name, "active": True, "serviceLevelThreshold": 1, "skillType": "Proficiency",
                              "dynamicSkill": True})


def ids(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return [d["id"] for d in resp.get_json()["data"]]


def test_by_ci_user_id_and_with_profile_follow_the_user_and_profile(cfg):
    user = cfg.create("user")
    resp = cfg.get(cfg.url(f"user/by-ci-user-id/{user['ciUserId']}"))
    assert resp.status_code == 200 and resp.get_json()["id"] == user["id"] and "userProfileData" not in resp.get_json()
    assert resp.get_json()["queuesCount"] == {"teamBased": 0, "skillBased": 0, "agentBased": 0}
    profile_url = cfg.url(f"v3/user-profile/{user['userProfileId']}")
    profile = cfg.get(profile_url).get_json()
    assert cfg.put(profile_url, {**profile, "name": "Renamed profile"}).status_code == 200
    with_profile = cfg.get(cfg.url(f"user/by-ci-user-id/{user['ciUserId']}", includeUserProfile="true")).get_json()
    assert with_profile["userProfileData"]["name"] == "Renamed profile"
    assert with_profile["userProfileData"]["accessAllSites"] == profile["resourceAccessLevel"]
    v2 = cfg.get(cfg.url(f"v2/user/by-ci-user-id/{user['ciUserId']}", includeUserProfile="true")).get_json()
    assert v2["userProfileGranularAccessData"]["name"] == "Renamed profile"
    one = cfg.get(cfg.url(f"user/with-user-profile/{user['id']}")).get_json()
    assert one["userProfileData"]["id"] == user["userProfileId"]
    every = cfg.get(cfg.url("user/with-user-profile")).get_json()
    assert [u["id"] for u in every] == [user["id"]]
    team = cfg.create("team")
    cfg.create("contact-service-queue", callDistributionGroups=[{"agentGroups": [{"teamId": team["id"]}],
                                                                 "order": 1, "duration": 0}])
    got = cfg.get(cfg.url(f"user/{user['id']}")).get_json()
    assert cfg.put(cfg.url(f"user/{user['id']}"), {**got, "teamIds": [team["id"]]}).status_code == 200
    counts = cfg.get(cfg.url(f"user/by-ci-user-id/{user['ciUserId']}")).get_json()["queuesCount"]
    assert counts == {"teamBased": 1, "skillBased": 0, "agentBased": 0}
    assert_webex_error(cfg.get(cfg.url("user/by-ci-user-id/ghost")), 404, "ciUserId")
    assert_webex_error(cfg.get(cfg.url("user/by-ci-user-id/x", includeUserProfile="maybe")), 400, "includeUserProfile")
    assert_webex_error(cfg.get(cfg.url("user/with-user-profile/ghost")), 404)


def test_reskill_and_bulk_dynamic_skill_change_who_holds_a_skill(cfg):
    a, b = cfg.create("user"), cfg.create("user")
    dyn = dynamic_skill(cfg)
    holders = cfg.url(f"user/by-dynamic-skill-id/{dyn['id']}")
    assert ids(cfg.get(holders)) == []
    reskill = {"dynamicSkills": {"add": [{"skillId": dyn["id"], "proficiencyValue": 6}]}}
    resp = cfg.patch(cfg.url(f"user/{a['id']}/reskill"), reskill)
    assert resp.status_code == 204 and resp.get_data() == b""
    body = cfg.get(holders).get_json()
    assert [d["id"] for d in body["data"]] == [a["id"]] and body["data"][0]["dynamicSkill"]["proficiencyValue"] == 6
    stored = cfg.get(cfg.url(f"user/{a['id']}")).get_json()
    assert stored["version"] == 1 and stored["dynamicSkillAssigned"] is True
    bulk = {"items": [
        {"itemIdentifier": 1, "requestAction": "SAVE", "item": {"userId": b["id"], "proficiencyValue": 2}},
        {"itemIdentifier": 2, "requestAction": "DELETE", "item": {"userId": a["id"]}},
        {"itemIdentifier": 3, "requestAction": "SAVE", "item": {"userId": "ghost", "proficiencyValue": 1}}]}
    resp = cfg.patch(cfg.url(f"user/bulk/update-dynamic-skill/{dyn['id']}"), bulk)
    assert resp.status_code == 207
    assert [i["status"] for i in resp.get_json()["items"]] == [200, 200, 404]
    assert ids(cfg.get(holders)) == [b["id"]]
    assert ids(cfg.get(holders + "?search=" + b["lastName"])) == [b["id"]]
    assert ids(cfg.get(holders + "?search=nobody-like-this")) == []
    static = cfg.create("skill")
    assert_webex_error(cfg.patch(cfg.url(f"user/{a['id']}/reskill"),
                                 {"dynamicSkills": {"add": [{"skillId": static["id"], "proficiencyValue": 1}]}}),
                       400, "not a dynamic skill")
    assert_webex_error(cfg.patch(cfg.url(f"user/{a['id']}/reskill"), {"skillProfileId": "ghost"}), 400,
                       "skillProfileId")
    assert_webex_error(cfg.patch(cfg.url("user/ghost/reskill"), reskill), 404)
    assert_webex_error(cfg.get(cfg.url("user/by-dynamic-skill-id/ghost")), 404)


def test_fetch_by_skill_requirements_and_details_by_ids_follow_writes(cfg):
    skill = cfg.create("skill", skillType="Proficiency")
    profile = cfg.create("skill-profile", activeSkills=[{"skillId": skill["id"], "booleanValue": False,
                                                         "proficiencyValue": 4}])
    user = cfg.create("user", skillProfileId=profile["id"])
    url = cfg.url("user/fetch-by-skill-requirements")
    reqs = {"skillRequirements": [{"skillId": skill["id"], "condition": "GTE", "skillValue": "5"}]}
    assert ids(cfg.post(url, reqs)) == []
    got = cfg.get(cfg.url(f"skill-profile/{profile['id']}")).get_json()
    got["activeSkills"][0]["proficiencyValue"] = 8
    assert cfg.put(cfg.url(f"skill-profile/{profile['id']}"), got).status_code == 200
    body = cfg.post(url, reqs).get_json()
    assert [d["id"] for d in body["data"]] == [user["id"]] and body["data"][0]["skillProfileName"] == profile["name"]
    assert_webex_error(cfg.post(url, {"skillRequirements": [{"skillId": skill["id"], "condition": "ABOUT",
                                                             "skillValue": "5"}]}), 400, "condition")
    assert_webex_error(cfg.post(url, {"skillRequirements": [reqs["skillRequirements"][0]] * 51}), 400, "50")
    details = cfg.url("user/fetch-user-details-by-ids")
    body = cfg.post(details, {"userIds": [user["id"], "ghost"]}).get_json()
    assert body["data"] == [{"id": user["id"], "firstName": user["firstName"], "lastName": user["lastName"],
                             "email": user["email"]}] and body["meta"]["pageSize"] == 10
    queue = cfg.create("contact-service-queue")
    assert ids(cfg.post(details, {"userIds": [user["id"]], "queueId": queue["id"]})) == []
    team = queue["callDistributionGroups"][0]["agentGroups"][0]["teamId"]
    got = cfg.get(cfg.url(f"user/{user['id']}")).get_json()
    assert cfg.put(cfg.url(f"user/{user['id']}"), {**got, "teamIds": [team]}).status_code == 200
    assert ids(cfg.post(details, {"userIds": [user["id"]], "queueId": queue["id"]})) == [user["id"]]
    assert_webex_error(cfg.post(details, {"userIds": "x"}), 400, "userIds")


def test_dial_numbers_variables_skills_and_acl_helpers_follow_writes(cfg):
    numbers = cfg.url("dial-number/numbers-only")
    assert cfg.get(numbers).get_json() == []
    first, second = cfg.create("dial-number"), cfg.create("dial-number")
    assert cfg.get(numbers).get_json() == [first["dialledNumber"], second["dialledNumber"]]
    assert cfg.delete(cfg.url(f"dial-number/{first['id']}")).status_code == 204
    assert cfg.get(numbers).get_json() == [second["dialledNumber"]]
    resp = cfg.delete(cfg.url("dial-number"))
    assert resp.status_code == 204 and cfg.get(numbers).get_json() == []
    assert cfg.get(cfg.url("v2/dial-number")).get_json()["meta"]["totalRecords"] == 0
    count = cfg.url("cad-variable/reportable-count")
    assert cfg.get(count).get_json() == {"reportable": 0}
    cfg.create("cad-variable", reportable=True, variableType="INTEGER", defaultValue="1")
    cfg.create("cad-variable", reportable=False)
    assert cfg.get(count).get_json() == {"reportable": 1, "INTEGER": 1}
    skill = cfg.create("skill")
    resp = cfg.post(cfg.url(f"skill/populate-json-attr/{skill['id']}"), {})
    assert resp.status_code == 200 and resp.get_data() == b""
    assert_webex_error(cfg.post(cfg.url("skill/populate-json-attr/ghost"), {}), 404)
    team = cfg.create("team")
    profile = cfg.create("user-profile", resourceAccessLevel="SPECIFIC", resourceCollections=[
        {"name": "Dept", "resources": [{"name": "team", "accessLevel": "SPECIFIC", "ids": [team["id"]]},
                                       {"name": "site", "accessLevel": "ALL"}]}])
    acl = cfg.get(cfg.url(f"v3/user-profile/{profile['id']}/acl")).get_json()
    assert acl["resources"] == [{"name": "team", "accessLevel": "SPECIFIC", "ids": [team["id"]]},
                                {"name": "site", "accessLevel": "ALL", "ids": []}]
    only = cfg.get(cfg.url(f"v3/user-profile/{profile['id']}/acl", names="site")).get_json()
    assert [r["name"] for r in only["resources"]] == ["site"]
    got = cfg.get(cfg.url(f"v3/user-profile/{profile['id']}")).get_json()
    assert cfg.put(cfg.url(f"v3/user-profile/{profile['id']}"), {**got, "resourceCollections": []}).status_code == 200
    assert cfg.get(cfg.url(f"v3/user-profile/{profile['id']}/acl")).get_json()["resources"] == []
    assert_webex_error(cfg.get(cfg.url("v3/user-profile/ghost/acl")), 404)


def test_values_of_the_wrong_type_are_400_never_500(cfg):
    user, dyn = cfg.create("user"), dynamic_skill(cfg)
    reskill = cfg.url(f"user/{user['id']}/reskill")
    for bad in ({"dynamicSkills": {"add": [{"skillId": ["x"], "proficiencyValue": 1}]}},
                {"dynamicSkills": {"remove": [["x"]]}},
                {"dynamicSkills": {"add": [{"skillId": dyn["id"], "textValue": {"a": 1}}]}},
                {"dynamicSkills": {"add": [{"skillId": dyn["id"], "proficiencyValue": True}]}},
                {"dynamicSkills": {"add": [{"skillId": dyn["id"], "enumSkillValues": [1]}]}},
                {"dynamicSkills": []}):
        assert_webex_error(cfg.patch(reskill, bad), 400)
    assert cfg.get(cfg.url(f"user/{user['id']}")).get_json()["version"] == 0
    fetch = cfg.url("contact-service-queue/fetch-by-dynamic-skills-and-skillProfile")
    odd = {"dynamicSkills": [{"skillId": ["x"]}, {"skillId": dyn["id"], "proficiencyValue": {"x": 1}}, 7]}
    resp = cfg.post(fetch, odd)
    assert resp.status_code == 200 and resp.get_json()["data"] == []
    reqs = {"skillRequirements": [{"skillId": dyn["id"], "condition": "GTE", "skillValue": "1", "weight": "9"}]}
    assert_webex_error(cfg.post(cfg.url("user/fetch-by-skill-requirements"), reqs), 400, "skillRequirements[0]")
