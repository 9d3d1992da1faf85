"""Serve ``requests`` calls to the mock without a socket: a transport adapter that calls the WSGI app directly."""
from __future__ import annotations

import io
from http.client import HTTPMessage
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from urllib3 import HTTPHeaderDict, HTTPResponse
from werkzeug.test import EnvironBuilder, run_wsgi_app

from ..admin.hooks import DroppedConnection

#: Builds responses only (it never opens a connection); stateless, so one serves every thread.
_RESPONSES = HTTPAdapter()
#: A base URL that can never reach the network (``.invalid`` is reserved, RFC 2606).
DEFAULT_BASE_URL = "http://wxcc-mock.invalid"


class _Original:
    """What urllib3 keeps as the ``http.client.HTTPResponse`` beneath its response: the header message (requests
    reads Set-Cookie from it), and a response that is already closed (no connection to give back)."""

    def __init__(self, msg: HTTPMessage):
        self.msg = msg

    def isclosed(self) -> bool:
        return True

    def close(self) -> None:
        """Nothing to close."""


class WSGIAdapter(BaseAdapter):
    """``session.mount(base_url, WSGIAdapter(app))``: requests to that prefix are answered by ``app`` in-process."""

    def __init__(self, app):
        super().__init__()
        self.app = app

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        """Build a WSGI environ from the prepared request, run the app, wrap its answer as a ``requests`` response."""
        url = urlsplit(request.url)
        body = request.body.encode() if isinstance(request.body, str) else (request.body or b"")
        if hasattr(body, "read"):
            body = body.read()
        elif not isinstance(body, (bytes, bytearray)):  # a generator (streamed upload)
            body = b"".join(chunk.encode() if isinstance(chunk, str) else chunk for chunk in body)
        # The body is whole here: its length is recomputed and it is not chunked any more.
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("content-length", "transfer-encoding")}
        environ = EnvironBuilder(path=url.path or "/", base_url=f"{url.scheme}://{url.netloc}",
                                 query_string=url.query, method=request.method, headers=headers,
                                 data=body).get_environ()
        try:
            app_iter, status, resp_headers = run_wsgi_app(self.app, environ, buffered=True)
        except DroppedConnection as exc:
            raise requests.ConnectionError(f"connection dropped by the mock: {exc}", request=request) from None
        try:
            content = b"".join(app_iter)
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()
        return self._build(request, status, resp_headers, content)

    @staticmethod
    def _build(request, status: str, headers, content: bytes) -> requests.Response:
        """The answer as requests builds one from a socket: a urllib3 response handed to ``build_response``
        (public API only). ``original_response`` carries the header message requests reads Set-Cookie from."""
        pairs = list(headers.items() if hasattr(headers, "items") else headers)
        fields, msg = HTTPHeaderDict(), HTTPMessage()
        for key, value in pairs:  # repeated headers are joined by urllib3; the message keeps each one
            fields.add(key, value)
            msg[key] = value
        code, _, reason = status.partition(" ")
        raw = HTTPResponse(body=io.BytesIO(content), headers=fields, status=int(code), reason=reason,
                           preload_content=False, decode_content=True, enforce_content_length=False,
                           original_response=_Original(msg), request_method=request.method,
                           request_url=request.url)
        resp = _RESPONSES.build_response(request, raw)
        resp.connection = None
        return resp

    def close(self):
        """Nothing to release."""


def session_for(app, base_url: str = DEFAULT_BASE_URL) -> requests.Session:
    """A ``requests.Session`` whose calls under ``base_url`` go to ``app`` without a socket."""
    session = requests.Session()
    session.mount(base_url.rstrip("/") + "/", WSGIAdapter(app))
    return session
