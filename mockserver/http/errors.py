"""The only place error bodies are rendered: the Webex body for the API, RFC 6749 bodies for the issuer.

Webex shape (webex-cc-facts.md 6.1):
``{"trackingId": "ccconfig_<uuid>",
"error": {"key": "<status>", "reason": "...", "message": [{"description": "..."}]}}``
with the tracking id also in the ``TrackingID`` response header.
"""
from __future__ import annotations

import logging

import marshmallow as ma
from flask import Flask, current_app, g, request
from werkzeug.exceptions import HTTPException

from ..clock import prng_id
from .apidoc import DeferredDocsApi
from .jsonutil import json_response

log = logging.getLogger("mockserver")

#: The error shapes a route can declare besides the Webex body (marked where the view is declared).
OAUTH, ERROR_RESULT, GATEWAY = "oauth", "error-result", "gateway"


def errors_shaped(shape: str):
    """Mark a view (MethodView class or function) whose errors take another shape than the Webex body:
    ``OAUTH`` (RFC 6749, the OAuth endpoints), ``ERROR_RESULT`` (the spec's ``ErrorResult``: an integer ``key``
    and a ``NOTIFS_`` tracking id, the subscription routes, runtime facts 1), ``GATEWAY`` (the Webex body plus
    the gateway's ``code``/``message``, the campaign manager's DNC routes)."""
    def mark(view):
        setattr(view, "_wxcc_error_shape", shape)
        return view
    return mark


#: Shapes whose errors are pages for a person, not JSON: shape -> renderer(exc), registered by the module that
#: owns the pages (the console). Used where the owner's own handlers cannot run: no route took the request.
PAGE_SHAPES: dict = {}
#: Path prefixes whose unrouted paths take a shape (``/console`` -> its pages): prefix -> shape.
PREFIX_SHAPES: dict = {}

oauth_errors = errors_shaped(OAUTH)
error_result_errors = errors_shaped(ERROR_RESULT)


def gateway_errors(codes: dict[int, int]):
    """``GATEWAY``-shaped errors whose ``code`` is the route's own for a status (e.g. ``{400: 1001}``; else the
    status): the spec documents an enum of codes per status on these routes."""
    def mark(view):
        view._wxcc_gateway_codes = dict(codes)
        return errors_shaped(GATEWAY)(view)
    return mark


def _gateway_code(status: int) -> int:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    codes = getattr(view, "_wxcc_gateway_codes", None) or getattr(getattr(view, "view_class", None),
                                                                 "_wxcc_gateway_codes", None) or {}
    return codes.get(status, status)


def _shape_table(app) -> tuple[dict, dict]:
    """``(endpoint -> shape, rule path -> shape)`` of the marked views, found once per app."""
    found = app.extensions.get("wxcc_error_shapes")
    if found is None:
        endpoints = {}
        for endpoint, view in app.view_functions.items():
            shape = getattr(view, "_wxcc_error_shape", None) or getattr(getattr(view, "view_class", None),
                                                                       "_wxcc_error_shape", None)
            if shape:
                endpoints[endpoint] = shape
        paths = {r.rule: endpoints[r.endpoint] for r in app.url_map.iter_rules() if r.endpoint in endpoints}
        found = app.extensions["wxcc_error_shapes"] = (endpoints, paths)
    return found


def error_shape() -> str | None:
    """The one choice of error shape, from the matched route (None: the Webex body). Where no route matched
    (a method the path does not take), the route the path belongs to decides."""
    endpoints, paths = _shape_table(current_app)
    if request.endpoint is not None:
        return endpoints.get(request.endpoint)
    if not endpoints:
        return None
    if request.path in paths:
        return paths[request.path]
    adapter = current_app.url_map.bind("localhost")
    for method in ("GET", "POST", "PATCH", "PUT", "DELETE"):
        try:
            return endpoints.get(adapter.match(request.path, method=method)[0])
        except HTTPException:
            continue
    return next((shape for prefix, shape in PREFIX_SHAPES.items() if request.path.startswith(prefix)), None)


def oauth_shaped() -> bool:
    """RFC 6749 bodies on the OAuth endpoints."""
    return error_shape() == OAUTH


def error_result_shaped() -> bool:
    """The spec's ``ErrorResult`` on the subscription routes."""
    return error_shape() == ERROR_RESULT


_DEFAULT_REASONS = {
    400: "Bad request.",
    401: "The request requires a valid access token.",
    403: "Access denied.",
    404: "Resource not found.",
    405: "Method not allowed.",
    409: "Similar entity is already present.",
    412: "Resource referred in other entity(s). "
         "Please get all the reference entities info by invoking Get incoming-references api.",
    413: "Request body too large.",
    415: "Unsupported media type: send application/json.",
    429: "Too many requests. Rate limit exceeded.",
    500: "Internal error. Please contact Cisco Support Team.",
}


