"""Snapshots: the state of one organisation or of the whole server as JSON, restored exactly."""
from __future__ import annotations

import marshmallow as ma
from flask import request
from flask.views import MethodView

from ..http.errors import ApiError, OrgNotFound
from ..http.jsonutil import json_response, loads
from ..runtime import current
from ..storage import SYSTEM
from . import blp

FORMAT = 1
#: Snapshots of generated tenants are far larger than API bodies; the control API accepts up to this.
MAX_SNAPSHOT_BYTES = 1 << 30


class SnapshotQuery(ma.Schema):
    """One organisation, or everything when absent."""

    orgId = ma.fields.String()


def take(rt, org: str | None) -> dict:
    """``{format, scope, orgId, takenAtMs, org, data: {org: {kind: [docs]}}}``."""
    if org is not None and rt.org(org) is None and org not in rt.store.orgs():
        raise OrgNotFound(org)
    return {"format": FORMAT, "scope": "org" if org else "all", "orgId": org, "takenAtMs": rt.clock.now_ms(),
            "org": rt.org(org) if org else None, "data": rt.store.export(org)}


def _check(snap) -> None:
    """Reject anything that is not a snapshot before touching the store (400, nothing changed)."""
    if not isinstance(snap, dict) or snap.get("format") != FORMAT or snap.get("scope") not in ("org", "all"):
        raise ApiError(400, "snapshot: expected an object from GET /_mock/snapshot (format 1, scope org|all).")
    data = snap.get("data")
    if not isinstance(data, dict):
        raise ApiError(400, "data: an object {orgId: {kind: [documents]}} is required.")
    for org, kinds in data.items():
        if not isinstance(kinds, dict):
            raise ApiError(400, f"data.{org}: an object {{kind: [documents]}} is required.")
        for kind, docs in kinds.items():
            if not isinstance(docs, list) or not all(isinstance(d, dict) and isinstance(d.get("id"), str)
                                                     for d in docs):
                raise ApiError(400, f"data.{org}.{kind}: a list of documents each with a string id is required.")
    if snap["scope"] == "org":
        if set(data) != {snap.get("orgId")}:
            raise ApiError(400, "data: an organisation snapshot holds exactly the organisation named by orgId.")
        record = snap.get("org")
        if record is not None and (not isinstance(record, dict) or record.get("id") != snap["orgId"]):
            raise ApiError(400, "org: the organisation record must carry the snapshot's orgId as its id.")
    if snap["scope"] == "all" and SYSTEM not in data:
        raise ApiError(400, f"data.{SYSTEM}: a whole-server snapshot includes the system tables.")


def restore(rt, snap: dict) -> None:
    """Put the state back exactly: the organisation's tables (and its record), or every table of the server."""
    _check(snap)
    with rt.store.atomic():
        if snap["scope"] == "all":
            for org in set(rt.store.orgs()) - set(snap["data"]):
                rt.store.drop_org(org)
            rt.store.restore(snap["data"])
        else:
            rt.store.restore(snap["data"])
            if snap.get("org"):
                rt.store.put(SYSTEM, "org", snap["org"])


@blp.route("/snapshot")
class Snapshot(MethodView):
    """Snapshots."""

    @blp.arguments(SnapshotQuery, location="query")
    @blp.doc(responses={"200": {"description": "The snapshot (documents in wire format)"}})
    def get(self, args):
        """Export one organisation (``?orgId=``) or everything."""
        return json_response(take(current(), args.get("orgId")))

    @blp.doc(requestBody={"required": True, "description": "A snapshot from GET /_mock/snapshot",
                          "content": {"application/json": {"schema": {"type": "object"}}}},
             responses={"200": {"description": "What was restored"}})
    def put(self):
        """Restore a snapshot exactly (an organisation's, or the whole server's: orgs not in it disappear)."""
        request.max_content_length = MAX_SNAPSHOT_BYTES
        try:
            snap = loads(request.get_data())
        except ValueError:
            raise ApiError(400, "body: not valid JSON.") from None
        restore(current(), snap)
        return json_response({"restored": snap["scope"], "orgId": snap.get("orgId")}, 200)
