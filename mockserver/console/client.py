"""The console's only way into the mock: HTTP requests to the app's own routes, in-process, with a caller's token.

No view of the console reads or writes state behind the API's back: what a page shows and what a form changes
is what a client with the same token would see and change (the guard, the role table and the journal apply).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import orjson
from flask import current_app

from ..runtime import current

log = logging.getLogger("mockserver")


@dataclass
class Answer:
    """One API answer: status, parsed JSON body (or None) and the text."""

    status: int
    body: object
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def reason(self) -> str:
        """The Webex reason of an error (or the issuer's ``error_description``), else the status."""
        body = self.body if isinstance(self.body, dict) else {}
        error = body.get("error")
        if isinstance(error, dict) and error.get("reason"):
            return str(error["reason"])
        if body.get("error_description"):
            return str(body["error_description"])
        return self.text[:300] if self.status == 0 else f"HTTP {self.status}"


def call(method: str, path: str, *, token: str | None = None, admin: bool = False, json=None, query=None,
         form=None) -> Answer:
    """Send one request through the app. ``token``: a person's bearer token; ``admin``: the control API's token."""
    app = current_app._get_current_object()
    rt = current()
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if admin and rt.admin_token:
        headers["X-Mock-Admin-Token"] = rt.admin_token
    kwargs = {"json": json} if json is not None else {"data": form} if form is not None else {}
    try:
        # A new app context first: the request context of the same app would otherwise share this request's g.
        with app.app_context():
            resp = app.test_client().open(path, method=method, query_string=query, headers=headers,
                                          base_url=rt.base_url(), **kwargs)
            raw = resp.get_data()
            status = resp.status_code
    except Exception as exc:  # a fault rule that drops the connection, or a broken call: shown, never raised
        log.info("console: %s %s gave no response: %s", method, path, exc)
        return Answer(0, None, f"No response from {method} {path}: the connection was dropped ({type(exc).__name__}).")
    try:
        body = orjson.loads(raw) if raw else None
    except orjson.JSONDecodeError:
        body = None
    return Answer(status, body, raw.decode("utf-8", "replace"))
