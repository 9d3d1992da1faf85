"""Request bodies parsed once, before any view: size (413), media type (415), well-formed JSON (400), one depth.

The parsed value is kept on the request: the configuration views take it from ``json_body()``, and views that
declare their body with ``@blp.arguments`` get it through this module's ``Blueprint`` (its webargs parser reads
the parsed value instead of parsing again with stdlib ``json``, which would answer a 500 for a body nested deeper
than the recursion limit). Every bad body is a Webex-shaped 4xx that changes nothing.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

import orjson
from flask import current_app, g, request
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import RequestEntityTooLarge

from ..compat import web as compat
from . import apidoc
from .errors import ApiError, oauth_shaped

#: Deepest JSON nesting accepted. Webex documents nest a handful of levels; orjson cannot write more than
#: 254 (the store serialises every document), so deeper bodies could never be stored anyway.
MAX_JSON_DEPTH = 64

JSON = "application/json"
MULTIPART = "multipart/form-data"
FORM = "application/x-www-form-urlencoded"
_LOCATION_TYPES = {"json": {JSON}, "form": {FORM}, "files": {MULTIPART}}
#: What a view that documents no body accepts (the vendor's uploads and imports are multipart).
_DEFAULT_TYPES = frozenset({JSON, MULTIPART})
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _is_json(mimetype: str) -> bool:
    return mimetype == JSON or (mimetype.startswith("application/") and mimetype.endswith("+json"))


_ACCEPTED: dict = {}  # view function -> its media types: what flask-smorest recorded does not change


def accepted_types(view) -> frozenset:
    """Media types a view function documents for its request body (what flask-smorest recorded on it)."""
    found = _ACCEPTED.get(view)
    if found is None:
        found = _accepted_types(view)
        if len(_ACCEPTED) < 4096:  # bounded: every app of a process shares the blueprints' view functions
            _ACCEPTED[view] = found
    return found


def _accepted_types(view) -> frozenset:
    doc = compat.view_doc(view)
    types = set()
    for param in doc.get("arguments", {}).get("parameters", []):
        types |= _LOCATION_TYPES.get(param.get("in"), set())
        if param.get("content_type"):
            types.add(param["content_type"])
    types |= set(doc.get("manual_doc", {}).get("requestBody", {}).get("content", {}))
    return frozenset(types) or _DEFAULT_TYPES


def _view_function(app, req):
    view = app.view_functions.get(req.endpoint)
    cls = getattr(view, "view_class", None)
    return getattr(cls, req.method.lower(), view) if cls else view


def depth(value) -> int:
    """Nesting depth of parsed JSON (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level > MAX_JSON_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


def body_bytes(req=None) -> bytes:
    """The request body, read once and kept, as ``request.get_data(cache=True)`` (which answers from it after).

    A body with a Content-Length within the limit, from a server that ends the input stream itself
    (``wsgi.input_terminated``: Granian, waitress), is read with one call of exactly that length. Werkzeug's
    guarded stream reads 64 KiB at a time until a read comes back empty, i.e. twice for any body, and Granian
    lets go of the GIL for every read (under load the thread then waits milliseconds to get it back).
    """
    req = request._get_current_object() if req is None else req
    raw = compat.cached_body(req)
    if raw is not None:
        return raw
    length, env = req.content_length, req.environ
    if (length is not None and "wsgi.input_terminated" in env and "stream" not in req.__dict__
            and length <= (req.max_content_length or length)):
        raw = env["wsgi.input"].read(length) if length else b""
        compat.cache_body(req, raw)
        return raw
    return req.get_data(cache=True)  # chunked, or over the limit (413), or the stream already in use


def check_body(req=None):
    """Runs before every view that can take a body (``req``: the request, resolved by the pipeline)."""
    req = request._get_current_object() if req is None else req  # each use of the proxy costs about a µs
    if req.method not in _BODY_METHODS or req.endpoint is None or oauth_shaped():
        return None
    try:
        raw = body_bytes(req)
    except RequestEntityTooLarge:
        if req.content_length is None:
            raise  # a chunked body was cut while reading: nothing left for the view, 413 now
        return None  # declared too large, nothing read: the view may allow more (snapshots), else it answers 413
    if not raw:
        return None
    app = current_app._get_current_object()
    limit = app.config.get("MAX_CONTENT_LENGTH")
    if req.content_length is None and limit and len(raw) >= limit and req.environ["wsgi.input"].read(1):
        # A chunked body read up to the limit with more to come. waitress de-chunks and sets Content-Length
        # (Werkzeug answers 413 itself); Granian streams it, and Werkzeug stops quietly at the limit.
        raise RequestEntityTooLarge()
    mimetype = req.mimetype or ""
    allowed = accepted_types(_view_function(app, req))
    if not (mimetype in allowed or (_is_json(mimetype) and JSON in allowed)):
        raise ApiError(415, f"Unsupported media type {mimetype or '(none)'}: send "
                            f"{' or '.join(sorted(allowed))}.")
    if not _is_json(mimetype):
        return None
    g.json_body = parse(raw)
    return None


def parse(raw: bytes):
    """Parse a JSON body with the one depth limit (400 for anything else)."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if "depth" in str(exc):  # newer orjson refuses very deep documents itself: same answer as below
            raise ApiError(400, f"JSON body nested deeper than {MAX_JSON_DEPTH} levels.") from None
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "Request body is not valid JSON: not valid UTF-8.") from None
        raise ApiError(400, f"Request body is not valid JSON: {exc}.") from None
    # Each level opens a bracket: a body with no more brackets than the limit (counted in C, strings included,
    # so never too few) cannot be too deep, and the walk over its values is skipped.
    if raw.count(b"{") + raw.count(b"[") > MAX_JSON_DEPTH and depth(data) > MAX_JSON_DEPTH:
        raise ApiError(400, f"JSON body nested deeper than {MAX_JSON_DEPTH} levels.")
    return data


_MISSING = object()


def parsed_body(default=None):
    """The JSON body the pipeline parsed, or ``default`` when the request has none (or none in JSON)."""
    found = g.get("json_body", _MISSING)
    return default if found is _MISSING else found


def json_body():
    """The JSON request body a view requires, or a Webex 4xx (415 for another content type, 400 when missing)."""
    found = g.get("json_body", _MISSING)
    if found is not _MISSING:
        return found
    mime = request.mimetype
    if mime and not _is_json(mime):
        raise ApiError(415)
    raw = request.get_data(cache=True)  # a body the pipeline left to the view (declared larger than the default)
    if not raw.strip():
        raise ApiError(400, "Request body is missing: send a JSON object.")
    return parse(raw)


class _PipelineParser(FlaskParser):
    """webargs, reading the body the pipeline parsed (``missing`` when there is none)."""

    def load_json(self, req, schema):
        found = g.get("json_body", _MISSING)
        if found is not _MISSING:
            return found
        if req.content_length and _is_json(req.mimetype or ""):
            return json_body()  # left to the view: read it now (413 when over the view's limit)
        return webargs_core.missing


class Blueprint(apidoc.Blueprint):
    """flask-smorest's Blueprint whose ``@arguments`` take the pipeline's parsed body (flask-smorest documents
    ``ARGUMENTS_PARSER`` as the place to customise parsing)."""

    ARGUMENTS_PARSER = _PipelineParser()


def parse_form(raw: bytes) -> dict:
    """A urlencoded body's fields, parsed as Werkzeug's form parser does (the first value of a repeated name,
    as ``request.form.get`` gives; a body that is not UTF-8 has no fields, as Werkzeug's silent parser)."""
    try:
        text = raw.decode()
    except ValueError:
        return {}
    fields: dict = {}
    if "%" in text or "+" in text:
        for name, value in parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote"):
            fields.setdefault(name, value)
        return fields
    # Nothing escaped (a token request's usual body): parse_qsl's own split, a third of its time.
    for pair in text.split("&"):
        if pair:  # parse_qsl skips empty pairs; a pair without "=" is a blank value (keep_blank_values)
            name, _, value = pair.partition("=")
            fields.setdefault(name, value)
    return fields


def form_fields() -> dict:
    """The current request's urlencoded fields, parsed once (the token endpoint's hot path).

    Werkzeug's ``request.form`` costs about 35 µs a request in its stream, limit and parser objects; this reads
    the body once (``get_data``, so Content-Length limits still answer 413) and parses it with the same call.
    """
    found = g.get("form_fields")
    if found is None:
        if "form" in request._get_current_object().__dict__:  # Werkzeug parsed it (and may have used the stream up)
            found = request.form.to_dict()
        else:
            found = parse_form(body_bytes())
        g.form_fields = found
    return found
