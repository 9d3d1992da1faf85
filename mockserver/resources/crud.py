"""The blueprint factory: from a resource declaration, the vendor's routes under ``/organization/<orgid>/``.

Views are short and alike: parse, call the engine, return JSON bytes. Status codes follow the live service
where the spec disagrees (webex-cc-facts.md 3.5): create 201 and delete 204 everywhere.
"""
from __future__ import annotations

import importlib
import threading
from functools import partial

from flask import Response, request
from flask.views import MethodView

from ..auth import access
from ..compat import web as compat
from ..http import unserved
from ..http.apidoc import Blueprint
from ..http.errors import ApiError
from ..http.inputs import json_body
from ..http.jsonutil import json_response, raw_response
from ..runtime import current
from . import inline
from .docs import ApiErrorResponse, BulkResponse, EntityReferenceInfo, bulk_request, list_item_schema, page_schema
from .engine import Engine
from .listing import Lister, PageCache

PARAMS = {
    "filter": "RSQL filter: ==, != (with * wildcards), =in=(..), =out=(..), ';' and, ',' or, parentheses.",
    "attributes": "Comma-separated fields to return, e.g. id,name.",
    "search": "Keyword over the resource's search columns, or field==\"name\";value==\"x\".",
    "page": "Page number, 0-based (default 0).",
    "pageSize": "Items per page (default 100, clamped to 1000).",
    "sort": "property,asc|desc",
    "type": "Entity type of the referencing objects.",
    "singleObjectResponse": "true: keep array fields (only when the list has a single result).",
    "includeUrl": "true: the response carries `url`, where the audio file can be downloaded.",
}
LIST_PARAMS = ("filter", "attributes", "search", "page", "pageSize", "singleObjectResponse")


class Catalog:
    """Every registered resource of an app: engines by kind, who references whom, sub-collections."""

    def __init__(self, rt):
        self.rt, self.specs, self.engines = rt, {}, {}
        self.incoming: dict[str, list] = {}
        self.children: dict[str, list] = {}
        self.cache = PageCache()

    def add(self, spec) -> Engine:
        """Make the engine of a resource and index its references."""
        self.specs[spec.kind] = spec
        engine = self.engines[spec.kind] = Engine(spec, self, self.rt)
        engine.lister = Lister(engine)
        for ref in spec.refs:
            self.incoming.setdefault(ref.kind, []).append((spec, ref))
        if spec.parent:
            self.children.setdefault(spec.parent[0], []).append(spec)
        return engine


# -- the factory ---------------------------------------------------------------------------------------------
_BLUEPRINTS: dict[str, Blueprint] = {}
_LOCK = threading.Lock()


def _engine(kind: str) -> Engine:
    """The engine of a resource in the app serving the request (blueprints are shared by every app)."""
    return current().resources.engines[kind]


engine_of = _engine  # the public name, for the modules that add a resource's other routes


def blueprint_for(spec) -> Blueprint:
    """The blueprint of a resource, built once per process (flask-smorest blueprints register in many apps)."""
    with _LOCK:
        if spec.kind not in _BLUEPRINTS:
            _BLUEPRINTS[spec.kind] = _make_blueprint(spec)
        return _BLUEPRINTS[spec.kind]


