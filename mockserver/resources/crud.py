"""The blueprint factory: from a resource declaration, the vendor's routes under ``/organization/<orgid>/``.

Views are short and alike: parse, call the engine, return JSON bytes. Status codes follow the live service
where the spec disagrees (webex-cc-facts.md 3.5): create 201 and delete 204 everywhere.
"""
from __future__ import annotations

import marshmallow as ma
from flask import Response, request
from flask_smorest import Blueprint

from ..errors import ApiError
from ..jsonutil import json_response, loads, raw_response
from .engine import Engine
from .listing import Lister, PageCache

LIST_PARAMS = {
    "filter": "RSQL filter: ==, != (with * wildcards), =in=(..), =out=(..), ';' and, ',' or, parentheses.",
    "attributes": "Comma-separated fields to return, e.g. id,name.",
    "search": "Keyword over the resource's search columns, or field==\"name\";value==\"x\".",
    "page": "Page number, 0-based (default 0).",
    "pageSize": "Items per page (default 100, clamped to 1000).",
}


class Catalog:
    """Every registered resource of an app: engines by kind, who references whom, sub-collections."""

    def __init__(self, rt):
        self.rt, self.specs, self.engines = rt, {}, {}
        self.incoming: dict[str, list] = {}
        self.children: dict[str, list] = {}
        self.cache = PageCache()

    def add(self, spec) -> Engine:
        self.specs[spec.kind] = spec
        engine = self.engines[spec.kind] = Engine(spec, self, self.rt)
        engine.lister = Lister(engine)
        for ref in spec.refs:
            self.incoming.setdefault(ref.kind, []).append((spec, ref))
        if spec.parent:
            self.children.setdefault(spec.parent[0], []).append(spec)
        return engine


# -- OpenAPI documentation helpers ------------------------------------------------------------------------
class ErrorMessage(ma.Schema):
    """One error description."""

    description = ma.fields.String()


class ErrorDetail(ma.Schema):
    """The ``error`` object of a Webex error."""

    key = ma.fields.String()
    reason = ma.fields.String()
    message = ma.fields.List(ma.fields.Nested(ErrorMessage))
    referencedEntities = ma.fields.List(ma.fields.String())


class ApiErrorResponse(ma.Schema):
    """The Webex error body."""

    trackingId = ma.fields.String()
    error = ma.fields.Nested(ErrorDetail)


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


def _bulk_request(schema):
    item = type(f"BulkItem{schema.__name__}", (ma.Schema,), {
        "itemIdentifier": ma.fields.Integer(), "requestAction": ma.fields.String(metadata={"enum": ["SAVE", "DELETE"]}),
        "item": ma.fields.Nested(schema), "__doc__": "One bulk item."})
    return type(f"BulkRequest{schema.__name__}", (ma.Schema,), {
        "items": ma.fields.List(ma.fields.Nested(item)), "__doc__": "Bulk request."})


def _page_schema(schema):
    return type(f"Page{schema.__name__}", (ma.Schema,), {
        "meta": ma.fields.Nested(PagingMeta), "data": ma.fields.List(ma.fields.Nested(schema)),
        "__doc__": "A page of the list."})


# -- request body ------------------------------------------------------------------------------------------
def json_body():
    """The JSON request body, or a Webex 4xx (415 for another content type, 400 for bad JSON)."""
    mime = request.mimetype
    if mime and mime != "application/json" and not mime.endswith("+json"):
        raise ApiError(415)
    raw = request.get_data(cache=False)
    if not raw.strip():
        raise ApiError(400, "Request body is missing: send a JSON object.")
    try:
        return loads(raw)
    except ValueError:
        raise ApiError(400, "Request body is not valid JSON.") from None


