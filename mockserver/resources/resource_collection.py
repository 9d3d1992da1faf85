"""Resource collection (``resource-collection``): named sets of resources a user profile grants access to.

``update-resource`` files one resource under a collection: each collection named in the request gains the
resource id in its entry of that resource type (made ``SPECIFIC`` if it was ``NONE``), the others lose it.
"""
from __future__ import annotations

import marshmallow as ma

from ..http.errors import ApiError, error_body, validation_descriptions
from ..http.jsonutil import json_response
from .spec import DTO, Child, Ids, Long, Nest, Resource, Str, tag

LEVELS = ("SPECIFIC", "ALL", "PROVISIONED_VALUE", "NONE")
MAX_COLLECTIONS = 100


class CollectionResourceTypesDTO(Child):
    """The resources of one type in the collection."""

    name = Str(required=True)
    accessLevel = Str(required=True, enum=LEVELS)
    ids = Ids()


class ResourceCollection(DTO):
    """A resource collection."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z\d\-_\s]+$")
    description = Str(max=255)
    resources = Nest(CollectionResourceTypesDTO, many=True)
    resourceCount = Long(metadata={"description": "Read-only: how many resources the collection lists."})


class ResourceCollectionDetails(Child):
    id = ma.fields.String(required=True, validate=ma.validate.Length(min=1))


class UpdateResourceRequestDTO(Child):
    """Which collections a resource belongs to."""

    resourceType = ma.fields.String(required=True, validate=ma.validate.Length(min=1))
    resourceId = ma.fields.String(required=True, validate=ma.validate.Length(min=1))
    resourceCollections = Nest(ResourceCollectionDetails, many=True)


def example(make) -> dict:
    """A minimal valid collection of one site."""
    return {"name": f"Collection {tag()}", "resources": [{"name": "site", "accessLevel": "SPECIFIC",
                                                           "ids": [make("site")]}]}


def count(doc: dict) -> None:
    """``resourceCount``: the ids listed over every resource type."""
    doc["resourceCount"] = sum(len(r.get("ids") or []) for r in doc.get("resources") or [])


def _object(body):
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object (UpdateResourceRequestDTO).")
    return body


def _update_resource(orgid):
    """``POST resource-collection/update-resource`` -> ``UpdateResourceResponseDTO`` (one row per collection)."""
    from .crud import engine_of, json_body
    engine = engine_of("resource-collection")
    try:
        req = UpdateResourceRequestDTO().load(_object(json_body()))
    except ma.ValidationError as exc:
        lines = validation_descriptions(exc.messages)
        raise ApiError(400, "; ".join(lines), descriptions=lines) from None
    rtype, rid = req["resourceType"], req["resourceId"]
    if rtype in engine.catalog.specs and not engine.store.exists(orgid, rtype, rid):
        raise ApiError(400, f"resourceId: {rid} not found for given orgId.")
    wanted = [c["id"] for c in req.get("resourceCollections") or []][:MAX_COLLECTIONS]
    rows = []
    with engine.store.atomic():
        for cid in wanted:
            row = {"id": cid, "resourceType": rtype}
            try:
                _file_under(engine, orgid, cid, rtype, rid)
                row["status"] = 200
            except ApiError as exc:
                row.update(status=exc.status, apiError=error_body(exc.status, exc.reason, exc.descriptions))
            rows.append(row)
    return json_response({"response": rows}, 201)


def _file_under(engine, org: str, cid: str, rtype: str, rid: str) -> None:
    doc = engine.existing(org, cid)
    resources = [dict(r) for r in doc.get("resources") or []]
    entry = next((r for r in resources if r.get("name") == rtype), None)
    if entry is None:
        entry = {"name": rtype, "accessLevel": "SPECIFIC", "ids": []}
        resources.append(entry)
    if entry.get("accessLevel") == "NONE":
        entry["accessLevel"] = "SPECIFIC"
    if rid not in (entry.get("ids") or []):
        entry["ids"] = [*(entry.get("ids") or []), rid]
    body = {k: v for k, v in doc.items() if k in engine.spec.fields}
    engine.replace(org, cid, {**body, "resources": resources, "version": None})


def routes(spec, add) -> None:
    """``POST resource-collection/update-resource``."""
    add("resource-collection/update-resource", "POST", _update_resource,
        "Add a resource to resource collections", 201,
        {"type": "object", "properties": {"response": {"type": "array", "items": {"type": "object"}}}},
        body=UpdateResourceRequestDTO)


SPEC = Resource(
    "resource-collection", "Resource Collection", ResourceCollection, example,
    vendor_schema="ResourceCollectionDTO",  # the spec's name for the body (constraints.py)
    v1_list=None,
    bulk={"resource-collection/bulk": "PATCH"},
    list_drop=("resources",),
    readonly=("resourceCount",),
    search=("name", "description"),
    extras=("resource_collection",),
    computed=count,
)
