"""Skill values and skill requirements: which agents (skill profile plus dynamic skills) a queue's skills admit.

Values come from the tenant's stored objects: a skill profile's ``activeSkills`` and ``activeEnumSkills``, and a
user's ``dynamicSkills`` (a dynamic skill assigned to the user wins over the profile's value of the same skill).
A requirement is ``{skillId, condition, skillValue}``; the conditions the vendor's tenants use are ``IS``,
``IS_NOT`` and, for proficiencies, ``GTE``/``LTE``/``GT``/``LT`` (also accepted as ``=``, ``!=``, ``>=``, ...).
"""
from __future__ import annotations

from ..http.errors import ApiError

CONDITIONS = {
    "IS": "eq", "EQUALS": "eq", "=": "eq", "==": "eq",
    "IS_NOT": "ne", "NOT_EQUALS": "ne", "!=": "ne",
    "GTE": "ge", ">=": "ge", "LTE": "le", "<=": "le", "GT": "gt", ">": "gt", "LT": "lt", "<": "lt",
}
MAX_REQUIREMENTS = 50  # "Maximum of 50 skill requirements criteria can be passed in the request" (spec)


def _enum_names(store, org, skill_id: str, value_ids) -> set[str]:
    skill = store.get(org, "skill", skill_id) or {}
    names = {v.get("id"): v.get("name") for v in skill.get("enumSkillValues") or ()}
    return {str(names.get(i, i)).lower() for i in value_ids if i}


def value_of(entry: dict):
    """The value an assignment carries: proficiency, boolean, text or enum names (as a set); None for none
    (a value of the wrong JSON type counts as none: request bodies reach here unvalidated)."""
    pv = entry.get("proficiencyValue")
    if isinstance(pv, int) and not isinstance(pv, bool):
        return pv
    if isinstance(entry.get("textValue"), str):
        return entry["textValue"]
    raw = entry.get("enumSkillValues")
    if isinstance(raw, (list, str)):
        items = raw if isinstance(raw, list) else raw.split(",")
        return {str(v).strip().lower() for v in items if str(v).strip()}
    if isinstance(entry.get("booleanValue"), bool):
        return entry["booleanValue"]
    return None


def profile_values(store, org: str, profile_id: str | None) -> dict:
    """``{skillId: value}`` of a skill profile (empty when unset or gone)."""
    profile = store.get(org, "skill-profile", profile_id) if profile_id else None
    if not profile:
        return {}
    out = {s["skillId"]: value_of(s) for s in profile.get("activeSkills") or () if s.get("skillId")}
    enums: dict[str, list] = {}
    for e in profile.get("activeEnumSkills") or ():
        if e.get("enumSkillId"):
            enums.setdefault(e["enumSkillId"], []).append(e.get("enumSkillValueId") or e.get("enumSkillValue"))
    for skill_id, ids in enums.items():
        out[skill_id] = _enum_names(store, org, skill_id, ids)
    return out


def dynamic_values(entries) -> dict:
    """``{skillId: value}`` of dynamic skill assignments (a user's ``dynamicSkills`` or a request's)."""
    return {e["skillId"]: value_of(e) for e in entries or ()
            if isinstance(e, dict) and isinstance(e.get("skillId"), str) and e["skillId"]}


def check_requirements(reqs) -> list[dict]:
    """A request's requirements, or a 400 naming what is wrong."""
    if not isinstance(reqs, list) or not reqs:
        raise ApiError(400, "skillRequirements: required, a non-empty list of {skillId, condition, skillValue}.")
    if len(reqs) > MAX_REQUIREMENTS:
        raise ApiError(400, f"skillRequirements: at most {MAX_REQUIREMENTS} criteria per request.")
    for i, req in enumerate(reqs):
        if not isinstance(req, dict) or not all(isinstance(req.get(k), str) for k in ("skillId", "condition",
                                                                                       "skillValue")) \
                or (req.get("weight") is not None and not isinstance(req["weight"], int)):
            raise ApiError(400, f"skillRequirements[{i}]: skillId, condition and skillValue are required strings.")
        if req["condition"].upper() not in CONDITIONS:
            raise ApiError(400, f"skillRequirements[{i}].condition: unsupported condition {req['condition'][:40]!r}.")
    return reqs


def satisfies(req: dict, value) -> bool:
    """Whether one value meets one requirement (a missing value meets only ``IS_NOT``)."""
    op = CONDITIONS.get(str(req.get("condition", "")).upper())
    wanted = str(req.get("skillValue", "")).strip()
    if value is None:
        return op == "ne"
    if isinstance(value, set):
        hit = wanted.lower() in value
    elif isinstance(value, bool):
        hit = (wanted.lower() == "true") == value
    elif isinstance(value, int):
        try:
            number = int(float(wanted))
        except ValueError:
            return False
        return {"eq": value == number, "ne": value != number, "ge": value >= number, "le": value <= number,
                "gt": value > number, "lt": value < number}.get(op, False)
    else:
        hit = value.lower() == wanted.lower()
    return {"eq": hit, "ne": not hit}.get(op, False)


def score(reqs, profile: dict, dynamic: dict) -> dict | None:
    """How a set of values meets a queue's requirements, or None when some requirement fails.

    ``skillScore``/``dynamicSkillScore``: the weights (1 when unset) of the requirements met by the profile's
    values and by dynamic skills; the ``*Match`` flags say whether each source took part.
    """
    prof = dyn = 0
    for req in reqs or ():
        sid, weight = req.get("skillId"), req.get("weight")
        weight = weight if isinstance(weight, int) and not isinstance(weight, bool) and weight > 0 else 1
        if sid in dynamic:
            if not satisfies(req, dynamic[sid]):
                return None
            dyn += weight
        elif satisfies(req, profile.get(sid)):
            prof += weight
        else:
            return None
    return {"skillScore": prof, "dynamicSkillScore": dyn, "skillProfileSkillsMatch": prof > 0,
            "dynamicSkillsMatch": dyn > 0}
