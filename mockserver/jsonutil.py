"""Fast JSON in and out (orjson), and the one helper that turns data into a Flask response."""
from __future__ import annotations

import orjson
from flask import Response

_MIME = "application/json"


def dumps(data) -> bytes:
    """Compact JSON bytes; orjson is several times faster than the stdlib on 60 KB pages."""
    return orjson.dumps(data)


def loads(raw):
    """Parse JSON bytes or text (raises ``ValueError`` on bad input)."""
    return orjson.loads(raw)


def json_response(data, status: int = 200, headers: dict | None = None) -> Response:
    """A JSON response from plain data, without marshmallow or Flask's sorting encoder."""
    return raw_response(dumps(data), status, headers)


def raw_response(body: bytes, status: int = 200, headers: dict | None = None) -> Response:
    """A JSON response from already-serialised bytes (cached pages)."""
    resp = Response(body, status=status, mimetype=_MIME)
    if headers:
        resp.headers.update(headers)
    return resp
