"""How a client calls each configuration operation beyond plain CRUD (exports, purges, look-ups, helpers,
outdial ANI entries): ``CALLS[(METHOD, rule)](mock) -> (path, body)`` against the seeded demo organisation.

The fidelity suite takes these operations from here instead of guessing from the path's shape; a route of
this kind with no entry fails ``test_every_helper_route_has_a_call``.
"""
from __future__ import annotations

from .conftest import DEMO_ORG

ORG = "/organization/<orgid>/"


def _p(rule: str, **values) -> str:
    out = rule.replace("<orgid>", DEMO_ORG)
    for name, value in values.items():
        out = out.replace(f"<{name}>", value)
    assert "<" not in out, rule
    return out


def _one(mock, kind, pred=lambda d: True) -> dict:
    docs = mock.rt.store.scan(DEMO_ORG, kind, lambda d: d.get("systemDefault") is not True and pred(d))
    assert docs, f"the demo tenant has no {kind} matching"
    return dict(docs[0])


def _queue(mock, routing):
    return _one(mock, "contact-service-queue", lambda q: q.get("queueRoutingType") == routing)


def _agent(mock) -> dict:
    return mock.rt.store.get(DEMO_ORG, "user", _queue(mock, "AGENT_BASED")["agents"][0]["id"])


def _skilled(mock) -> dict:
    return _one(mock, "user", lambda u: u.get("skillProfileId") and u.get("dynamicSkills"))


def _dynamic(mock) -> dict:
    return _one(mock, "skill", lambda s: s.get("dynamicSkill") is True)


def _ani(mock) -> dict:
    return _one(mock, "outdial-ani", lambda a: a.get("outdialANIEntries"))


def _get(rule, query="", **fill):
    return lambda mock: (_p(rule, **{k: f(mock) for k, f in fill.items()}) + query, None)


def _post(rule, body, **fill):
    return lambda mock: (_p(rule, **{k: f(mock) for k, f in fill.items()}), body(mock))


EXPORTS = {kind: "" for kind in ("site", "address-book", "agent-profile", "auxiliary-code", "business-hours",
                                 "cad-variable", "desktop-layout", "dial-number", "multimedia-profile", "outdial-ani")}
EXPORTS.update({"contact-service-queue": "?type=INBOUND", "entry-point": "?type=INBOUND"})
EXPORTS.update({kind: "" for kind in ("contact-number", "dial-plan", "work-type")})
PURGES = ("site", "skill", "team", "agent-profile", "auxiliary-code", "cad-variable", "contact-service-queue",
          "desktop-layout", "entry-point", "multimedia-profile", "work-type")
Q = ORG + "contact-service-queue/"

