"""Snapshots: the state of one organisation or of the whole server as JSON, restored exactly."""
from __future__ import annotations

import marshmallow as ma
from flask import request
from flask.views import MethodView

from ..activity.state import BadState
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
    data = rt.store.export(org)
    return {"format": FORMAT, "scope": "org" if org else "all", "orgId": org, "takenAtMs": rt.clock.now_ms(),
            "org": rt.org(org) if org else None, "data": data,
            "activity": {o: rt.activity.export(o) for o in sorted(data) if o != SYSTEM}}


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
    activity = snap.get("activity", {})
    if not isinstance(activity, dict) or not set(activity) <= set(data):
        raise ApiError(400, "activity: an object {orgId: state or null} for organisations of data is required.")


def _check_activity(rt, snap) -> None:
    """Load each organisation's activity aside first: a state that cannot be loaded is refused, nothing changed."""
    for org, state in (snap.get("activity") or {}).items():
        try:
            rt.activity.check(org, state)
        except BadState as exc:
            raise ApiError(400, str(exc)) from None


def restore(rt, snap: dict) -> None:
    """Put the state back exactly: the organisation's tables (and its record), or every table of the server."""
    _check(snap)
    _check_activity(rt, snap)
    activity = snap.get("activity") or {}
    with rt.store.atomic():
        if snap["scope"] == "all":
            for org in set(rt.store.orgs()) - set(snap["data"]):
                rt.store.drop_org(org)
                rt.activity.reset(org)
            rt.store.restore(snap["data"])
        else:
            rt.store.restore(snap["data"])
            if snap.get("org"):
                rt.store.put(SYSTEM, "org", snap["org"])
        for org in snap["data"]:  # the activity runs on the restored configuration (a snapshot without: none)
            if org != SYSTEM:
                rt.activity.restore(org, activity.get(org))


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
