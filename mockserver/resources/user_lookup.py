"""User look-ups and skill changes (``user/...``): by CI id, with profile, by skills, by ids; reskill in place.

Everything reads the stored users, profiles, skills and queues at call time. Reskilling writes the user
(version + 1) so the queue look-ups and the user list see it at once.
"""
from __future__ import annotations

from flask import Response, request

from ..clock import new_id
from ..http.errors import ApiError, error_body
from ..http.jsonutil import json_response
from . import queue_lookup as ql
from . import skillmatch as sm
from .crud import engine_of, json_body
from .listing import envelope_meta, paging

LEGACY_LEVELS = (("accessAllEntryPoints", "entryPoint", "entryPoints"), ("accessAllSites", "site", "sites"),
                 ("accessAllQueues", "queue", "queues"), ("accessAllTeams", "team", "teams"))
SKILL_VALUES = ("textValue", "booleanValue", "proficiencyValue", "enumSkillValues")


def _engine():
    return engine_of("user")


def legacy_profile(profile: dict) -> dict:
    """``userProfileData`` (the v1 UserProfileDTO) from a stored v3 profile: levels from its access levels."""
    from .lookups import _merged_resources
    level = profile.get("resourceAccessLevel", "ALL")
    out = {k: profile[k] for k in ("organizationId", "id", "version", "name", "description", "profileType", "active",
                                   "editableFolderIds", "viewableFolderIds", "nonViewableFolderIds",
                                   "systemDefault", "createdTime", "lastUpdatedTime") if k in profile}
    out["accessAllModules"] = profile.get("permissionAccessLevel", "ALL")
    merged = {r["name"]: r for r in _merged_resources(profile)}
    for field, name, ids in LEGACY_LEVELS:
        res = merged.get(name) or merged.get(ids)
        out[field] = res["accessLevel"] if res else level
        if res and res.get("ids"):
            out[ids] = res["ids"]
    return out


def with_profile(org: str, u: dict, granular: bool = False) -> dict:
    """The user with ``userProfileData`` (or the v3 ``userProfileGranularAccessData``) and ``queuesCount``."""
    profile = _engine().store.get(org, "user-profile", u.get("userProfileId")) if u.get("userProfileId") else None
    out = {**u, "queuesCount": ql.counts(org, u)}
    if profile:
        out["userProfileType"] = profile.get("profileType")
        if granular:
            out["userProfileGranularAccessData"] = profile
        else:
            out["userProfileData"] = legacy_profile(profile)
    return out


def _flag(name: str) -> bool:
    value = request.args.get(name, "false").lower()
    if value not in ("true", "false"):
        raise ApiError(400, f"{name}: must be true or false.")
    return value == "true"


def by_ci(orgid, id):
    """A user by CI user id (``includeUserProfile=true`` adds the profile)."""
    include = _flag("includeUserProfile")
    u = ql.user(orgid, id, by_ci=True)
    return json_response(with_profile(orgid, u) if include else {**u, "queuesCount": ql.counts(orgid, u)})


def by_ci_v2(orgid, id):
    """A user by CI user id with the v3 profile (``includeUserProfile``); ``includeNames`` is accepted."""
    _flag("includeNames")
    include = _flag("includeUserProfile")
    u = ql.user(orgid, id, by_ci=True)
    return json_response(with_profile(orgid, u, True) if include else {**u, "queuesCount": ql.counts(orgid, u)})


def all_with_profile(orgid):
    """Every user with the profile (a bare array, as the spec documents)."""
    return json_response([with_profile(orgid, u) for u in _engine().store.list(orgid, "user")])


def one_with_profile(orgid, id):
    """One user with the profile."""
    return json_response(with_profile(orgid, _engine().get(orgid, id)))


def _page(orgid: str, path: str, rows: list, default_size: int = 100) -> dict:
    page, size = paging(request.args if "pageSize" in request.args else {**request.args.to_dict(),
                                                                         "pageSize": str(default_size)})
    return {"meta": envelope_meta(orgid, path, page, size, len(rows)), "data": rows[page * size:(page + 1) * size]}


def _search(rows: list, columns) -> list:
    term = (request.args.get("search") or "").strip().strip('"').lower()
    if not term:
        return rows
    return [r for r in rows if any(term in str(c(r)).lower() for c in columns)]


def by_dynamic_skill(orgid, skillId):
    """Users holding a dynamic skill, each with their value of it (search over names, email and value)."""
    if not _engine().store.exists(orgid, "skill", skillId):
        raise ApiError(404, f"Skill with id {skillId} not found for given orgId.")
    rows = []
    for u in _engine().store.list(orgid, "user"):
        for d in u.get("dynamicSkills") or ():
            if d.get("skillId") == skillId:
                rows.append({**{k: u[k] for k in ("organizationId", "id", "firstName", "lastName", "email") if k in u},
                             "dynamicSkill": d})
    rows = _search(rows, (lambda r: r.get("firstName", ""), lambda r: r.get("lastName", ""),
                          lambda r: r.get("email", ""), lambda r: sm.value_of(r["dynamicSkill"])))
    return json_response(_page(orgid, f"user/by-dynamic-skill-id/{skillId}", rows))


