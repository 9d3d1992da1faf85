"""Outdial ANI entries (``outdial-ani/{outDialAniId}/entry...``): the caller ids of one outdial ANI list.

The entries live inside their list (``outdialANIEntries`` of the outdial ANI document, what ``GET
/outdial-ani/{id}`` returns), so both views always agree: an entry written here is in the list's next GET, and
a list replaced by PUT has exactly the entries it was sent. Each write bumps the list's version.
"""
from __future__ import annotations

import marshmallow as ma
from flask import Response, request

from ..clock import new_id
from ..http.errors import ApiError, error_body, validation_descriptions
from ..http.jsonutil import json_response
from . import rsql
from .crud import engine_of, json_body
from .engine import MAX_BULK_ITEMS, SYSTEM_REASON, strip_nulls
from .listing import envelope_meta, paging
from .outdial_ani import OutdialANIEntryDTO

KIND, FIELD, PID = "outdial-ani", "outdialANIEntries", "outDialAniId"
SERVER = ("organizationId", "id", "version", "createdTime", "lastUpdatedTime")
_SCHEMA = OutdialANIEntryDTO()


def _engine():
    return engine_of(KIND)


def _load(payload) -> dict:
    if not isinstance(payload, dict):
        raise ApiError(400, "Request body must be a JSON object (Outdial ANI Entry).")
    try:
        data = _SCHEMA.load(payload)
    except ma.ValidationError as exc:
        lines = validation_descriptions(exc.messages)
        raise ApiError(400, "; ".join(lines), descriptions=lines) from None
    return strip_nulls({k: v for k, v in data.items() if k not in SERVER + ("links",)})


def _save(org: str, parent: dict, entries: list, now: int) -> None:
    _engine().store.put(org, KIND, {**parent, FIELD: entries, "version": parent.get("version", 0) + 1,
                                    "lastUpdatedTime": now})


def _entry(parent: dict, id: str) -> dict:
    for e in parent.get(FIELD) or ():
        if e.get("id") == id:
            return e
    raise ApiError(404, f"Outdial ANI Entry with id {id} not found for given orgId.")


def _check(parent: dict, data: dict, own: str | None) -> None:
    for e in parent.get(FIELD) or ():
        if e.get("id") != own and str(e.get("name", "")).lower() == data["name"].lower():
            raise ApiError(409, f"Similar entity is already present: name {data['name']!r} is already used by "
                                f"Outdial ANI Entry {e['id']}.")


def _put(org: str, parent: dict, data: dict, old: dict | None) -> dict:
    """Insert or replace one entry; a new default entry clears the flag on the others."""
    now = _engine().rt.clock.now_ms()
    _check(parent, data, old and old["id"])
    if old is None:
        entry = {"organizationId": org, "id": new_id(), "version": 0, **data, "createdTime": now,
                 "lastUpdatedTime": now}
    else:
        entry = {"organizationId": org, "id": old["id"], "version": old.get("version", 0) + 1, **data,
                 "createdTime": old.get("createdTime", now), "lastUpdatedTime": now}
    entries = [e for e in parent.get(FIELD) or () if not old or e.get("id") != old["id"]]
    if entry.get("defaultANIEntry") is True:
        entries = [{**e, "defaultANIEntry": False} if e.get("defaultANIEntry") else e for e in entries]
    if old is None:
        entries.append(entry)
    else:
        at = [e.get("id") for e in parent.get(FIELD) or ()].index(old["id"])
        entries.insert(min(at, len(entries)), entry)
    _save(org, parent, entries, now)
    return entry


def _create(org: str, pid: str, payload) -> dict:
    data = _load(payload)
    engine = _engine()
    with engine.store.atomic():
        return _put(org, engine.existing(org, pid), data, None)


def create(orgid, outDialAniId):
    """A new entry in the list (201)."""
    return json_response(_create(orgid, outDialAniId, json_body()), 201)


def get(orgid, outDialAniId, id):
    """One entry."""
    return json_response(_entry(_engine().existing(orgid, outDialAniId), id))


def replace(orgid, outDialAniId, id):
    """Replace one entry (its version + 1, the list's too)."""
    engine = _engine()
    _entry(engine.existing(orgid, outDialAniId), id)  # 404 before 400, as every item route
    data = _load(json_body())
    with engine.store.atomic():
        parent = engine.existing(orgid, outDialAniId)
        return json_response(_put(orgid, parent, data, _entry(parent, id)))


def _remove(org: str, pid: str, id: str) -> None:
    engine = _engine()
    with engine.store.atomic():
        parent = engine.existing(org, pid)
        _entry(parent, id)
        _save(org, parent, [e for e in parent.get(FIELD) or () if e.get("id") != id], engine.rt.clock.now_ms())


def delete(orgid, outDialAniId, id):
    """Remove one entry (204, as deletes answer live: webex-cc-facts.md 3.5)."""
    _remove(orgid, outDialAniId, id)
    return Response(status=204)


