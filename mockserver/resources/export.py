"""Bulk export (``GET /<kind>/bulk-export``): the vendor's ``BulkExportDTO`` envelope over what the list holds.

The spec documents the export as JSON, not CSV: ``{totalResources, pageNumber, pageSize, rel, resources}``
where each resource is the object as an administrator would type it into a bulk import sheet, ids replaced
by the names of what they point at (``multimediaProfileName`` instead of ``multimediaProfileId``). The rows
come from the same table, in the same order and with the same paging as the resource's list, so an export
page holds exactly the objects of the list page with the same ``page``/``pageSize``.

A resource opts in with ``export=`` (a function ``row(doc, ctx)``) on its declaration; families added later
reuse ``respond``, ``Ctx`` and the row helpers below.
"""
from __future__ import annotations

import math

from flask import request

from ..http.errors import ApiError
from ..http.jsonutil import json_response
from .engine import strip_nulls
from .listing import paging

TYPES = ("INBOUND", "OUTBOUND")
PARAMS = ("page", "pageSize")
TYPE_PARAM = {"name": "type", "in": "query", "required": True, "schema": {"type": "string", "enum": list(TYPES)},
              "description": "The type of the exported objects: INBOUND or OUTBOUND."}


class Ctx:
    """What a row function may read besides its document: names of referenced objects and sub-collections."""

    def __init__(self, store, org: str):
        self.store, self.org = store, org

    def name(self, kind: str, id: str | None, field: str = "name"):
        """The name of the object ``id`` of ``kind`` (None when unset or gone)."""
        doc = self.store.get(self.org, kind, id) if id else None
        return doc.get(field) if doc else None

    def names(self, kind: str, ids) -> list | None:
        """Names of a list of ids, in order (ids that no longer resolve are left out); None for no list."""
        if ids is None:
            return None
        return [n for n in (self.name(kind, i) for i in ids) if n is not None]

    def children(self, kind: str, field: str, id: str) -> list[dict]:
        """Documents of a sub-collection (``address-book-entry`` rows whose ``addressBookId`` is ``id``)."""
        return list(self.store.lookup(self.org, kind, field, id))


def copy(doc: dict, *fields: str) -> dict:
    """The named fields of a document that are set (a row's plain columns)."""
    return {f: doc[f] for f in fields if doc.get(f) is not None}


def envelope(rows: list, total: int, page: int, size: int) -> dict:
    """``BulkExportDTO``: counts, the page asked for, and ``rel`` = ``next`` while more pages follow."""
    pages = math.ceil(total / size) if total else 0
    return {"totalResources": total, "pageNumber": page, "pageSize": size,
            "rel": "next" if page + 1 < pages else "last", "resources": rows}


def respond(engine, org: str, args) -> dict:
    """One export page of a resource (``type`` selects INBOUND or OUTBOUND objects where the spec asks for it)."""
    spec, store = engine.spec, engine.store
    page, size = paging(args)
    wanted = None
    if spec.export_type:
        wanted = args.get("type")
        if wanted not in TYPES:
            raise ApiError(400, f"type: required, one of {', '.join(TYPES)}.")
    with store.atomic():
        if wanted is None:
            total = store.count(org, spec.kind)
            window = store.list(org, spec.kind, page * size, (page + 1) * size)
        else:
            docs = store.scan(org, spec.kind, lambda d: d.get(spec.export_type) == wanted)
            total, window = len(docs), docs[page * size:(page + 1) * size]
        ctx = Ctx(store, org)
        rows = [strip_nulls(spec.export(engine.public(doc), ctx)) for doc in window]
    return envelope(rows, total, page, size)


def _view(kind: str):
    def view(orgid):
        from .crud import engine_of
        return json_response(respond(engine_of(kind), orgid, request.args))
    return view


def routes(spec, add) -> None:
    """``GET <kind>/bulk-export`` for a resource that declares its export row."""
    if spec.export is None:
        return
    params = (*((TYPE_PARAM,) if spec.export_type else ()), *PARAMS)
    schema = {"type": "object", "properties": {
        "totalResources": {"type": "integer"}, "pageNumber": {"type": "integer"}, "pageSize": {"type": "integer"},
        "rel": {"type": "string", "enum": ["next", "last"]},
        "resources": {"type": "array", "items": {"type": "object"}}}}
    add(f"{spec.kind}/bulk-export", "GET", _view(spec.kind), f"Bulk export {spec.title}(s)", 200, schema,
        params=params)
