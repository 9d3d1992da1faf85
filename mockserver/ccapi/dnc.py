"""DNC lists (``/v3/campaign-management/dncList/{name}/phoneNumber``): add, look up, remove; errors in the
gateway shape the spec declares for these routes (facts 1: ``{code, message, trackingId}``)."""
from __future__ import annotations

import datetime as dt
import re

import marshmallow as ma
from flask import Response, g
from flask.views import MethodView

from ..auth import access
from ..http.errors import gateway_errors, tracking_id
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response
from .common import ERRORS, activity, org_id

blp = Blueprint("dnc", __name__, url_prefix="/v3/campaign-management/dncList/<dncListName>/phoneNumber",
                description="Do-not-call lists.")
access.declare(blp, "campaign")
#: The spec's gateway codes for a status on these routes (its enums: 400 -> 1001..1010, 404 -> 1004).
GATEWAY_CODES = {400: 1001, 404: 1004}
_PHONE = re.compile(r"^\+?[0-9]{4,20}$")


class DncEntry(ma.Schema):
    phoneNumber = ma.fields.String(required=True, validate=ma.validate.Regexp(_PHONE, error="digits, optional +."))
    source = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    reason = ma.fields.String(validate=ma.validate.Length(max=256))


def gateway_error(status: int, code: int, message: str):
    tid = tracking_id()
    # The gateway's fields, plus the Webex ``error`` object every other route answers (as the mock's 429 does).
    body = {"code": code, "message": message, "trackingId": tid,
            "error": {"key": str(status), "reason": message, "message": [{"description": message}]}}
    return json_response(body, status, {"TrackingID": tid})


def _book(c, name: str) -> dict:
    return c.extras.setdefault("dnc", {}).setdefault(name, {})


def _now(c) -> str:
    return dt.datetime.fromtimestamp(c.time / 1000, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _name_ok(name: str) -> bool:
    return 0 < len(name) <= 128 and name.isprintable()


@blp.route("")
@gateway_errors(GATEWAY_CODES)
class Numbers(MethodView):
    """A DNC list."""

    @blp.arguments(DncEntry)
    @blp.doc(responses={**ERRORS, "201": {"description": "DncEntryResponse"}, "409": {"description": "Conflict"}})
    def post(self, body, dncListName):
        """Add a number to a DNC list (409 when it is there)."""
        if not _name_ok(dncListName):
            return gateway_error(400, 1001, "dncListName: 1 to 128 printable characters.")
        with activity().center(org_id()) as c:
            book = _book(c, dncListName)
            if body["phoneNumber"] in book:
                return gateway_error(409, 409, "The phone number already exists in the specified DNC list.")
            who = g.claims.get("sub", "")
            entry = {"phoneNumber": body["phoneNumber"], "source": body["source"], "addedDate": _now(c),
                     "addedBy": who, "reason": body.get("reason", ""), "lastModified": _now(c)}
            book[body["phoneNumber"]] = entry
        return json_response(entry, 201)


@blp.route("/<phoneNumber>")
@gateway_errors(GATEWAY_CODES)
class Number(MethodView):
    """One number of a DNC list."""

    @blp.doc(responses={**ERRORS, "200": {"description": "DncEntryResponse"}})
    def get(self, dncListName, phoneNumber):
        """Whether a number is on the list (404 when not)."""
        with activity().center(org_id()) as c:
            entry = _book(c, dncListName).get(phoneNumber)
        if entry is None:
            return gateway_error(404, 1004, "The phone number is not in the specified DNC list.")
        return json_response(entry)

    @blp.response(204)
    @blp.doc(responses=ERRORS)
    def delete(self, dncListName, phoneNumber):
        """Remove a number from the list (404 when not there)."""
        with activity().center(org_id()) as c:
            if _book(c, dncListName).pop(phoneNumber, None) is None:
                return gateway_error(404, 1004, "The phone number is not in the specified DNC list.")
        return Response(status=204)
