"""Fast JSON in and out (orjson), and the one helper that turns data into a Flask response."""
from __future__ import annotations

import flask
import orjson

_MIME = "application/json"
_NO_BODY = frozenset({204, 304})
#: Bodies up to this size are handed to the server as a list (``Response.get_app_iter``), larger ones as one chunk.
SMALL_BODY = 16 * 1024


class _OneChunk:
    """The body as one chunk, through the WSGI iterator protocol (see ``Response``)."""

    __slots__ = ("body",)

    def __init__(self, body: bytes):
        self.body = body

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        body = self.body
        if body is None:
            raise StopIteration
        self.body = None
        return body

    def close(self) -> None:
        self.body = None


class Response(flask.Response):
    """Flask's response (the app's ``response_class``); a body already in memory is handed over as it is.

    Measured under Granian (docs/performance.md): a list body goes through ``response_bytes``, which holds the
    GIL while it copies the bytes (a 60 KB page: 3,400 req/s on its own), an iterator through ``response_iter``
    (8,700 req/s), which lets go of the GIL to queue each chunk and takes it back for the iterator's end. A
    large body is therefore one chunk of an iterator (Werkzeug's own iterator gets there too, through a
    generator and a closing wrapper; this one is a single object); a small one (an item, a write's answer, an
    error) is the list itself: its copy costs less than the GIL's hand-over and wait, which under load is
    milliseconds on a thread and, with the body's read, the GIL taken back twice more per write
    (docs/performance.md, "Writes").
    """

    def get_app_iter(self, environ):
        body = self.response
        if (type(body) is list and len(body) == 1 and type(body[0]) is bytes and not self._on_close
                and environ["REQUEST_METHOD"] != "HEAD" and self.status_code >= 200
                and self.status_code not in _NO_BODY):
            return body if len(body[0]) <= SMALL_BODY else _OneChunk(body[0])
        return super().get_app_iter(environ)


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
