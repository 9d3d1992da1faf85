"""The queue helpers clients POST to: look-ups by skills, by user, by assistant skill, and two writes
(``delete-reference`` and ``reassign-agents``), all over the tenant's stored queues."""
from __future__ import annotations

from flask import request

from ..http.errors import ApiError
from ..http.jsonutil import json_response
from . import queue_lookup as ql
from . import skillmatch as sm
from .crud import json_body
from .listing import envelope_meta, paging

ENVELOPE = {"type": "object", "properties": {"meta": {"type": "object"},
                                             "data": {"type": "array", "items": {"type": "object"}}}}
MAX_IDS = 1000


def routing_page(org: str, path: str, found: list[dict], args) -> dict:
    """ResponseEnvelopeRoutingBasedQueueDTO: queues as ``{id, name, routingPattern}``, searched and paged."""
    page, size = paging(args)
    term = (args.get("search") or "").strip().strip('"').lower()
    if term:
        found = [q for q in found if term in str(q.get("name", "")).lower()]
    rows = [{**{k: q[k] for k in ("organizationId", "id", "version", "name", "createdTime", "lastUpdatedTime")
                if k in q}, "routingPattern": q.get("routingType")} for q in found]
    return {"meta": envelope_meta(org, path, page, size, len(rows)), "data": rows[page * size:(page + 1) * size]}


def _object(body) -> dict:
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object.")
    return body


def _ids(body: dict, name: str) -> list[str]:
    value = body.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > MAX_IDS:
        raise ApiError(400, f"{name}: must be a list of at most {MAX_IDS} ids.")
    return value


def _profile(org: str, body: dict) -> dict:
    sid = body.get("skillProfileId")
    if sid is None:
        return {}
    if not isinstance(sid, str) or not ql.store_of().exists(org, "skill-profile", sid):
        raise ApiError(400, f"skillProfileId: {str(sid)[:60]} not found for given orgId.")
    return sm.profile_values(ql.store_of(), org, sid)


def by_dynamic_skills(orgid):
    """Skill-based queues admitted by a skill profile plus the dynamic skills sent."""
    body = _object(json_body())
    dyn = body.get("dynamicSkills") or []
    if not isinstance(dyn, list):
        raise ApiError(400, "dynamicSkills: must be a list of {skillId, value}.")
    rows = [ql.mapped(q) for q, _ in ql.skill_based(orgid, _profile(orgid, body), sm.dynamic_values(dyn))]
    return json_response(ql.envelope(orgid, rows))


def by_user_and_profile(orgid):
    """Skill-based queues admitted by a skill profile (or the user's own) plus the user's dynamic skills."""
    body = _object(json_body())
    if not isinstance(body.get("userId"), str):
        raise ApiError(400, "userId: required.")
    u = ql.user(orgid, body["userId"])
    profile = _profile(orgid, body) if body.get("skillProfileId") is not None else \
        sm.profile_values(ql.store_of(), orgid, u.get("skillProfileId"))
    rows = [ql.mapped(q) for q, _ in ql.skill_based(orgid, profile, sm.dynamic_values(u.get("dynamicSkills")))]
    return json_response(ql.envelope(orgid, rows))


def manually_assignable(orgid):
    """Queues marked ``manuallyAssignable``, less the agent-based ones the agent is already in."""
    body = _object(json_body())
    store, found = ql.store_of(), ql.queues(orgid)
    for name, kind in (("agentId", "user"), ("teamId", "team")):
        value = body.get(name)
        if value is not None and (not isinstance(value, str) or not store.exists(orgid, kind, value)):
            raise ApiError(400, f"{name}: {str(value)[:60]} not found for given orgId.")
    found = [q for q in found if q.get("manuallyAssignable") is True]
    if body.get("agentId"):
        mine = {q["id"] for q in ql.agent_based(orgid, store.get(orgid, "user", body["agentId"]))}
        found = [q for q in found if q["id"] not in mine]
    return json_response(ql.envelope(orgid, [ql.mapped(q) for q in found]))


def grouped_assistant_skill(orgid):
    """Per assistant skill: how many queues map it and when one last did."""
    ids = _ids(_object(json_body()), "assistantSkillIds")
    page, size = paging(request.args)
    rows = []
    for sid in dict.fromkeys(ids):
        mapped = [q for q in ql.queues(orgid) if (q.get("assistantSkill") or {}).get("assistantSkillId") == sid]
        times = [q["assistantSkill"].get("assistantSkillUpdatedTime") for q in mapped]
        row = {"assistantSkillId": sid, "associatedQueueCount": len(mapped)}
        if any(isinstance(t, int) for t in times):
            row["lastAssistantSkillUpdatedTime"] = max(t for t in times if isinstance(t, int))
        rows.append(row)
    meta = envelope_meta(orgid, f"v2/{ql.KIND}/fetch-by-grouped-assistant-skill", page, size, len(rows))
    return json_response({"meta": meta, "data": rows[page * size:(page + 1) * size]})