def _make_blueprint(spec) -> Blueprint:
    """All the vendor's routes of one resource, documented for OpenAPI."""
    kind = spec.kind
    blp = Blueprint(kind, __name__, url_prefix="/organization/<orgid>",
                    description=f"{spec.title} (Webex Contact Center configuration).")
    access.declare(blp, "config")
    blp.components = {ApiErrorResponse}
    pid = spec.parent[1] if spec.parent else None
    routes: dict[str, dict] = {}
    rules: dict[str, str] = {}  # path -> access rule, where it is not the blueprint's

    def ref(cls):
        blp.components.add(cls)
        return {"$ref": f"#/components/schemas/{cls.__name__}"}

    schemas = (type, Later)

    def add(path, method, view, summary, status, schema=None, body=None, params=(), rule=None):
        # Ready-made $refs: flask-smorest deep-copies docs and apispec would resolve schemas per operation.
        codes = {"GET": (400, 404), "DELETE": (404, 412)}.get(method, (400, 404, 409, 412))
        responses = {str(c): "WebexError" for c in codes}
        if isinstance(schema, schemas):
            schema = ref(schema)
        responses[str(status)] = {"description": summary, **({"content": _json(schema)} if schema else {})}
        doc = {"summary": summary, "parameters": [_param(p) for p in params], "responses": responses}
        if body is not None:
            content = body.get("content") if isinstance(body, dict) else None  # a ready content map (multipart)
            doc["requestBody"] = {"required": True,
                                  "content": content or _json(ref(body) if isinstance(body, schemas) else body)}
        if rule:
            rules[path] = rule
        view.__doc__ = summary
        routes.setdefault(path, {})[method.lower()] = compat.document_view(_method(view), doc)

    resolve = lambda path, kw: path.replace(f"<{pid}>", kw.get(pid, "")) if pid else path  # noqa: E731
    # The documentation's own schema classes (a list item, a page, a bulk body: about 80 classes, a tenth of
    # building an app) are made when the document is built; their names are known now.
    dropped = tuple(sorted(set(spec.list_drop) & set(compat.declared_fields(spec.schema))))
    item = Later(f"{spec.schema.__name__}ListItem", list_item_schema, spec.schema, dropped) if dropped else spec.schema
    page = Later(f"Page{item.__name__}", lambda: page_schema(made(item)))
    for path in spec.paged:
        add(path, "GET", _list_view(kind, path, True, pid, resolve), f"List {spec.title} (paged)", 200,
            page, params=LIST_PARAMS if not spec.sortable else (*LIST_PARAMS, "sort"))
    if spec.v1_list:
        add(spec.v1_list, "GET", _list_view(kind, spec.v1_list, False, pid, resolve),
            f"List {spec.title} (bare array)", 200, {"type": "array", "items": ref(item)},
            params=("filter", "attributes", "page", "pageSize"))
    for path in spec.create:
        field, schema = spec.inline.get(path, (None, spec.schema))
        add(path, "POST", _create_view(kind, pid, field), f"Create a {spec.title}", 201, schema, schema)
    for path, methods in spec.items.items():
        field, schema = spec.inline.get(path, (None, spec.schema))
        for method in methods.split():
            view, status, body = _item_view(kind, method, pid, field)
            add(path, method, view, f"{method.title()} a {spec.title} by id", status,
                schema if status != 204 else None, schema if body else None)
    if spec.references_path:
        add(spec.references_path, "GET", _references_view(kind), f"List references to a {spec.title}", 200,
            EntityReferenceInfo, params=("type", "page", "pageSize"))
    for path, methods in spec.bulk.items():
        for method in methods.split():
            summary = f"Bulk {'update' if method == 'PATCH' else 'save/delete'} {spec.title}"
            add(path, method, _bulk_view(kind, method, pid), summary, 207, BulkResponse,
                Later(f"BulkRequest{spec.schema.__name__}", bulk_request, spec.schema))
    from . import export, purge  # the operations many resources share; then the resource's own extras
    for module in (export, purge, *(importlib.import_module(f"{__package__}.{name}") for name in spec.extras)):
        module.routes(spec, add)
    for path, methods in routes.items():
        # One MethodView per path: one URL rule per path keeps start-up cheap.
        name = "".join(part.title() for part in path.replace("<", "").replace(">", "").replace("-", "/").split("/"))
        view = type(name, (MethodView,), {"__doc__": f"{spec.title}: /{path}", **methods})
        if path in rules:
            access.rule(rules[path])(view)
        blp.route("/" + path, endpoint=name)(view)
    return blp


def attach(api, blueprints) -> None:
    """Routes now; each blueprint's schemas and views documented when the document is first read, after the
    other blueprints (``http/apidoc.py``)."""
    spec = api.spec
    for blp in blueprints:
        api.defer_docs(partial(_components, spec, blp), last=True)
        api.register_blueprint(blp, last=True)