def by_skill_requirements(orgid):
    """Agents whose skill profile and dynamic skills meet every requirement sent."""
    body = json_body()
    reqs = sm.check_requirements(body.get("skillRequirements") if isinstance(body, dict) else None)
    store, rows = _engine().store, []
    for u in store.list(orgid, "user"):
        profile = sm.profile_values(store, orgid, u.get("skillProfileId"))
        if sm.score(reqs, profile, sm.dynamic_values(u.get("dynamicSkills"))) is not None:
            row = {k: u[k] for k in ("organizationId", "id", "version", "firstName", "lastName", "email",
                                     "createdTime", "lastUpdatedTime") if k in u}
            name = store.get(orgid, "skill-profile", u["skillProfileId"]) if u.get("skillProfileId") else None
            rows.append({**row, **({"skillProfileName": name["name"]} if name else {})})
    rows = _search(rows, (lambda r: r.get("firstName", ""), lambda r: r.get("lastName", ""),
                          lambda r: r.get("email", "")))
    return json_response(_page(orgid, "user/fetch-by-skill-requirements", rows))


def details_by_ids(orgid):
    """Names and email of the users asked for (ids that do not resolve are left out); ``queueId`` narrows
    to the users serving that queue, ``search`` to names and email containing the text."""
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object.")
    ids = body.get("userIds")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or len(ids) > 1000:
        raise ApiError(400, "userIds: required, a list of at most 1000 user ids.")
    store = _engine().store
    users = [u for u in (store.get(orgid, "user", i) for i in dict.fromkeys(ids)) if u]
    if body.get("queueId") is not None:
        q = store.get(orgid, ql.KIND, body["queueId"]) if isinstance(body["queueId"], str) else None
        if q is None:
            raise ApiError(400, f"queueId: {str(body['queueId'])[:60]} not found for given orgId.")
        users = [u for u in users if ql.user_teams(orgid, u) & ql.team_ids(q)
                 or any(a.get("id") == u["id"] for a in q.get("agents") or ())]
    term = str(body.get("search") or "").lower()
    rows = [{k: u[k] for k in ("id", "firstName", "lastName", "email") if k in u} for u in users]
    rows = [r for r in rows if not term or any(term in str(v).lower() for k, v in r.items() if k != "id")]
    return json_response(_page(orgid, "user/fetch-user-details-by-ids", rows, default_size=10))


def _assignment(store, org: str, skill_id: str, item: dict, old: dict | None) -> dict:
    """A dynamic skill assignment from a request item, checked against the skill."""
    skill = store.get(org, "skill", skill_id) if isinstance(skill_id, str) else None
    if skill is None:
        raise ApiError(400, f"skillId: {str(skill_id)[:60]} not found for given orgId.")
    if skill.get("dynamicSkill") is not True:
        raise ApiError(400, f"skillId: {skill_id} is not a dynamic skill.")
    values = {k: item[k] for k in SKILL_VALUES if item.get(k) is not None}
    kinds = {"textValue": str, "booleanValue": bool, "proficiencyValue": int, "enumSkillValues": (list, str)}
    for name, value in values.items():
        if not isinstance(value, kinds[name]) or (name == "proficiencyValue" and isinstance(value, bool)) or \
                (isinstance(value, list) and not all(isinstance(v, str) for v in value)):
            raise ApiError(400, f"{name}: wrong type.")
    if len(str(values.get("textValue", ""))) > 100:
        raise ApiError(400, "textValue: at most 100 characters.")
    if isinstance(values.get("enumSkillValues"), list):
        values["enumSkillValues"] = ",".join(str(v) for v in values["enumSkillValues"])
    if not values:
        raise ApiError(400, "A dynamic skill needs a value: textValue, booleanValue, proficiencyValue or "
                            "enumSkillValues.")
    pv = values.get("proficiencyValue")
    if pv is not None and (not isinstance(pv, int) or isinstance(pv, bool) or not 0 <= pv <= 10):
        raise ApiError(400, "proficiencyValue: must be an integer from 0 to 10.")
    base = {"organizationId": org, "id": (old or {}).get("id") or new_id(), "version": 0}
    return {**base, "skillId": skill_id, "skillName": skill.get("name"), **values}


def _write_user(org: str, u: dict, now: int, **changes) -> None:
    _engine().store.put(org, "user", {**u, **changes, "version": u.get("version", 0) + 1, "lastUpdatedTime": now})