def _save(org: str, q: dict, now: int) -> None:
    ql.store_of().put(org, ql.KIND, {**q, "version": q.get("version", 0) + 1, "lastUpdatedTime": now})


def delete_reference(orgid):
    """Remove a team, a user or a skill from every queue that names it (``{"references": {"teamId": id}}``)."""
    refs = _object(json_body()).get("references")
    if not isinstance(refs, dict) or not refs or not all(isinstance(v, str) for v in refs.values()):
        raise ApiError(400, "references: required, an object such as {\"teamId\": \"<id>\"}.")
    unknown = sorted(set(refs) - {"teamId", "userId", "skillId"})
    if unknown:
        raise ApiError(400, f"references: unsupported key(s) {', '.join(unknown)} (teamId, userId, skillId).")
    from .crud import engine_of
    store, now, changed = ql.store_of(), engine_of(ql.KIND).rt.clock.now_ms(), []
    with store.atomic():
        updates = []
        for q in ql.queues(orgid):
            new = _without(q, refs)
            if new != q:
                if not new.get("callDistributionGroups"):
                    raise ApiError(409, f"callDistributionGroups: removing the reference would leave queue "
                                        f"{q['id']} without a call distribution group; nothing was changed.")
                updates.append(new)
        for new in updates:
            _save(orgid, new, now)
            changed.append(new["id"])
    return json_response({"code": 200, "details": {"references": refs, "updatedQueueIds": changed}, "links": []})


def _without(q: dict, refs: dict) -> dict:
    out = dict(q)
    if "teamId" in refs and q.get("callDistributionGroups"):
        groups = [{**g, "agentGroups": [a for a in g.get("agentGroups") or () if a.get("teamId") != refs["teamId"]]}
                  for g in q["callDistributionGroups"]]
        out["callDistributionGroups"] = [g for g in groups if g["agentGroups"]]
        if out["callDistributionGroups"] == q["callDistributionGroups"]:
            out["callDistributionGroups"] = q["callDistributionGroups"]
    if "userId" in refs and q.get("agents"):
        out["agents"] = [a for a in q["agents"] if a.get("id") != refs["userId"]]
        if len(out["agents"]) == len(q["agents"]):
            out["agents"] = q["agents"]
    if "skillId" in refs and q.get("queueSkillRequirements"):
        kept = [r for r in q["queueSkillRequirements"] if r.get("skillId") != refs["skillId"]]
        out["queueSkillRequirements"] = kept if len(kept) != len(q["queueSkillRequirements"]) \
            else q["queueSkillRequirements"]
    return out


def reassign_agents(orgid, id):
    """Add and remove agents of an agent-based queue (users must exist; the queue must be agent-based)."""
    body = _object(json_body())
    add, remove = _ids(body, "add"), _ids(body, "remove")
    from .crud import engine_of
    engine = engine_of(ql.KIND)
    with engine.store.atomic():
        q = engine.existing(orgid, id)
        if q.get("queueRoutingType") != "AGENT_BASED":
            raise ApiError(400, f"queueRoutingType: agents can be reassigned only on an AGENT_BASED queue "
                                f"(this one is {q.get('queueRoutingType')}).")
        for uid in add:
            if not engine.store.exists(orgid, "user", uid):
                raise ApiError(400, f"add: user {uid[:60]} not found for given orgId.")
        agents = [a for a in q.get("agents") or () if a.get("id") not in set(remove)]
        have = {a.get("id") for a in agents}
        for uid in add:
            if uid not in have:
                have.add(uid)
                agents.append({"id": uid, **({"ciUserId": c} if (c := engine.store.get(orgid, "user", uid)
                                                                   .get("ciUserId")) else {})})
        now = engine.rt.clock.now_ms()
        _save(orgid, {**q, "agents": agents, "agentsLastUpdatedTime": now}, now)
    return json_response({})


def routes(add) -> None:
    """The POST helpers (look-ups need only the read scope; the two writes need the write scope)."""
    k = ql.KIND
    for path, view, summary in (
            (f"{k}/fetch-by-dynamic-skills-and-skillProfile", by_dynamic_skills, "List CSQs by Skills and Profile"),
            (f"{k}/fetch-by-userId-skillProfileId", by_user_and_profile, "List CSQs by User and Profile"),
            (f"{k}/fetch-manually-assignable-queues", manually_assignable, "List Manually Assignable CSQs")):
        add(path, "POST", view, summary, 200, ENVELOPE, {"type": "object"}, rule="config-read")
    add(f"v2/{k}/fetch-by-grouped-assistant-skill", "POST", grouped_assistant_skill,
        "List queue mapping summary grouped by Assistant Skill", 200, ENVELOPE, {"type": "object"},
        params=("page", "pageSize"), rule="config-read")
    add(f"{k}/delete-reference", "POST", delete_reference, "Delete CSQ References", 200,
        {"type": "object"}, {"type": "object"})
    add(f"v2/{k}/<id>/reassign-agents", "POST", reassign_agents,
        "Add or remove agents/users to/from an agent based queue", 200, {"type": "object"}, {"type": "object"})
