"""OpenAPI documentation of the configuration API: the Webex error body, paging envelopes, bulk bodies.

These schemas only document; responses are stored documents returned as they are (never dumped).
"""
from __future__ import annotations

import functools

import marshmallow as ma

from ..http.errors import ApiErrorResponse


class PagingMeta(ma.Schema):
    """``meta`` of a paged list."""

    orgid = ma.fields.String()
    page = ma.fields.Integer()
    pageSize = ma.fields.Integer()
    totalPages = ma.fields.Integer()
    totalRecords = ma.fields.Integer()
    links = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class ReferencesMeta(PagingMeta):
    """``meta`` of incoming-references."""

    referencedEntities = ma.fields.List(ma.fields.String())
    currentEntity = ma.fields.String()


class EntityInfo(ma.Schema):
    """One referencing object."""

    id = ma.fields.String()
    name = ma.fields.String()
    additionalAttributes = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    createdDate = ma.fields.String()
    lastModifiedDate = ma.fields.String()
    version = ma.fields.Integer()


class EntityReferenceInfo(ma.Schema):
    """Who references an object."""

    description = ma.fields.String()
    meta = ma.fields.Nested(ReferencesMeta)
    data = ma.fields.List(ma.fields.Nested(EntityInfo))


class BulkResponseItem(ma.Schema):
    """Outcome of one bulk item."""

    itemIdentifier = ma.fields.Integer()
    status = ma.fields.Integer()
    operationType = ma.fields.String()
    href = ma.fields.String()
    apiError = ma.fields.Nested(ApiErrorResponse)


class BulkResponse(ma.Schema):
    """207 body of a bulk request."""

    items = ma.fields.List(ma.fields.Nested(BulkResponseItem))


@functools.lru_cache(maxsize=None)  # one class per DTO per process: apispec names components by class
def bulk_request(schema):
    """The bulk request body of a resource."""
    item = type(f"BulkItem{schema.__name__}", (ma.Schema,), {
        "itemIdentifier": ma.fields.Integer(), "requestAction": ma.fields.String(metadata={"enum": ["SAVE", "DELETE"]}),
        "item": ma.fields.Nested(schema), "__doc__": "One bulk item."})
    return type(f"BulkRequest{schema.__name__}", (ma.Schema,), {
        "items": ma.fields.List(ma.fields.Nested(item)), "__doc__": "Bulk request."})


@functools.lru_cache(maxsize=None)
def list_item_schema(schema, dropped: tuple):
    """The DTO as list views show it: the array fields they drop are left out (webex-cc-facts.md 3.2).

    The vendor spec reuses the full DTO for list items, which would mark e.g. ``workingHours`` as required.
    """
    if not dropped:
        return schema
    meta = type("Meta", (getattr(schema, "Meta", object),), {"exclude": dropped})
    return type(f"{schema.__name__}ListItem", (schema,), {"Meta": meta, "__doc__": f"{schema.__name__} in a list."})


@functools.lru_cache(maxsize=None)
def page_schema(schema):
    """The paged list envelope of a resource."""
    return type(f"Page{schema.__name__}", (ma.Schema,), {
        "meta": ma.fields.Nested(PagingMeta), "data": ma.fields.List(ma.fields.Nested(schema)),
        "__doc__": "A page of the list."})
