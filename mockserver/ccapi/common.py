"""What every runtime view shares: the caller's organisation and identity, the center, and refusals rendered in
the vendor's shape."""
from __future__ import annotations

import marshmallow as ma
from flask import Response, g

from ..activity.machine import Refused
from ..http.errors import ApiError, error_body
from ..http.jsonutil import json_response
from ..runtime import current

#: [U] facts 1 item 4: the SDK reads ``errorType``/``errorMessage``/``reasonCode`` from a refused action; the
#: numbers are the mock's own (the vendor's are not published). The body also carries the ApiErrorResponse.
REASON_CODES = {"INVALID_STATE": 1001, "AGENT_NOT_LOGGED_IN": 1002, "DUPLICATE_LOCATION": 1003,
                "AGENT_NOT_FOUND": 1004, "TASK_NOT_FOUND": 1005, "NOT_TASK_OWNER": 1006, "AGENT_BUSY": 1007,
                "INVALID_WRAPUP_CODE": 1008, "INVALID_IDLE_CODE": 1009, "AGENT_NOT_AVAILABLE": 1010,
                "QUEUE_NOT_FOUND": 1011, "ENTRY_POINT_NOT_FOUND": 1012, "INVALID_WINDOW": 1013}
_TYPES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 409: "Conflict", 412: "Precondition Failed"}
ERRORS = {"400": {"description": "Bad Request"}, "401": {"description": "Unauthorized"},
          "403": {"description": "Forbidden"}, "404": {"description": "Not Found"}}


def refused_response(exc: Refused):
    """A refusal: the Webex error body plus the fields the agent SDK reads."""
    body = error_body(exc.status, exc.text)
    body.update(errorType=_TYPES.get(exc.status, "Bad Request"), errorMessage=exc.text,
                errorData={"reason": exc.reason}, reasonCode=REASON_CODES.get(exc.reason, 1000))
    return json_response(body, exc.status, {"TrackingID": body["trackingId"]})


def org_id(args: dict | None = None, header: str | None = None) -> str:
    """The organisation a runtime call addresses: ``?orgId=`` (or a header/body value), else the token's own;
    403 when it is not the token's (facts 1: runtime routes live at the host root)."""
    mine = g.claims.get("org_id")
    asked = (args or {}).get("orgId") or header or mine
    if asked != mine:
        raise ApiError(403, f"Access denied: the token belongs to organization {mine}, not to organization {asked}.")
    return asked


def caller() -> str:
    """The calling user (the token's subject: a CI user id)."""
    return g.claims.get("sub", "")


def activity():
    return current().activity


def accepted():
    """202 with an empty body (facts 4.3, 5.1)."""
    return Response(b"", status=202)


class StrictBool(ma.fields.Boolean):
    """A JSON boolean only (marshmallow also takes 0, 1, "true"...; the vendor's schema says boolean)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class OrgQuery(ma.Schema):
    """The organisation (defaults to the token's)."""

    class Meta:
        unknown = ma.EXCLUDE

    orgId = ma.fields.String(validate=ma.validate.Length(max=64))


def csv_list(value) -> list[str]:
    """``a,b`` or repeated parameters -> a list (the vendor accepts both for array query parameters)."""
    out = []
    for item in value if isinstance(value, list) else [value]:
        out.extend(x.strip() for x in str(item).split(",") if x.strip())
    return out


class CsvList(ma.fields.Field):
    """An array query parameter (comma-separated or repeated), optionally of a fixed vocabulary."""

    def __init__(self, choices=None, max_items=None, **kw):
        super().__init__(**kw)
        self.choices, self.max_items = choices, max_items

    def _deserialize(self, value, attr, data, **kw):
        items = csv_list(value)
        if self.choices:
            bad = [x for x in items if x not in self.choices]
            if bad:
                raise ma.ValidationError(f"{bad[0]!r} is not one of {', '.join(self.choices)}.")
        if self.max_items is not None and len(items) > self.max_items:
            raise ma.ValidationError(f"at most {self.max_items} items.")
        return items
