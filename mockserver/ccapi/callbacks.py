"""Scheduled callbacks (``/v1/callbacks/organization/{orgId}/scheduled-callback``, facts 7): validated as the
vendor does, paged, and turned into an outbound callback task on the queue when their window opens."""
from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import marshmallow as ma
from flask import Response
from flask.views import MethodView

from ..auth import access
from ..http.errors import ApiError
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response
from .common import ERRORS, activity

blp = Blueprint("callbacks", __name__, url_prefix="/v1/callbacks/organization/<orgId>/scheduled-callback",
                description="Scheduled callbacks.")
access.declare(blp, "agent")
_NUMBER = re.compile(r"^\+?[0-9 ().\-]{7,15}$")


def _zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ma.ValidationError("an IANA time zone (e.g. America/New_York).") from None


class CallbackSchedule(ma.Schema):
    customerName = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=250))
    callbackNumber = ma.fields.String(required=True, validate=ma.validate.Regexp(_NUMBER, error="7 to 15 "
                                      "characters: digits with an optional +, spaces, dashes, brackets, dots."))
    timezone = ma.fields.String(required=True, validate=_zone)
    scheduleDate = ma.fields.Date(required=True)
    startTime = ma.fields.Time(required=True)
    endTime = ma.fields.Time(required=True)
    queueId = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    callbackReason = ma.fields.String(validate=ma.validate.Length(max=1024))
    sourceInteraction = ma.fields.String(validate=ma.validate.Length(max=64))
    assigneeAgent = ma.fields.String(validate=ma.validate.Length(max=64))


class CallbackUpdate(CallbackSchedule):
    id = ma.fields.String(required=True)


class CallbackListQuery(ma.Schema):
    callbackNumber = ma.fields.String(validate=ma.validate.Length(max=32))
    assigneeAgent = ma.fields.String(validate=ma.validate.Length(max=64))
    page = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=100_000))
    pageSize = ma.fields.Integer(load_default=10, validate=ma.validate.Range(min=1, max=100))
    sortBy = ma.fields.String(load_default="scheduledTime", validate=ma.validate.OneOf(
        ["customerName", "scheduledTime", "assignedTime"]))
    sortOrder = ma.fields.String(load_default="asc", validate=ma.validate.OneOf(["asc", "desc"]))


def _window(body, now_ms: int) -> tuple[int, int]:
    """Start and end in epoch ms; the vendor's rules: within 31 days, start 30 min ahead, 30 min to 8 h long."""
    zone = zoneinfo.ZoneInfo(body["timezone"])
    start = dt.datetime.combine(body["scheduleDate"], body["startTime"], zone)
    end = dt.datetime.combine(body["scheduleDate"], body["endTime"], zone)
    s, e = int(start.timestamp() * 1000), int(end.timestamp() * 1000)
    if s < now_ms + 30 * 60_000:
        raise ApiError(400, "startTime: must be at least 30 minutes from now.")
    if s > now_ms + 31 * 86_400_000:
        raise ApiError(400, "scheduleDate: must be within 31 days from today.")
    if not 30 * 60_000 <= e - s <= 8 * 3_600_000:
        raise ApiError(400, "endTime: must be 30 minutes to 8 hours after startTime.")
    return s, e


def _doc(org, cid, body, s, now, created=None, origin="api") -> dict:
    doc = {"id": cid, "customerName": body["customerName"], "callbackNumber": body["callbackNumber"],
           "timezone": body["timezone"], "scheduleDate": body["scheduleDate"].isoformat(),
           "startTime": body["startTime"].strftime("%H:%M:%S"), "endTime": body["endTime"].strftime("%H:%M:%S"),
           "queueId": body["queueId"], "callbackOrigin": origin, "createdTimestamp": created or now,
           "lastUpdatedTimestamp": now, "orgId": org, "startMs": s}
    for key in ("callbackReason", "sourceInteraction", "assigneeAgent"):
        if body.get(key):
            doc[key] = body[key]
    if body.get("assigneeAgent"):
        doc["assignedTime"] = now
    return doc


def _out(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "startMs"}


