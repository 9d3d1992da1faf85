"""Purge (``POST /<kind>/purge-inactive-entities``): remove the inactive objects nothing references, in batches.

The spec answers with its generic ``Response`` (``{code, details, links}``) and says only that inactive
objects "older than the configured interval" go, a batch at a time from ``nextStartId``. The mock's reading:

* inactive means ``active: false`` (desktop layouts: ``status: false``), system defaults are never purged;
* an inactive object another object still references is kept, and reported as kept, so no reference breaks;
* a batch is the next ``BATCH`` objects in id order after ``nextStartId``; ``details.nextStartId`` (and a
  ``links`` entry named ``next``) says where the next call starts, empty when the table is done.

Differs from Webex (unknown there, webex-cc-facts.md 1.4): the interval is zero (any inactive object may go)
and the route answers for any configuration writer, where live some purges refuse even full administrators.
"""
from __future__ import annotations

from flask import request

from ..http.jsonutil import json_response

BATCH = 100
PARAMS = ({"name": "nextStartId", "in": "query", "required": False, "schema": {"type": "string", "default": ""},
           "description": "The id after which this purge batch starts (from the previous answer)."},)
SCHEMA = {"type": "object", "properties": {"code": {"type": "integer"}, "details": {"type": "object"},
                                           "links": {"type": "array", "items": {"type": "object"}}}}


def purge(engine, org: str, start: str = "") -> dict:
    """One batch: delete what may go, report what went and what was kept (and why)."""
    spec, store = engine.spec, engine.store
    purged, kept = [], []
    with store.atomic():
        batch = sorted((d for d in store.list(org, spec.kind) if d["id"] > start), key=lambda d: d["id"])
        more = len(batch) > BATCH
        for doc in batch[:BATCH]:
            if not spec.inactive(doc) or doc.get("systemDefault") is True:
                continue
            if engine.referrers(org, doc["id"]):
                kept.append(doc["id"])
                continue
            engine.delete(org, doc["id"], doc.get(engine.parent_field) if engine.parent_field else None)
            purged.append(doc["id"])
        next_id = batch[BATCH - 1]["id"] if more else ""
    links = [{"name": "next", "href": f"/organization/{org}/{spec.kind}/purge-inactive-entities"
                                      f"?nextStartId={next_id}"}] if next_id else []
    details = {"entityType": spec.kind, "purgedCount": len(purged), "purgedIds": purged,
               "keptReferencedIds": kept, "nextStartId": next_id}
    return {"code": 200, "details": details, "links": links}


def _view(kind: str):
    def view(orgid):
        from .crud import engine_of
        start = request.args.get("nextStartId", "")[:200]
        return json_response(purge(engine_of(kind), orgid, start))
    return view


def routes(spec, add) -> None:
    """The purge route of a resource that declares ``purge=True``."""
    if spec.purge:
        add(f"{spec.kind}/purge-inactive-entities", "POST", _view(spec.kind), f"Purge inactive {spec.title}(s)",
            200, SCHEMA, params=PARAMS)
