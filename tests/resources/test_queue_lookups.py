"""Queue look-ups and helpers answer from the tenant's state: each is read again after a write changes it."""
from __future__ import annotations

from ..conftest import assert_webex_error

Q = "contact-service-queue"


def groups(*team_ids):
    return [{"agentGroups": [{"teamId": t} for t in team_ids], "order": 1, "duration": 0}]


def names(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return [d["name"] for d in resp.get_json()["data"]]


def test_team_based_queues_follow_the_distribution_groups(cfg):
    a, b = cfg.create("team"), cfg.create("team")
    queue = cfg.create(Q, callDistributionGroups=groups(a["id"]))
    by_team = lambda t: cfg.get(cfg.url(f"{Q}/by-team-id/{t['id']}/internal"))  # noqa: E731
    assert names(by_team(a)) == [queue["name"]] and names(by_team(b)) == []
    user = cfg.create("user", teamIds=[b["id"]])
    team_view = cfg.url(f"v2/{Q}/by-user-id/{user['id']}/team-based-queues")
    assert names(cfg.get(team_view)) == []
    got = cfg.get(cfg.url(f"{Q}/{queue['id']}")).get_json()
    assert cfg.put(cfg.url(f"{Q}/{queue['id']}"), {**got, "callDistributionGroups": groups(b["id"])}).status_code == 200
    assert names(by_team(a)) == [] and names(by_team(b)) == [queue["name"]]
    body = cfg.get(team_view).get_json()
    assert body["data"][0]["routingPattern"] == "LONGEST_AVAILABLE_AGENT" and body["meta"]["totalRecords"] == 1
    assert_webex_error(cfg.get(cfg.url(f"{Q}/by-team-id/nope/internal")), 404, "nope")


def test_agent_based_queues_follow_reassign_agents(cfg):
    user = cfg.create("user")
    queue = cfg.create(Q, queueRoutingType="AGENT_BASED", agents=[])
    reassign = cfg.url(f"v2/{Q}/{queue['id']}/reassign-agents")
    by_ci = cfg.url(f"{Q}/by-user-ci-id/{user['ciUserId']}/internal")
    by_user = cfg.url(f"v2/{Q}/by-user-id/{user['id']}/agent-based-queues")
    assert names(cfg.get(by_ci)) == [] and names(cfg.get(by_user)) == []
    resp = cfg.post(reassign, {"add": [user["id"]]})
    assert resp.status_code == 200 and resp.get_json() == {}
    assert names(cfg.get(by_ci)) == [queue["name"]] and names(cfg.get(by_user)) == [queue["name"]]
    stored = cfg.get(cfg.url(f"{Q}/{queue['id']}")).get_json()
    assert stored["version"] == 1 and [a["id"] for a in stored["agents"]] == [user["id"]]
    assert cfg.post(reassign, {"remove": [user["id"]]}).status_code == 200
    assert names(cfg.get(by_ci)) == []
    assert_webex_error(cfg.post(reassign, {"add": ["ghost"]}), 400, "ghost")
    team_queue = cfg.create(Q)
    assert_webex_error(cfg.post(cfg.url(f"v2/{Q}/{team_queue['id']}/reassign-agents"), {"add": [user["id"]]}), 400,
                       "AGENT_BASED")
    assert_webex_error(cfg.post(cfg.url(f"v2/{Q}/missing/reassign-agents"), {"add": []}), 404)
    assert_webex_error(cfg.get(cfg.url(f"{Q}/by-user-ci-id/ghost/internal")), 404, "ciUserId")


def _skill_setup(cfg, value):
    skill = cfg.create("skill", skillType="Proficiency")
    profile = cfg.create("skill-profile", activeSkills=[{"skillId": skill["id"], "booleanValue": False,
                                                         "proficiencyValue": value}])
    queue = cfg.create(Q, queueRoutingType="SKILL_BASED", routingType="SKILLS_BASED", queueSkillRequirements=[
        {"skillId": skill["id"], "condition": "GTE", "skillValue": "5", "weight": 10}])
    return skill, profile, queue


def test_skill_based_queues_follow_the_skill_profile(cfg):
    skill, profile, queue = _skill_setup(cfg, 7)
    by_profile = cfg.url(f"{Q}/by-skill-profile-id/{profile['id']}")
    body = cfg.get(by_profile).get_json()
    assert [d["name"] for d in body["data"]] == [queue["name"]]
    assert body["data"][0]["skillScore"] == 10 and body["data"][0]["skillProfileSkillsMatch"] is True
    assert cfg.get(by_profile + "/internal").get_json()["data"] == body["data"]  # the internal twin
    user = cfg.create("user", skillProfileId=profile["id"])
    by_ci = cfg.url(f"{Q}/skill-based-queues/by-ci-user-id/{user['ciUserId']}/internal")
    assert names(cfg.get(by_ci)) == [queue["name"]]
    got = cfg.get(cfg.url(f"skill-profile/{profile['id']}")).get_json()
    got["activeSkills"][0]["proficiencyValue"] = 3
    assert cfg.put(cfg.url(f"skill-profile/{profile['id']}"), got).status_code == 200
    assert names(cfg.get(by_profile)) == [] and names(cfg.get(by_ci)) == []
    view = cfg.url(f"v2/{Q}/by-user-id/{user['id']}/skill-based-queues")
    assert names(cfg.get(view)) == []
    fetch = cfg.url(f"{Q}/fetch-by-dynamic-skills-and-skillProfile")
    resp = cfg.post(fetch, {"skillProfileId": profile["id"], "dynamicSkills": [{"skillId": skill["id"],
                                                                                 "proficiencyValue": 6}]})
    assert names(resp) == [queue["name"]]
    assert names(cfg.post(fetch, {"skillProfileId": profile["id"]})) == []
    assert_webex_error(cfg.post(fetch, {"skillProfileId": "ghost"}), 400, "skillProfileId")
    assert_webex_error(cfg.get(cfg.url(f"{Q}/by-skill-profile-id/ghost")), 404, "ghost")


def test_queues_by_user_and_profile_use_the_users_dynamic_skills(cfg):
    skill, profile, queue = _skill_setup(cfg, 3)
    user = cfg.create("user", skillProfileId=profile["id"])
    url = cfg.url(f"{Q}/fetch-by-userId-skillProfileId")
    assert names(cfg.post(url, {"userId": user["id"]})) == []
    dyn = cfg.seed("skill", {"name": "Dyn", "active": True, "serviceLevelThreshold": 1, "skillType": "Proficiency",
                             "dynamicSkill": True})
    queue2 = cfg.create(Q, queueRoutingType="SKILL_BASED", routingType="SKILLS_BASED", queueSkillRequirements=[
        {"skillId": dyn["id"], "condition": "GTE", "skillValue": "8", "dynamicSkill": True}])
    reskill = {"dynamicSkills": {"add": [{"skillId": dyn["id"], "proficiencyValue": 9}]}}
    assert cfg.patch(cfg.url(f"user/{user['id']}/reskill"), reskill).status_code == 204
    assert names(cfg.post(url, {"userId": user["id"]})) == [queue2["name"]]
    assert_webex_error(cfg.post(url, {}), 400, "userId")
    assert_webex_error(cfg.post(url, {"userId": "ghost"}), 404, "ghost")


def test_manually_assignable_and_assistant_skill_summaries_follow_writes(cfg):
    user = cfg.create("user")
    url = cfg.url(f"{Q}/fetch-manually-assignable-queues")
    assert names(cfg.post(url, {"agentId": user["id"]})) == []
    queue = cfg.create(Q, manuallyAssignable=True, assistantSkill={"assistantSkillId": "as-1",
                                                                   "assistantSkillUpdatedTime": 1700000000000})
    assert names(cfg.post(url, {"agentId": user["id"]})) == [queue["name"]]
    assert_webex_error(cfg.post(url, {"agentId": "ghost"}), 400, "agentId")
    grouped = cfg.url(f"v2/{Q}/fetch-by-grouped-assistant-skill")
    body = cfg.post(grouped, {"assistantSkillIds": ["as-1", "as-2"]}).get_json()
    assert body["data"] == [{"assistantSkillId": "as-1", "associatedQueueCount": 1,
                             "lastAssistantSkillUpdatedTime": 1700000000000},
                            {"assistantSkillId": "as-2", "associatedQueueCount": 0}]
    assert cfg.delete(cfg.url(f"{Q}/{queue['id']}")).status_code == 204
    body = cfg.post(grouped, {"assistantSkillIds": ["as-1"]}).get_json()
    assert body["data"][0]["associatedQueueCount"] == 0
    assert_webex_error(cfg.post(grouped, {"assistantSkillIds": "as-1"}), 400, "assistantSkillIds")


def test_delete_reference_removes_a_team_from_every_queue(cfg):
    a, b = cfg.create("team"), cfg.create("team")
    both = cfg.create(Q, callDistributionGroups=groups(a["id"], b["id"]))
    url = cfg.url(f"{Q}/delete-reference")
    resp = cfg.post(url, {"references": {"teamId": a["id"]}})
    assert resp.status_code == 200 and resp.get_json()["details"]["updatedQueueIds"] == [both["id"]]
    stored = cfg.get(cfg.url(f"{Q}/{both['id']}")).get_json()
    assert stored["callDistributionGroups"][0]["agentGroups"] == [{"teamId": b["id"]}] and stored["version"] == 1
    assert names(cfg.get(cfg.url(f"{Q}/by-team-id/{a['id']}/internal"))) == []
    assert_webex_error(cfg.post(url, {"references": {"teamId": b["id"]}}), 409, "without a call distribution")
    assert cfg.get(cfg.url(f"{Q}/{both['id']}")).get_json()["version"] == 1  # nothing changed
    assert_webex_error(cfg.post(url, {"references": {"siteId": "x"}}), 400, "siteId")
    assert_webex_error(cfg.post(url, {"references": []}), 400, "references")