CALLS = {
    **{("GET", f"{ORG}{k}/bulk-export"): _get(f"{ORG}{k}/bulk-export", q) for k, q in EXPORTS.items()},
    **{("POST", f"{ORG}{k}/purge-inactive-entities"): _get(f"{ORG}{k}/purge-inactive-entities") for k in PURGES},
    ("GET", ORG + "user/by-ci-user-id/<id>"): _get(ORG + "user/by-ci-user-id/<id>",
                                                   id=lambda m: _skilled(m)["ciUserId"]),
    ("GET", ORG + "v2/user/by-ci-user-id/<id>"): _get(ORG + "v2/user/by-ci-user-id/<id>",
                                                    id=lambda m: _skilled(m)["ciUserId"]),
    ("GET", ORG + "user/with-user-profile"): _get(ORG + "user/with-user-profile"),
    ("GET", ORG + "user/with-user-profile/<id>"): _get(ORG + "user/with-user-profile/<id>",
                                                       id=lambda m: _skilled(m)["id"]),
    ("GET", ORG + "user/by-dynamic-skill-id/<skillId>"): _get(ORG + "user/by-dynamic-skill-id/<skillId>",
                                                            skillId=lambda m: _dynamic(m)["id"]),
    ("POST", ORG + "user/fetch-by-skill-requirements"): _post(
        ORG + "user/fetch-by-skill-requirements",
        lambda m: {"skillRequirements": _queue(m, "SKILL_BASED")["queueSkillRequirements"]}),
    ("POST", ORG + "user/fetch-user-details-by-ids"): _post(ORG + "user/fetch-user-details-by-ids",
                                                          lambda m: {"userIds": [_skilled(m)["id"]]}),
    ("PATCH", ORG + "user/<id>/reskill"): _post(
        ORG + "user/<id>/reskill",
        lambda m: {"dynamicSkills": {"add": [{"skillId": _dynamic(m)["id"], "proficiencyValue": 9}]}},
        id=lambda m: _skilled(m)["id"]),
    ("PATCH", ORG + "user/bulk/update-dynamic-skill/<skillId>"): _post(
        ORG + "user/bulk/update-dynamic-skill/<skillId>",
        lambda m: {"items": [{"itemIdentifier": 1, "requestAction": "SAVE",
                              "item": {"userId": _skilled(m)["id"], "proficiencyValue": 2}}]},
        skillId=lambda m: _dynamic(m)["id"]),
    ("GET", ORG + "v3/user-profile/<id>/acl"): _get(ORG + "v3/user-profile/<id>/acl",
                                                  id=lambda m: _one(m, "user-profile")["id"]),
    ("GET", ORG + "dial-number/numbers-only"): _get(ORG + "dial-number/numbers-only"),
    ("DELETE", ORG + "dial-number"): _get(ORG + "dial-number"),
    ("GET", ORG + "cad-variable/reportable-count"): _get(ORG + "cad-variable/reportable-count"),
    ("POST", ORG + "skill/populate-json-attr/<id>"): _get(ORG + "skill/populate-json-attr/<id>",
                                                        id=lambda m: _one(m, "skill")["id"]),
    **{("GET", Q + p): _get(Q + p, id=lambda m: _one(m, "skill-profile")["id"])
       for p in ("by-skill-profile-id/<id>", "by-skill-profile-id/<id>/internal")},
    ("GET", Q + "by-team-id/<id>/internal"): _get(
        Q + "by-team-id/<id>/internal",
        id=lambda m: _queue(m, "TEAM_BASED")["callDistributionGroups"][0]["agentGroups"][0]["teamId"]),
    ("GET", Q + "by-user-ci-id/<ciUserId>/internal"): _get(Q + "by-user-ci-id/<ciUserId>/internal",
                                                           ciUserId=lambda m: _agent(m)["ciUserId"]),
    ("GET", Q + "skill-based-queues/by-ci-user-id/<id>/internal"): _get(
        Q + "skill-based-queues/by-ci-user-id/<id>/internal", id=lambda m: _skilled(m)["ciUserId"]),
    **{("GET", f"{ORG}v2/contact-service-queue/by-user-id/<userid>/{w}-based-queues"): _get(
        f"{ORG}v2/contact-service-queue/by-user-id/<userid>/{w}-based-queues", userid=lambda m: _agent(m)["id"])
       for w in ("agent", "skill", "team")},
    ("POST", Q + "fetch-by-dynamic-skills-and-skillProfile"): _post(
        Q + "fetch-by-dynamic-skills-and-skillProfile",
        lambda m: {"skillProfileId": _skilled(m)["skillProfileId"], "dynamicSkills": _skilled(m)["dynamicSkills"]}),
    ("POST", Q + "fetch-by-userId-skillProfileId"): _post(Q + "fetch-by-userId-skillProfileId",
                                                          lambda m: {"userId": _skilled(m)["id"]}),
    ("POST", Q + "fetch-manually-assignable-queues"): _post(Q + "fetch-manually-assignable-queues",
                                                            lambda m: {"agentId": _agent(m)["id"]}),
    ("POST", ORG + "v2/contact-service-queue/fetch-by-grouped-assistant-skill"): _post(
        ORG + "v2/contact-service-queue/fetch-by-grouped-assistant-skill",
        lambda m: {"assistantSkillIds": ["f53c8b54-46ca-43f6-ba05-08426a46e23d"]}),
    ("POST", Q + "delete-reference"): _post(Q + "delete-reference",
                                            lambda m: {"references": {"userId": _agent(m)["id"]}}),
    ("POST", ORG + "v2/contact-service-queue/<id>/reassign-agents"): _post(
        ORG + "v2/contact-service-queue/<id>/reassign-agents", lambda m: {"add": [_skilled(m)["id"]]},
        id=lambda m: _queue(m, "AGENT_BASED")["id"]),
    ("POST", ORG + "outdial-ani/<outDialAniId>/entry"): _post(
        ORG + "outdial-ani/<outDialAniId>/entry", lambda m: {"name": "Line new", "number": "+15555550199"},
        outDialAniId=lambda m: _ani(m)["id"]),
    ("POST", ORG + "outdial-ani/<outDialAniId>/entry/bulk"): _post(
        ORG + "outdial-ani/<outDialAniId>/entry/bulk",
        lambda m: {"items": [{"itemIdentifier": 1, "requestAction": "SAVE",
                              "item": {"name": "Line bulk", "number": "+15555550198"}},
                             {"itemIdentifier": 2, "requestAction": "DELETE",
                              "item": _ani(m)["outdialANIEntries"][-1]}]},
        outDialAniId=lambda m: _ani(m)["id"]),
    **{(meth, ORG + "outdial-ani/<outDialAniId>/entry/<id>"): _post(
        ORG + "outdial-ani/<outDialAniId>/entry/<id>",
        (lambda m: {"name": "Line renamed", "number": "+15555550197"}) if meth == "PUT" else (lambda m: None),
        outDialAniId=lambda m: _ani(m)["id"], id=lambda m: _ani(m)["outdialANIEntries"][0]["id"])
       for meth in ("GET", "PUT", "DELETE")},
    ("GET", ORG + "v2/outdial-ani/<outDialAniId>/entry"): _get(ORG + "v2/outdial-ani/<outDialAniId>/entry",
                                                             outDialAniId=lambda m: _ani(m)["id"]),
    ("GET", ORG + "outdial-ani/entry"): _get(ORG + "outdial-ani/entry"),
    # the newer families' own operations
    ("GET", ORG + "contact-number/all-numbers"): _get(ORG + "contact-number/all-numbers"),
    ("POST", ORG + "agent-personal-greeting/delete-reference"): _post(
        ORG + "agent-personal-greeting/delete-reference",
        lambda m: {"references": {"agentId": _one(m, "agent-personal-greeting")["agentId"]}}),
    ("POST", ORG + "resource-collection/update-resource"): _post(
        ORG + "resource-collection/update-resource",
        lambda m: {"resourceType": "site", "resourceId": _one(m, "site")["id"],
                   "resourceCollections": [{"id": _one(m, "resource-collection")["id"]}]}),
}