class ErrorMessage(ma.Schema):
    """One error description."""

    description = ma.fields.String()


class ErrorDetail(ma.Schema):
    """The ``error`` object of a Webex error."""

    key = ma.fields.String(metadata={"description": "The HTTP status, as a string."})
    reason = ma.fields.String()
    message = ma.fields.List(ma.fields.Nested(ErrorMessage))
    referencedEntities = ma.fields.List(ma.fields.String(), metadata={"description": "412: what refers to it."})


class ApiErrorResponse(ma.Schema):
    """The Webex error body (the vendor's name for it): the one schema that documents every error response."""

    class Meta:
        unknown = ma.INCLUDE  # documented open: 412 adds referencedEntities, validation errors may add more

    trackingId = ma.fields.String()
    error = ma.fields.Nested(ErrorDetail)
    # A refused runtime action also carries what the agent SDK reads (webex-cc-runtime-facts.md 1, item 4 [U]);
    # the DNC routes and a 429 answer the gateway's ``code`` and ``message`` (facts 1, item 3).
    errorType = ma.fields.String()
    errorMessage = ma.fields.String()
    errorData = ma.fields.Dict()
    reasonCode = ma.fields.Integer()
    code = ma.fields.Integer()
    message = ma.fields.String()


class WebexApi(DeferredDocsApi):
    """flask-smorest's ``Api`` whose documented error responses are the Webex body (what ``webex_error`` sends),
    documenting its views on first read (``apidoc.py``)."""

    ERROR_SCHEMA = ApiErrorResponse


class ApiError(Exception):
    """Raise anywhere in a view: becomes a Webex-shaped error response.

    ``extra`` keys go into the ``error`` object (e.g. ``referencedEntities`` for 412),
    ``headers`` onto the response (e.g. ``Retry-After``).
    """

    def __init__(self, status: int, reason: str | None = None, *, descriptions=None, headers=None, **extra):
        super().__init__(reason or _DEFAULT_REASONS.get(status, "Error."))
        self.status = status
        self.reason = reason or _DEFAULT_REASONS.get(status, "Error.")
        self.descriptions = descriptions
        self.headers = headers or {}
        self.extra = extra


# -- named errors: the reasons the mock gives in many places, written once ---------------------------------
class OrgNotFound(ApiError):
    """404: an organisation the server does not hold."""

    def __init__(self, org: str):
        super().__init__(404, f"orgId: organization {org} does not exist.")


class EntityNotFound(ApiError):
    """404: an object that is not in the caller's organisation (the vendor's wording)."""

    def __init__(self, what: str, id: str):
        super().__init__(404, f"{what} with id {id} not found for given orgId.")


class StaleVersion(ApiError):
    """409: a replace that carries an older ``version`` than the stored object's."""

    def __init__(self, sent, what: str, current, hint: str = " Fetch it again and reapply the change."):
        super().__init__(409, f"version: {sent} is stale; the {what} is at version {current}.{hint}")


class Referenced(ApiError):
    """412: a delete refused because other objects refer to this one (``referencedEntities``)."""

    def __init__(self, kinds):
        super().__init__(412, None, referencedEntities=kinds)


class OAuthError(Exception):
    """An RFC 6749 error from the token issuer (``error`` + ``error_description``)."""

    def __init__(self, error: str, description: str, status: int = 400, headers=None):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status
        self.headers = headers or {}


_uuid4 = prng_id  # tracking ids: unique, not secret


def tracking_id() -> str:
    """The request's tracking id: the client's ``TrackingId`` header if sent, else a new ``ccconfig_`` one."""
    tid = g.get("tracking_id")  # not getattr: a miss there raises and catches AttributeError inside Flask
    if tid is None:
        if not request:
            tid = g.tracking_id = f"ccconfig_{_uuid4()}"
            return tid
        return request_tracking_id(request._get_current_object(), g._get_current_object(), current_app)
    return tid


def request_tracking_id(req, gg, app) -> str:
    """``tracking_id`` with the request, ``g`` and the app already resolved (the request pipeline's)."""
    data = gg.__dict__
    tid = data.get("tracking_id")
    if tid is None:
        sent = req.environ.get("HTTP_TRACKINGID", "")  # the header, without a Headers view
        if sent and sent.isprintable():
            tid = sent[:200]
        else:
            endpoint = req.endpoint
            shape = _shape_table(app)[0].get(endpoint) if endpoint is not None else error_shape()
            tid = f"{'NOTIFS' if shape == ERROR_RESULT else 'ccconfig'}_{_uuid4()}"
        data["tracking_id"] = tid
    return tid


