"""Request steps of the test harness (journal, faults, rate limits), run by the request pipeline after the guard.

Order per request (``http/pipeline.py``): the request log's start time (set before the guard, which may raise
before any later step runs), the guard, ``intercept`` (rate limit, then faults), the view, ``record`` (in the
after hook: error responses from the guard or from ``intercept`` are journaled too). The control API
(``/_mock/``) is never journaled, faulted or limited.

Every API request passes here, so the common case is kept cheap: no rule and no limit configured costs two
look-ups, and the journal stores the raw query string (parsed and redacted when the journal is read).
"""
from __future__ import annotations

import functools
import logging
import socket
import sys
import time
import types

from ..http.errors import ApiError, OAuthError, oauth_shaped, rate_limited, request_tracking_id
from ..http.inputs import FORM, MULTIPART, body_bytes, parsed_body
from ..http.jsonutil import json_response
from . import dropconn
from .journal import BODY_LIMIT, PendingBody
from .match import org_of, request_client
from .redact import body_for_journal, scrub_text

log = logging.getLogger("mockserver")

#: WSGI environ flag: the response must not be sent, the connection is closed instead.
DROP_KEY = "wxcc.drop_connection"
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class DroppedConnection(Exception):
    """Raised out of the WSGI app to make the server close the connection without answering.

    Under waitress it is also waitress's ``ClientDisconnected`` (``waitress_dropped``), which waitress treats as
    "the peer went away": it closes the channel and writes nothing (any other exception would become a 500 page).
    The in-process adapter turns it into a ConnectionError.
    """


@functools.cache
def waitress_dropped() -> type:
    """``DroppedConnection`` as waitress's ``ClientDisconnected`` too (made once waitress is imported: under
    Granian, the default, waitress is never imported)."""
    from waitress.channel import ClientDisconnected

    return type("DroppedConnection", (DroppedConnection, ClientDisconnected), {"__module__": __name__})


def _dropped() -> DroppedConnection:
    cls = waitress_dropped() if "waitress.channel" in sys.modules else DroppedConnection
    return cls("connection dropped by a fault rule")


def intercept(rt, req, gg, control: bool):
    """Rate limit, then faults; runs after the guard, so ``g.claims`` is set for API calls (the request, ``g`` and
    whether it is the control API resolved by the request pipeline)."""
    if control:
        return None
    if req.method in _WRITES and rt.journal.size:
        body_bytes(req)  # keep the body for the journal: views may read the stream uncached
    if not rt.faults.active() and not rt.limiter.active():
        return None
    claims = gg.__dict__.get("claims")
    org = gg.harness_org = org_of(claims, req)
    if claims and claims.get("client_id"):
        retry = rt.limiter.hit(org, claims["client_id"])
        if retry is not None:
            return rate_limited(retry)
    rule, delay, fired = rt.faults.match(org, req.method, req.path)
    gg.faults = fired
    if delay:
        time.sleep(delay)  # real time: latency is what the client feels, not what the mock clock says
    if rule is None:
        return None
    if rule.drop:
        req.environ[DROP_KEY] = True
        return json_response({}, 599)  # never sent: the WSGI wrapper closes the connection instead
    headers = {"Retry-After": str(rule.retry_after)} if rule.retry_after is not None else None
    if oauth_shaped():  # the issuer answers in RFC 6749 shape, faults included
        error = {503: "temporarily_unavailable"}.get(rule.status, "server_error" if rule.status >= 500 else
                                                    "invalid_request")
        raise OAuthError(error, rule.reason or "Injected fault.", rule.status, headers)
    raise ApiError(rule.status, rule.reason, headers=headers)


def record(rt, response, req, gg, control: bool, app):
    """Journal one API request (never ``/_mock/``); robust when the pipeline's before hook did not run (the
    request, ``g``, whether it is the control API and the app resolved by the pipeline).

    The hot path keeps the raw facts in a tuple; the journal turns them into its entry when it is read.
    """
    try:
        if control or not rt.journal.size:
            return response
        method, environ, data = req.method, req.environ, gg.__dict__
        t0 = data.get("t0")
        claims = data.get("claims")
        body = truncated = None
        if method in _WRITES:
            mimetype = req.mimetype or ""
            # A urlencoded body is kept raw and parsed when read (``intercept`` cached it), unless Werkzeug's
            # parser already used the stream up; a multipart one is read now (its files are not kept).
            form = req.form.to_dict() if mimetype == MULTIPART or (
                mimetype == FORM and "form" in req.__dict__) else None
            raw = body_bytes(req)
            if len(raw) <= BODY_LIMIT and form is None:  # small: parsed and redacted when the journal is read
                body = PendingBody(raw, mimetype, None)
            else:  # large, or a form: done now, so the ring never holds more than BODY_LIMIT of a body
                body, truncated = body_for_journal(raw, mimetype, form, BODY_LIMIT, parsed_body())
        rt.journal.record((
            rt.clock.now_ms(), method, req.path, req.query_string,
            "dropped" if environ.get(DROP_KEY) else response.status_code, claims,
            data["harness_org"] if "harness_org" in data else org_of(claims, req),
            None if claims else request_client(),
            round((time.perf_counter() - t0) * 1000, 3) if t0 is not None else None,
            request_tracking_id(req, gg, app), data.get("faults") or [], body, truncated))
    except Exception:  # the journal must never break a response
        log.exception("journal: could not record %s", scrub_text(req.path))
    return response


class _DropWrapper:
    """WSGI middleware: when a fault asked for it, close the connection instead of answering.

    Under waitress, ``ClientDisconnected`` makes it close the channel without writing; under Granian the
    request's socket is found and shut down (``dropconn``); under the Werkzeug or gunicorn servers the socket
    in ``environ`` is shut down first.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        arrived = time.perf_counter()
        result = self.wsgi_app(environ, start_response)
        if not environ.get(DROP_KEY):
            return result
        if hasattr(result, "close"):
            result.close()
        if environ.get("SERVER_SOFTWARE") == "Granian":
            if dropconn.drop(environ, arrived):
                return [b""]  # Granian's write fails on the closed socket: the client reads EOF, no response
            log.warning("fault drop: the connection could not be found; the response is cut off instead")
            return _cut_off()
        for key in ("werkzeug.socket", "gunicorn.socket"):
            sock = environ.get(key)
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        raise _dropped()


def _cut_off():
    """A body that fails before its first byte: the server aborts the connection after the status line."""
    raise _dropped()
    yield b""  # pragma: no cover  (makes this a generator)


def _cached_ensure_sync(ensure_sync):
    """Flask asks ``inspect.iscoroutinefunction`` about every hook and view method on every request; the answer
    for a plain function never changes, so it is kept. A method bound to a new view instance (Flask makes one
    per request) is asked by its function: a plain one is returned as it is, as ``ensure_sync`` returns it."""
    known: dict = {}

    def cached(func):
        kind = type(func)
        base = func.__func__ if kind is types.MethodType else func
        if type(base) is not types.FunctionType:
            return ensure_sync(func)
        plain = known.get(base)
        if plain is None:
            plain = ensure_sync(func) is func
            if len(known) < 4096:
                known[base] = plain
        return func if plain else ensure_sync(func)

    return cached


def install(app, rt) -> None:
    """The harness's part of the app: its response class, Flask's hook check remembered, the dropped-connection
    wrapper. Its hooks (``intercept``, ``record``) run in the request pipeline (``http/pipeline.py``)."""
    from ..http.jsonutil import Response

    app.response_class = Response
    app.ensure_sync = _cached_ensure_sync(app.ensure_sync)
    app.wsgi_app = _DropWrapper(app.wsgi_app)