class Later:
    """A schema class of the documentation only, named now and made by ``factory(*args)`` when documented."""

    def __init__(self, name: str, factory, *args):
        self.__name__, self.factory, self.args = name, factory, args

    def make(self):
        made = self.factory(*self.args)
        assert made.__name__ == self.__name__, (made.__name__, self.__name__)  # the $refs already name it
        return made


def made(cls):
    """The schema class itself (a ``Later`` made now)."""
    return cls.make() if isinstance(cls, Later) else cls


def _components(spec, blp) -> None:
    for cls in sorted(blp.components, key=lambda c: c.__name__):
        if cls.__name__ not in spec.components.schemas:
            spec.components.schema(cls.__name__, schema=made(cls))
    if "WebexError" not in spec.components.responses:
        spec.components.response("WebexError", {"description": "Webex error body",
                                                "content": _json(ref_of(ApiErrorResponse))})


def ref_of(cls) -> dict:
    """An OpenAPI ``$ref`` to a schema component."""
    return {"$ref": f"#/components/schemas/{cls.__name__}"}


def _json(schema):
    return {"application/json": {"schema": schema}}


def _method(view):
    """A view function as a MethodView method (drops ``self``)."""
    def method(self, **kw):
        return view(**kw)
    method.__doc__ = view.__doc__
    return method


def _param(name):
    if isinstance(name, dict):
        return name
    described = PARAMS[name]
    typ = {"page": "integer", "pageSize": "integer", "singleObjectResponse": "boolean",
           "includeUrl": "boolean"}.get(name, "string")
    return {"name": name, "in": "query", "required": False, "description": described, "schema": {"type": typ}}


def _list_view(kind, path, paged, pid, resolve):
    def view(orgid, **kw):
        engine = _engine(kind)
        body = engine.lister.respond(orgid, resolve(path, kw), paged, request.args.to_dict(), kw.get(pid),
                                      engine.catalog.cache)  # a dict: a MultiDict miss raises (costly)
        return raw_response(body)
    return view


def _create_view(kind, pid, field=None):
    def view(orgid, **kw):
        if field:  # the parent with its children in one body (inline.py)
            return json_response(inline.create(_engine(kind), orgid, json_body(), field), 201)
        return json_response(_engine(kind).create(orgid, json_body(), kw.get(pid)), 201)
    return view


def _not_an_id(view):
    """An item view whose 404 says "not served" when the id is a vendor operation (``GET site/bulk-export``)."""
    def wrapped(**kw):
        try:
            return view(**kw)
        except ApiError as exc:
            if exc.status == 404 and request.url_rule is not None:
                unserved.refuse_if_operation(request.url_rule.rule)
            raise
    return wrapped


def _item_view(kind, method, pid, field=None):
    if method == "GET" and field:
        return _not_an_id(lambda orgid, id, **kw: json_response(inline.get(_engine(kind), orgid, id, field))), \
            200, False
    if method == "PUT" and field:
        return _not_an_id(lambda orgid, id, **kw: json_response(
            inline.replace(_engine(kind), orgid, id, json_body(), field))), 200, True
    if method == "GET":
        return _not_an_id(lambda orgid, id, **kw: json_response(_engine(kind).get(orgid, id, kw.get(pid)))), 200, False
    if method == "DELETE":
        def delete(orgid, id, **kw):
            _engine(kind).delete(orgid, id, kw.get(pid))
            return Response(status=204)
        return _not_an_id(delete), 204, False
    partial = method == "PATCH"

    def replace(orgid, id, **kw):
        return json_response(_engine(kind).replace(orgid, id, json_body(), kw.get(pid), partial))
    return _not_an_id(replace), 200, True


def _references_view(kind):
    def view(orgid, id):
        return json_response(_engine(kind).lister.references(orgid, id, request.args))
    return view


def _bulk_view(kind, method, pid):
    def view(orgid, **kw):
        engine = _engine(kind)
        item = engine.spec.item_path
        base = f"/organization/{orgid}/" + (item.replace(f"<{pid}>", kw[pid]) if pid else item)
        href = lambda id: base.replace("<id>", id)  # noqa: E731
        return json_response(engine.bulk(orgid, json_body(), method, href, kw.get(pid)), 207)
    return view