def reskill(orgid, id):
    """Assign a skill profile and add or remove dynamic skills of one user (204)."""
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object.")
    engine = _engine()
    dyn = {} if body.get("dynamicSkills") is None else body["dynamicSkills"]
    if not isinstance(dyn, dict) or not isinstance(dyn.get("add", []), list) or \
            not isinstance(dyn.get("remove", []), list):
        raise ApiError(400, "dynamicSkills: expected {add: [..], remove: [skillId, ..]}.")
    with engine.store.atomic():
        u = engine.existing(orgid, id)
        now, changes = engine.rt.clock.now_ms(), {}
        if "skillProfileId" in body:
            sp = body["skillProfileId"]
            if sp is not None and (not isinstance(sp, str) or not engine.store.exists(orgid, "skill-profile", sp)):
                raise ApiError(400, f"skillProfileId: {str(sp)[:60]} not found for given orgId.")
            changes.update(skillProfileId=sp, skillProfileUpdatedTime=now)
            if sp is None:
                changes.pop("skillProfileId")
        skills = {d["skillId"]: d for d in u.get("dynamicSkills") or ()}
        if not all(isinstance(sid, str) for sid in dyn.get("remove", [])):
            raise ApiError(400, "dynamicSkills.remove: must be a list of skill ids.")
        for sid in dyn.get("remove", []):
            skills.pop(sid, None)
        for item in dyn.get("add", []):
            item = item if isinstance(item, dict) else {}
            sid = item.get("skillId")
            skills[sid] = _assignment(engine.store, orgid, sid, item, skills.get(sid) if isinstance(sid, str) else None)
        if dyn:
            changes.update(dynamicSkills=list(skills.values()), dynamicSkillsUpdatedTime=now,
                           dynamicSkillAssigned=bool(skills))
        doc = {k: v for k, v in u.items() if not (k == "skillProfileId" and "skillProfileId" in body)}
        _write_user(orgid, doc, now, **changes)
    return Response(status=204)


def bulk_dynamic_skill(orgid, skillId):
    """Assign (SAVE) or unassign (DELETE) one dynamic skill on many users: one result per item (207)."""
    body = json_body()
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or len(items) > 1000:
        raise ApiError(400, "items: required, a list of at most 1000 {itemIdentifier, requestAction, item}.")
    engine = _engine()
    if not engine.store.exists(orgid, "skill", skillId):
        raise ApiError(404, f"Skill with id {skillId} not found for given orgId.")
    out = []
    for raw in items:
        raw = raw if isinstance(raw, dict) else {}
        ident, action, item = raw.get("itemIdentifier"), raw.get("requestAction"), raw.get("item")
        result = {"itemIdentifier": ident} if isinstance(ident, int) and not isinstance(ident, bool) else {}
        result["operationType"] = "DELETE" if action == "DELETE" else "UPDATE"
        try:
            uid = _bulk_item(orgid, skillId, action, item)
            result.update(status=200, href=f"/organization/{orgid}/user/{uid}")
        except ApiError as exc:
            result.update(status=exc.status, apiError=error_body(exc.status, exc.reason, exc.descriptions))
        out.append(result)
    return json_response({"items": out}, 207)


def _bulk_item(orgid: str, skill_id: str, action, item) -> str:
    if action not in ("SAVE", "DELETE"):
        raise ApiError(400, "requestAction: must be SAVE or DELETE.")
    if not isinstance(item, dict) or not isinstance(item.get("userId"), str):
        raise ApiError(400, "item.userId: required.")
    engine = _engine()
    with engine.store.atomic():
        u = engine.existing(orgid, item["userId"])
        skills = {d["skillId"]: d for d in u.get("dynamicSkills") or ()}
        if action == "DELETE":
            skills.pop(skill_id, None)
        else:
            skills[skill_id] = _assignment(engine.store, orgid, skill_id, item, skills.get(skill_id))
        now = engine.rt.clock.now_ms()
        _write_user(orgid, u, now, dynamicSkills=list(skills.values()), dynamicSkillsUpdatedTime=now,
                    dynamicSkillAssigned=bool(skills))
    return u["id"]


OBJ, ARR = {"type": "object"}, {"type": "array", "items": {"type": "object"}}


def routes(spec, add) -> None:
    """Every user look-up and skill change route."""
    add("user/by-ci-user-id/<id>", "GET", by_ci, "Get specific User by CI User ID", 200, OBJ)
    add("v2/user/by-ci-user-id/<id>", "GET", by_ci_v2, "Get specific User by CI User ID (v3 profile)", 200, OBJ)
    add("user/with-user-profile", "GET", all_with_profile, "List Users along with profile", 200, ARR)
    add("user/with-user-profile/<id>", "GET", one_with_profile, "Get specific User along with profile by ID", 200,
        OBJ)
    add("user/by-dynamic-skill-id/<skillId>", "GET", by_dynamic_skill, "Get users by dynamic skill ID", 200, OBJ,
        params=("search", "page", "pageSize"))
    add("user/fetch-by-skill-requirements", "POST", by_skill_requirements,
        "Get the agents matching skill requirements criteria", 200, OBJ, OBJ,
        params=("search", "page", "pageSize"), rule="config-read")
    add("user/fetch-user-details-by-ids", "POST", details_by_ids, "Fetch User details by IDs", 200, OBJ, OBJ,
        params=("page", "pageSize"), rule="config-read")
    add("user/<id>/reskill", "PATCH", reskill, "Reskill Agents", 204, body=OBJ)
    add("user/bulk/update-dynamic-skill/<skillId>", "PATCH", bulk_dynamic_skill, "Bulk update User dynamic skills",
        207, OBJ, OBJ)
