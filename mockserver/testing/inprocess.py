"""Serve ``requests`` calls to the mock without a socket: a transport adapter that calls the WSGI app directly."""
from __future__ import annotations

import io
import types
from http.client import HTTPMessage
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.test import EnvironBuilder, run_wsgi_app

from ..admin.hooks import DroppedConnection

#: A base URL that can never reach the network (``.invalid`` is reserved, RFC 2606).
DEFAULT_BASE_URL = "http://wxcc-mock.invalid"


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
        resp = requests.Response()
        resp.status_code = int(status.split(" ", 1)[0])
        resp.reason = status.split(" ", 1)[1] if " " in status else ""
        pairs = list(headers.items() if hasattr(headers, "items") else headers)
        resp.headers = CaseInsensitiveDict()
        msg = HTTPMessage()
        for key, value in pairs:  # repeated headers are joined, as urllib3 does; the message keeps each one
            resp.headers[key] = f"{resp.headers[key]}, {value}" if key in resp.headers else value
            msg[key] = value
        resp.raw = io.BytesIO(content)
        # requests reads Set-Cookie from ``raw._original_response.msg``: give it one, so sessions keep cookies.
        resp.raw._original_response = types.SimpleNamespace(msg=msg)
        resp._content = content
        resp._content_consumed = True
        resp.encoding = requests.utils.get_encoding_from_headers(resp.headers)
        resp.url = request.url
        resp.request = request
        resp.connection = None
        return resp

    def close(self):
        """Nothing to release."""


def session_for(app, base_url: str = DEFAULT_BASE_URL) -> requests.Session:
    """A ``requests.Session`` whose calls under ``base_url`` go to ``app`` without a socket."""
    session = requests.Session()
    session.mount(base_url.rstrip("/") + "/", WSGIAdapter(app))
    return session
