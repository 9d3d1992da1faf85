"""Queue look-ups and helpers (``contact-service-queue/...``), answered from the tenant's state at call time.

* team-based queues of a team: the TEAM_BASED queues whose call distribution groups name the team;
* a user's teams: the user's ``teamIds`` and the teams whose ``userIds`` hold the user;
* agent-based queues of a user: the AGENT_BASED queues whose ``agents`` hold the user;
* skill-based queues: the SKILL_BASED queues whose every skill requirement the values meet (skillmatch.py).
The ``/internal`` routes answer as their public twins do (the spec gives some no public twin).
"""
from __future__ import annotations

from flask import request

from ..http.errors import ApiError
from ..http.jsonutil import json_response
from . import queue_views
from . import skillmatch as sm

KIND = "contact-service-queue"
MAPPED = ("organizationId", "id", "version", "channelType", "name", "createdTime", "lastUpdatedTime")


def store_of():
    from .crud import engine_of
    return engine_of(KIND).store


def queues(org: str, routing: str | None = None) -> list[dict]:
    """The organisation's queues (of one ``queueRoutingType``)."""
    return store_of().scan(org, KIND, lambda q: routing is None or q.get("queueRoutingType") == routing)


def team_ids(q: dict) -> set[str]:
    """Every team a queue's call distribution groups name."""
    return {ag.get("teamId") for g in q.get("callDistributionGroups") or () for ag in g.get("agentGroups") or ()
            if ag.get("teamId")}


def user(org: str, id: str, by_ci: bool = False) -> dict:
    """A user by id or by CI user id, or a 404."""
    store = store_of()
    found = store.lookup(org, "user", "ciUserId", id) if by_ci else [d for d in [store.get(org, "user", id)] if d]
    if not found:
        raise ApiError(404, f"User with {'ciUserId' if by_ci else 'id'} {id} not found for given orgId.")
    return found[0]


def user_teams(org: str, u: dict) -> set[str]:
    """The user's teams, from both sides of the membership."""
    teams = set(u.get("teamIds") or ())
    teams.update(t["id"] for t in store_of().lookup(org, "team", "userIds", u["id"]))
    return teams


def team_based(org: str, teams: set[str]) -> list[dict]:
    return [q for q in queues(org, "TEAM_BASED") if team_ids(q) & teams]


def agent_based(org: str, u: dict) -> list[dict]:
    return [q for q in queues(org, "AGENT_BASED") if any(a.get("id") == u["id"] or
                                                         (a.get("ciUserId") and a.get("ciUserId") == u.get("ciUserId"))
                                                         for a in q.get("agents") or ())]


def skill_based(org: str, profile: dict, dynamic: dict) -> list[tuple[dict, dict]]:
    """``(queue, score)`` of the skill-based queues the values admit."""
    out = []
    for q in queues(org, "SKILL_BASED"):
        found = sm.score(q.get("queueSkillRequirements"), profile, dynamic)
        if found is not None:
            out.append((q, found))
    return out


def user_skill_based(org: str, u: dict) -> list[tuple[dict, dict]]:
    store = store_of()
    return skill_based(org, sm.profile_values(store, org, u.get("skillProfileId")),
                       sm.dynamic_values(u.get("dynamicSkills")))


def counts(org: str, u: dict) -> dict:
    """``queuesCount`` of a user: how many queues of each routing type the user serves."""
    return {"teamBased": len(team_based(org, user_teams(org, u))), "skillBased": len(user_skill_based(org, u)),
            "agentBased": len(agent_based(org, u))}


def mapped(q: dict) -> dict:
    """MappedCSQDTO."""
    return {k: q[k] for k in MAPPED if k in q}


def skill_row(q: dict, score: dict) -> dict:
    """SkillBasedCSQDTO."""
    reqs = q.get("queueSkillRequirements") or ()
    qsr = "DYNAMIC" if any(r.get("dynamicSkill") for r in reqs) else "STATIC"
    return {**mapped(q), **score, "qsrType": qsr}


def envelope(org: str, rows: list) -> dict:
    """An unpaged list envelope (these look-ups take no paging parameters)."""
    return {"meta": {"orgid": org, "totalRecords": len(rows)}, "data": rows}


# -- views ------------------------------------------------------------------------------------------------------
def by_skill_profile(orgid, id):
    """Skill-based queues a skill profile's values admit (404 for an unknown profile)."""
    store = store_of()
    if not store.exists(orgid, "skill-profile", id):
        raise ApiError(404, f"Skill Profile with id {id} not found for given orgId.")
    rows = [skill_row(q, s) for q, s in skill_based(orgid, sm.profile_values(store, orgid, id), {})]
    return json_response(envelope(orgid, rows))


def by_team(orgid, id):
    """Team-based queues whose distribution groups name the team."""
    if not store_of().exists(orgid, "team", id):
        raise ApiError(404, f"Team with id {id} not found for given orgId.")
    return json_response(envelope(orgid, [mapped(q) for q in team_based(orgid, {id})]))


def by_user_ci(orgid, ciUserId):
    """Agent-based queues of a user, by CI user id."""
    return json_response(envelope(orgid, [mapped(q) for q in agent_based(orgid, user(orgid, ciUserId, True))]))


def skill_by_ci(orgid, id):
    """Skill-based queues of a user (skill profile plus dynamic skills), by CI user id."""
    rows = [skill_row(q, s) for q, s in user_skill_based(orgid, user(orgid, id, True))]
    return json_response(envelope(orgid, rows))


def by_user(which):
    def view(orgid, userid):
        u = user(orgid, userid)
        found = {"agent": lambda: agent_based(orgid, u), "team": lambda: team_based(orgid, user_teams(orgid, u)),
                 "skill": lambda: [q for q, _ in user_skill_based(orgid, u)]}[which]()
        path = f"v2/{KIND}/by-user-id/{userid}/{which}-based-queues"
        return json_response(queue_views.routing_page(orgid, path, found, request.args))
    view.__doc__ = f"{which.title()}-based queues of a user, paged."
    return view


def routes(spec, add) -> None:
    """Every queue look-up and helper route."""
    for path in (f"{KIND}/by-skill-profile-id/<id>", f"{KIND}/by-skill-profile-id/<id>/internal"):
        add(path, "GET", by_skill_profile, "List Skill CSQs by Skill Profile", 200, queue_views.ENVELOPE)
    add(f"{KIND}/by-team-id/<id>/internal", "GET", by_team, "List Team CSQs by Team ID", 200, queue_views.ENVELOPE)
    add(f"{KIND}/by-user-ci-id/<ciUserId>/internal", "GET", by_user_ci, "List Agent CSQs by CI User ID", 200,
        queue_views.ENVELOPE)
    add(f"{KIND}/skill-based-queues/by-ci-user-id/<id>/internal", "GET", skill_by_ci,
        "List Skill CSQs by CI User ID", 200, queue_views.ENVELOPE)
    for which in ("agent", "skill", "team"):
        add(f"v2/{KIND}/by-user-id/<userid>/{which}-based-queues", "GET", by_user(which),
            f"List {which} based Contact Service Queue(s) by user ID", 200, queue_views.ENVELOPE,
            params=("search", "page", "pageSize"))
    queue_views.routes(add)