def error_body(status: int, reason: str | None = None, descriptions=None, **extra) -> dict:
    """The Webex error body as data (also the ``apiError`` of a bulk item)."""
    reason = reason or _DEFAULT_REASONS.get(status, "Error.")
    message = [{"description": d} for d in (descriptions or [reason])]
    key = status if request and error_result_shaped() else str(status)
    return {"trackingId": tracking_id(), "error": {"key": key, "reason": reason, "message": message, **extra}}


def webex_error(status: int, reason: str | None = None, descriptions=None, headers=None, **extra):
    """Build the Webex error response."""
    body = error_body(status, reason, descriptions, **extra)
    if request and error_shape() == GATEWAY:  # the gateway's fields beside the Webex error object
        body = {"code": _gateway_code(status), "message": body["error"]["reason"], **body}
    tid = body["trackingId"]
    hdrs = {"TrackingID": tid}
    hdrs.update(headers or {})
    return json_response(body, status, hdrs)


def rate_limited(retry_after: int):
    """429 with ``Retry-After``: the Webex body plus the gateway's ``code``/``message`` (spec TooManyRequestsError).

    The spec documents ApiErrorResponse for 429 on configuration paths and TooManyRequestsError
    (``{code: 429, message, trackingId}``) on gateway-limited ones; one body satisfies both schemas.
    Differs from Webex: a real 429 carries one shape or the other (and a ``GTWY_`` tracking id from the gateway).
    """
    reason = _DEFAULT_REASONS[429]
    tid = tracking_id()
    body = {"trackingId": tid, "code": 429, "message": reason,
            "error": {"key": "429", "reason": reason, "message": [{"description": reason}]}}
    return json_response(body, 429, {"TrackingID": tid, "Retry-After": str(int(retry_after))})


def oauth_error(error: str, description: str, status: int = 400, headers=None):
    """Build an RFC 6749 error response (``Cache-Control: no-store`` as 5.2 asks)."""
    hdrs = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    hdrs.update(headers or {})
    return json_response({"error": error, "error_description": description}, status, hdrs)


def _validation_descriptions(messages) -> list[str]:
    """Flatten webargs/marshmallow messages into ``field: problem`` lines."""
    out = []

    def walk(prefix, node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("json", "query", "form", "files", "headers", "view_args"):
                    walk(prefix, value)
                else:
                    walk(f"{prefix}.{key}" if prefix else str(key), value)
        elif isinstance(node, list) and all(isinstance(x, str) for x in node):
            for text in node:
                out.append(f"{prefix}: {text}" if prefix else text)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(f"{prefix}[{i}]", item)
        else:
            out.append(f"{prefix}: {node}" if prefix else str(node))

    walk("", messages)
    return out or ["Invalid request."]


validation_descriptions = _validation_descriptions  # public name for the resource engine


def _http_exception(exc: HTTPException):
    """Framework errors (404, 405, 413, webargs 422...) in the right shape."""
    status = exc.code or 500
    headers = {}
    if status == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)  # RFC 9110 15.5.6: a 405 lists what is allowed
    page = PAGE_SHAPES.get(error_shape())
    if page is not None:
        return page(exc, headers)
    if oauth_shaped():
        return oauth_error("invalid_request", exc.description or "Invalid request.", status if status != 422 else 400,
                           headers)
    messages = getattr(exc, "data", {}).get("messages") if hasattr(exc, "data") else None
    if status == 422 or messages:
        lines = _validation_descriptions(messages or {})
        return webex_error(400, "; ".join(lines), descriptions=lines)
    reason = _DEFAULT_REASONS.get(status) if status in (404, 405, 413, 415) else (exc.description or None)
    if status == 404:
        from .unserved import reason as unserved  # late: unserved reads the generated operations file

        reason = unserved(request.method, request.path) or f"No resource at {request.path}."
    return webex_error(status, reason, headers=headers)


def _unexpected(exc: Exception):
    """A bug: still the Webex shape, logged with its tracking id."""
    if isinstance(exc, HTTPException):
        return _http_exception(exc)
    tid = tracking_id()
    log.exception("unhandled error (trackingId=%s)", tid)
    if oauth_shaped():
        return oauth_error("server_error", "Internal error.", 500)
    return webex_error(500)


def register(app: Flask) -> None:
    """Install every error handler on the app."""
    app.register_error_handler(
        ApiError, lambda e: webex_error(e.status, e.reason, e.descriptions, e.headers, **e.extra))
    app.register_error_handler(OAuthError, lambda e: oauth_error(e.error, e.description, e.status, e.headers))
    app.register_error_handler(HTTPException, _http_exception)
    app.register_error_handler(Exception, _unexpected)
