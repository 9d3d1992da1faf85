"""Request bodies checked once, before any view: size (413), media type (415), well-formed JSON (400).

Views parse bodies with webargs (stdlib ``json``), which answers a 500 for a body nested deeper than the
interpreter's recursion limit and silently ignores a body sent with a non-JSON ``Content-Type``. Checking here
keeps every view simple and every such request a Webex-shaped 4xx that changes nothing.
"""
from __future__ import annotations

import orjson
from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import OAUTH_PATHS, ApiError

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


def accepted_types(view) -> frozenset:
    """Media types a view function documents for its request body (flask-smorest ``_apidoc``)."""
    doc = getattr(view, "_apidoc", None) or {}
    types = set()
    for param in doc.get("arguments", {}).get("parameters", []):
        types |= _LOCATION_TYPES.get(param.get("in"), set())
        if param.get("content_type"):
            types.add(param["content_type"])
    types |= set(doc.get("manual_doc", {}).get("requestBody", {}).get("content", {}))
    return frozenset(types) or _DEFAULT_TYPES


def _view_function():
    view = current_app.view_functions.get(request.endpoint)
    cls = getattr(view, "view_class", None)
    return getattr(cls, request.method.lower(), view) if cls else view


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


def check_body():
    """Runs before every view that can take a body."""
    if request.method not in _BODY_METHODS or request.path.startswith(OAUTH_PATHS) or request.endpoint is None:
        return None
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        if request.content_length is None:
            raise  # a chunked body was cut while reading: nothing left for the view, 413 now
        return None  # declared too large, nothing read: the view may allow more (snapshots), else it answers 413
    if not raw:
        return None
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if request.content_length is None and limit and len(raw) >= limit and request.environ["wsgi.input"].read(1):
        # A chunked body read up to the limit with more to come. waitress de-chunks and sets Content-Length
        # (Werkzeug answers 413 itself); Granian streams it, and Werkzeug stops quietly at the limit.
        raise RequestEntityTooLarge()
    mimetype = request.mimetype or ""
    allowed = accepted_types(_view_function())
    if not (mimetype in allowed or (_is_json(mimetype) and JSON in allowed)):
        raise ApiError(415, f"Unsupported media type {mimetype or '(none)'}: send "
                            f"{' or '.join(sorted(allowed))}.")
    if not _is_json(mimetype):
        return None
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
    if depth(data) > MAX_JSON_DEPTH:
        raise ApiError(400, f"JSON body nested deeper than {MAX_JSON_DEPTH} levels.")
    return None


def install(app: Flask) -> None:
    """Check bodies after the guard (an unauthenticated caller learns nothing about body rules)."""
    app.before_request(check_body)