def _book(c) -> dict:
    return c.extras.setdefault("callbacks", {})


def _checked(c, body):
    if body["queueId"] not in c.tenant.queues:
        raise ApiError(400, f"queueId: {body['queueId']} not found for given orgId.")
    return _window(body, c.time)


@blp.route("")
class Callbacks(MethodView):
    """Callbacks."""

    @blp.arguments(CallbackSchedule)
    @blp.doc(responses={**ERRORS, "201": {"description": "CallbackSchedule"}})
    def post(self, body, orgId):
        """Schedule a callback (due: an outbound callback task on the queue at its start time)."""
        with activity().center(orgId) as c:
            s, _ = _checked(c, body)
            doc = _doc(orgId, c.new_id(), body, s, c.time)
            _book(c)[doc["id"]] = doc
            c.schedule(s, "callback_due", doc["id"])
        return json_response(_out(doc), 201)

    @blp.arguments(CallbackListQuery, location="query")
    @blp.doc(responses={**ERRORS, "200": {"description": "CallbackSchedulesResponse"}})
    def get(self, args, orgId):
        """Future callbacks of a number or an agent, paged from 0."""
        if not args.get("callbackNumber") and not args.get("assigneeAgent"):
            raise ApiError(400, "callbackNumber or assigneeAgent is required.")
        if args["sortBy"] == "assignedTime" and not args.get("assigneeAgent"):
            raise ApiError(400, "sortBy: assignedTime needs assigneeAgent.")
        with activity().center(orgId) as c:
            hits = [d for d in _book(c).values() if d["startMs"] >= c.time
                    and (not args.get("callbackNumber") or d["callbackNumber"] == args["callbackNumber"])
                    and (not args.get("assigneeAgent") or d.get("assigneeAgent") == args["assigneeAgent"])]
        key = {"customerName": "customerName", "scheduledTime": "startMs",
               "assignedTime": "assignedTime"}[args["sortBy"]]
        hits.sort(key=lambda d: (d.get(key) or 0, d["id"]), reverse=args["sortOrder"] == "desc")
        size, page = args["pageSize"], args["page"]
        pages = max(1, -(-len(hits) // size))
        base = f"/v1/callbacks/organization/{orgId}/scheduled-callback?pageSize={size}&page="
        links = {"self": f"{base}{page}", "first": f"{base}0", "last": f"{base}{pages - 1}"}
        if page + 1 < pages:
            links["next"] = f"{base}{page + 1}"
        if page > 0:
            links["prev"] = f"{base}{page - 1}"
        meta = {"orgId": orgId, "page": page, "pageSize": size, "totalPages": pages, "totalRecords": len(hits),
                "links": links}
        return json_response({"meta": meta, "data": [_out(d) for d in hits[page * size:(page + 1) * size]]})


def _found(c, cid):
    doc = _book(c).get(cid)
    if doc is None:
        raise ApiError(404, f"id: callback {cid} not found for given orgId.")
    return doc


@blp.route("/<id>")
class CallbackItem(MethodView):
    """One callback."""

    @blp.doc(responses={**ERRORS, "200": {"description": "CallbackSchedule"}})
    def get(self, orgId, id):
        """One callback."""
        with activity().center(orgId) as c:
            return json_response(_out(_found(c, id)))

    @blp.arguments(CallbackUpdate)
    @blp.doc(responses={**ERRORS, "200": {"description": "CallbackSchedule"}})
    def put(self, body, orgId, id):
        """Replace a callback (the body carries its id)."""
        if body["id"] != id:
            raise ApiError(400, "id: must be the callback's id in the path.")
        with activity().center(orgId) as c:
            old = _found(c, id)
            s, _ = _checked(c, body)
            doc = _book(c)[id] = _doc(orgId, id, body, s, c.time, old["createdTimestamp"], old["callbackOrigin"])
            c.schedule(s, "callback_due", id)
        return json_response(_out(doc))

    @blp.response(204)
    @blp.doc(responses=ERRORS)
    def delete(self, orgId, id):
        """Cancel a callback."""
        with activity().center(orgId) as c:
            _found(c, id)
            del _book(c)[id]
        return Response(status=204)