# -- the factory ---------------------------------------------------------------------------------------------
def make_blueprint(engine: Engine) -> Blueprint:
    """All the vendor's routes of one resource, documented for OpenAPI."""
    spec, cache = engine.spec, engine.catalog.cache
    blp = Blueprint(spec.kind, __name__, url_prefix="/organization/<orgid>",
                    description=f"{spec.title} (Webex Contact Center configuration).")
    pid = spec.parent[1] if spec.parent else None
    errors = lambda view, *codes: _with_errors(blp, view, codes)  # noqa: E731

    def add(path, method, view, summary, status, schema=None, body=None, params=()):
        view.__doc__ = summary
        view = blp.doc(summary=summary, parameters=[_param(p) for p in params])(view)
        if body is not None:
            view = blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": body}}})(view)
        view = errors(view, *{"GET": (400, 404), "DELETE": (404, 412)}.get(method, (400, 404, 409, 412)))
        view = blp.response(status, schema, description=summary)(view) if schema else \
            blp.doc(responses={str(status): {"description": summary}})(view)
        endpoint = f"{method.lower()}_{path}".replace("/", "_").replace("<", "").replace(">", "")
        blp.route("/" + path, methods=[method], endpoint=endpoint)(view)

    resolve = lambda path, kw: path.replace(f"<{pid}>", kw.get(pid, "")) if pid else path  # noqa: E731
    page_schema = _page_schema(spec.schema)

    for path in spec.paged:
        add(path, "GET", _list_view(engine, path, True, pid, resolve, cache), f"List {spec.title} (paged)",
            200, page_schema, params=LIST_PARAMS if not spec.sortable else {**LIST_PARAMS, "sort": "property,asc|desc"})
    if spec.v1_list:
        add(spec.v1_list, "GET", _list_view(engine, spec.v1_list, False, pid, resolve, cache),
            f"List {spec.title} (bare array)", 200, spec.schema(many=True),
            params=("filter", "attributes", "page", "pageSize"))
    for path in spec.create:
        add(path, "POST", _create_view(engine, pid), f"Create a {spec.title}", 201, spec.schema, spec.schema)
    for path, methods in spec.items.items():
        for method in methods.split():
            view, status, body = _item_view(engine, method, pid)
            add(path, method, view, f"{method.title()} a {spec.title} by id", status,
                spec.schema if status != 204 else None, body and spec.schema)
    if spec.references_path:
        add(spec.references_path, "GET", _references_view(engine), f"List references to a {spec.title}", 200,
            EntityReferenceInfo, params=("type", "page", "pageSize"))
    bulk_schema = _bulk_request(spec.schema)
    for path, methods in spec.bulk.items():
        for method in methods.split():
            summary = f"Bulk {'update' if method == 'PATCH' else 'save/delete'} {spec.title}"
            add(path, method, _bulk_view(engine, method, pid), summary, 207, BulkResponse, bulk_schema)
    return blp


def _param(name_or_item):
    name = name_or_item
    described = LIST_PARAMS.get(name, "Entity type of the referencing objects." if name == "type" else "")
    typ = "integer" if name in ("page", "pageSize") else "string"
    return {"name": name, "in": "query", "required": False, "description": described, "schema": {"type": typ}}


def _with_errors(blp, view, codes):
    for code in codes:
        view = blp.alt_response(code, schema=ApiErrorResponse, description="Webex error body")(view)
    return view


def _list_view(engine, path, paged, pid, resolve, cache):
    def view(orgid, **kw):
        body = engine.lister.respond(orgid, resolve(path, kw), paged, request.args, kw.get(pid), cache)
        return raw_response(body)
    return view


def _create_view(engine, pid):
    def view(orgid, **kw):
        return json_response(engine.create(orgid, json_body(), kw.get(pid)), 201)
    return view


def _item_view(engine, method, pid):
    if method == "GET":
        return (lambda orgid, id, **kw: json_response(engine.get(orgid, id, kw.get(pid)))), 200, False
    if method == "DELETE":
        def delete(orgid, id, **kw):
            engine.delete(orgid, id, kw.get(pid))
            return Response(status=204)
        return delete, 204, False
    partial = method == "PATCH"
    return (lambda orgid, id, **kw: json_response(engine.replace(orgid, id, json_body(), kw.get(pid), partial))), \
        200, True


def _references_view(engine):
    def view(orgid, id):
        return json_response(engine.lister.references(orgid, id, request.args))
    return view


def _bulk_view(engine, method, pid):
    item = engine.spec.item_path

    def view(orgid, **kw):
        base = f"/organization/{orgid}/" + (item.replace(f"<{pid}>", kw[pid]) if pid else item)
        href = lambda id: base.replace("<id>", id)  # noqa: E731
        return json_response(engine.bulk(orgid, json_body(), method, href, kw.get(pid)), 207)
    return view
