"""CORS, off unless ``MOCKSERVER_CORS_ORIGINS`` lists origins: one hook answers preflights and tags responses.

Real Webex answers browsers from its own origins only; the mock lets a local web app call it when asked to.
"""
from __future__ import annotations

from flask import Response, request

ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
ALLOW_HEADERS = "Authorization, Content-Type, TrackingId, X-Mock-Admin-Token"
EXPOSE_HEADERS = "TrackingID, Retry-After, Location, ETag"
MAX_AGE = "600"


def parse_origins(value: str) -> frozenset:
    """``"https://a.example, http://localhost:3000"`` -> the set of origins (``*`` allows any)."""
    return frozenset(o.strip().rstrip("/") for o in value.split(",") if o.strip())


def hooks(origins: str):
    """``(preflight, tag)`` when origins are configured, else None (no CORS header is ever sent). The request
    pipeline (``http/pipeline.py``) runs ``preflight`` before the guard and ``tag`` on every response."""
    allowed = parse_origins(origins)
    if not allowed:
        return None

    def allow_origin() -> str | None:
        origin = request.headers.get("Origin")
        if not origin:
            return None
        return origin if origin in allowed or "*" in allowed else None

    def preflight():
        """Answer a preflight before the guard (browsers send no Authorization on it)."""
        if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
            return None
        if allow_origin() is None:
            return None  # answered as any OPTIONS, without CORS headers: the browser blocks the call
        return Response(status=204, headers={"Access-Control-Allow-Methods": ALLOW_METHODS,
                                             "Access-Control-Allow-Headers": ALLOW_HEADERS,
                                             "Access-Control-Max-Age": MAX_AGE})

    def tag(response):
        origin = allow_origin()
        response.vary.add("Origin")
        if origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
        return response

    return preflight, tag
