"""Small look-ups and maintenance calls of single resources: dialed numbers, global variables, skills, profiles.

Each answers from the tenant's stored objects at the time of the call, so it stays true after any write.
"""
from __future__ import annotations

from flask import Response, request

from ..http.jsonutil import json_response


def _engine(kind):
    from .crud import engine_of
    return engine_of(kind)


# -- dial-number ---------------------------------------------------------------------------------------------
def numbers_only(orgid):
    """Every mapped number (``dialledNumber``), unpaged, in list order."""
    docs = _engine("dial-number").store.list(orgid, "dial-number")
    return json_response([d["dialledNumber"] for d in docs if d.get("dialledNumber")])


def delete_all(orgid):
    """Remove every dialed number mapping of the organisation (412, and nothing removed, if any is referenced)."""
    engine = _engine("dial-number")
    with engine.store.atomic():
        docs = list(engine.store.list(orgid, "dial-number"))
        for doc in docs:
            engine.refuse_if_referenced(orgid, doc["id"])
        for doc in docs:
            engine.store.delete(orgid, "dial-number", doc["id"])
    # The spec documents 200 without a body; deletes answer 204 live (webex-cc-facts.md 3.5).
    return Response(status=204)


# -- cad-variable ----------------------------------------------------------------------------------------------
def reportable_count(orgid):
    """How many global variables are reportable (and how many of each type).

    The spec documents only "a map of counts" ([U]); the mock's keys: ``reportable`` (the total, what the
    Control Hub page shows against its limit) and one per ``variableType``.
    """
    docs = _engine("cad-variable").store.scan(orgid, "cad-variable", lambda d: d.get("reportable") is True)
    counts = {"reportable": len(docs)}
    for doc in docs:
        kind = str(doc.get("variableType", "STRING")).upper().replace("DATETIME", "DATE_TIME")
        counts[kind] = counts.get(kind, 0) + 1
    return json_response(counts)


# -- skill -----------------------------------------------------------------------------------------------------
def populate_json_attr(orgid, id):
    """A maintenance call of the vendor's (it rebuilds a derived column); the mock checks the skill exists."""
    _engine("skill").existing(orgid, id)
    return Response(status=200)


# -- user-profile ----------------------------------------------------------------------------------------------
def _merged_resources(profile: dict) -> list[dict]:
    """The profile's resource types across its collections: one entry per name, ``ALL`` winning over ids."""
    merged: dict[str, dict] = {}
    for collection in profile.get("resourceCollections") or ():
        for res in collection.get("resources") or ():
            name = res.get("name")
            if not name:
                continue
            entry = merged.setdefault(name, {"name": name, "accessLevel": res.get("accessLevel", "NONE"), "ids": []})
            if res.get("accessLevel") == "ALL":
                entry.update(accessLevel="ALL", ids=[])
            elif entry["accessLevel"] != "ALL":
                entry["accessLevel"] = res.get("accessLevel", entry["accessLevel"])
                entry["ids"] += [i for i in res.get("ids") or () if i not in entry["ids"]]
    return list(merged.values())


def acl(orgid, id):
    """AccessControlListDTO: the profile's permissions and the resources its collections grant."""
    profile = _engine("user-profile").get(orgid, id)
    raw = request.args.getlist("names")
    names = {n.strip() for value in raw for n in value.split(",") if n.strip()}
    resources = [r for r in _merged_resources(profile) if not names or r["name"] in names]
    keep = ("organizationId", "id", "version", "name", "profileType", "description", "active",
            "permissionAccessLevel", "resourceAccessLevel", "editableFolderIds", "viewableFolderIds",
            "nonViewableFolderIds", "defaultResourceCollectionId", "resourceCollections", "permissions",
            "createdTime", "lastUpdatedTime")
    return json_response({**{k: profile[k] for k in keep if k in profile}, "resources": resources})


NAMES = {"name": "names", "in": "query", "required": False, "schema": {"type": "array", "items": {"type": "string"}},
         "style": "form", "explode": False, "description": "Resource names to keep in the ACL (default all)."}
NUMBERS = {"type": "array", "items": {"type": "string"}}
COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "format": "int64"}}


def routes(spec, add) -> None:
    """The look-ups of the resource being built."""
    if spec.kind == "dial-number":
        add("dial-number/numbers-only", "GET", numbers_only, "List only the dialed numbers", 200, NUMBERS)
        add("dial-number", "DELETE", delete_all, "Delete all Dialed Number Mapping(s)", 204)
    elif spec.kind == "cad-variable":
        add("cad-variable/reportable-count", "GET", reportable_count, "Get reportable count for Global Variable(s)",
            200, COUNTS)
    elif spec.kind == "skill":
        add("skill/populate-json-attr/<id>", "POST", populate_json_attr, "Populate json-attributes of a skill", 200,
            rule="config-write")
    elif spec.kind == "user-profile":
        add("v3/user-profile/<id>/acl", "GET", acl, "Get specific User Profile ACL by ID", 200,
            {"type": "object"}, params=(NAMES,))