def bulk(orgid, outDialAniId):
    """SAVE (create) or DELETE entries one by one: one result per item (207)."""
    body = json_body()
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or len(items) > MAX_BULK_ITEMS:
        raise ApiError(400, f"items: required, a list of at most {MAX_BULK_ITEMS} {{itemIdentifier, requestAction, "
                            f"item}}.")
    _engine().existing(orgid, outDialAniId)
    out = []
    for raw in items:
        raw = raw if isinstance(raw, dict) else {}
        ident, action, item = raw.get("itemIdentifier"), raw.get("requestAction"), raw.get("item")
        result = {"itemIdentifier": ident} if isinstance(ident, int) and not isinstance(ident, bool) else {}
        result["operationType"] = "DELETE" if action == "DELETE" else "CREATE"
        try:
            status, id = _bulk_item(orgid, outDialAniId, action, item)
            result.update(status=status, href=f"/organization/{orgid}/{KIND}/{outDialAniId}/entry/{id}")
        except ApiError as exc:
            result.update(status=exc.status, apiError=error_body(exc.status, exc.reason, exc.descriptions))
        out.append(result)
    return json_response({"items": out}, 207)


def _bulk_item(org: str, pid: str, action, item) -> tuple[int, str]:
    if action not in ("SAVE", "DELETE"):
        raise ApiError(400, "requestAction: must be SAVE or DELETE.")
    if not isinstance(item, dict):
        raise ApiError(400, "item: required, a JSON object.")
    if action == "DELETE":
        if not item.get("id"):
            raise ApiError(400, "id: required to delete an item.")
        if set(item) <= {"id"}:  # as every bulk delete live (webex-cc-facts.md 3.4): the full object
            raise ApiError(400, SYSTEM_REASON)
        _remove(org, pid, item["id"])
        return 204, item["id"]
    if item.get("id"):  # as every bulk live (webex-cc-facts.md 3.4): no update through POST bulk
        raise ApiError(400, "New configuration cannot have an id.")
    return 201, _create(org, pid, item)["id"]


def _page(org: str, path: str, entries: list) -> dict:
    args = request.args
    page, size = paging(args)
    node = rsql.parse(args["filter"]) if args.get("filter") is not None else None
    allowed = {"id"} if path == f"{KIND}/entry" else {"id", "name", "number", "defaultANIEntry", "version"}
    bad = [f for f in (rsql.fields(node) if node is not None else ()) if f not in allowed]
    if bad:
        raise ApiError(400, f"filter: unknown field {bad[0]!r} for Outdial ANI Entry (supported: "
                            f"{', '.join(sorted(allowed))}).")
    found = [e for e in entries if node is None or node.matches(e)]
    term = (args.get("search") or "").strip().strip('"').lower()
    if "value==" in term:
        term = term.rsplit("value==", 1)[1].strip('"')
    found = [e for e in found if not term or term in str(e.get("name", "")).lower()]
    attributes = [a.strip() for a in (args.get("attributes") or "").split(",") if a.strip()]
    window = found[page * size:(page + 1) * size]
    if attributes:
        window = [{k: e[k] for k in attributes if k in e} for e in window]
    return {"meta": envelope_meta(org, path, page, size, len(found)), "data": window}


def list_of(orgid, outDialAniId):
    """The entries of one list, paged."""
    parent = _engine().existing(orgid, outDialAniId)
    return json_response(_page(orgid, f"v2/{KIND}/{outDialAniId}/entry", list(parent.get(FIELD) or ())))


def list_all(orgid):
    """Every entry of every list of the organisation, paged."""
    entries = [e for p in _engine().store.list(orgid, KIND) for e in p.get(FIELD) or ()]
    return json_response(_page(orgid, f"{KIND}/entry", entries))


def routes(spec, add) -> None:
    """The entry family."""
    item, coll = f"{KIND}/<{PID}>/entry/<id>", f"{KIND}/<{PID}>/entry"
    schema = OutdialANIEntryDTO
    add(coll, "POST", create, "Create a new Outdial ANI Entry", 201, schema, schema)
    add(f"{coll}/bulk", "POST", bulk, "Bulk save Outdial ANI Entry(s)", 207, {"type": "object"}, {"type": "object"})
    add(item, "GET", get, "Get specific Outdial ANI Entry by ID", 200, schema)
    add(item, "PUT", replace, "Update specific Outdial ANI Entry by ID", 200, schema, schema)
    add(item, "DELETE", delete, "Delete specific Outdial ANI Entry by ID", 204)
    lists = ("filter", "attributes", "search", "page", "pageSize")
    envelope = {"type": "object", "properties": {"meta": {"type": "object"}, "data": {"type": "array",
                                                 "items": {"$ref": "#/components/schemas/OutdialANIEntryDTO"}}}}
    add(f"v2/{coll}", "GET", list_of, "List Outdial ANI Entry(s)", 200, envelope, params=lists)
    add(f"{KIND}/entry", "GET", list_all, "List Outdial ANI Entry(s) of every list", 200, envelope, params=lists)
