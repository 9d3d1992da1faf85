"""The request pipeline: one ``before_request`` and one ``after_request`` hook for every request of the app.

Before the view, in this order: the request log's start time, CORS preflights (when origins are configured),
the guard (``auth/guard.py``), the harness's rate limits and faults (``admin/hooks.py``), the body checks
(``http/inputs.py``); the first that answers or raises ends the chain. After it, on every response (errors
included): the journal (``admin/hooks.py``), the CORS headers, the TrackingID header and the access log line
(``http/reqlog.py``).

Each step used to be a hook of its own that looked up Flask's ``request``, ``g`` and ``current_app`` proxies
(about a microsecond each, some thirty a request) and the endpoint's access rule again. Here they are resolved
once per request and handed to the steps, with whether the request is the control API (``/_mock/``: never
journaled, faulted or limited).
"""
from __future__ import annotations

import time

from flask import g, request

from ..admin import hooks
from ..admin.match import control_of
from ..auth import access, guard
from . import cors, inputs, reqlog

_perf_counter = time.perf_counter


def install(app, rt, access_log: bool, cors_origins: str) -> None:
    """Register the pipeline's two hooks on ``app`` (``rt``: its runtime)."""
    app.config["MOCKSERVER_ACCESS_LOG"] = access_log
    cors_hooks = cors.hooks(cors_origins)
    preflight, tag = cors_hooks if cors_hooks else (None, None)

    def before():
        req, gg = request._get_current_object(), g._get_current_object()
        data = gg.__dict__
        data["t0"] = _perf_counter()
        found = access.of(app, req.endpoint)
        control = data["wxcc_control"] = control_of(found, req.path)
        if preflight is not None:
            answer = preflight()
            if answer is not None:
                return answer
        guard.check(rt, req, gg, found)
        answer = hooks.intercept(rt, req, gg, control)
        if answer is not None:
            return answer
        return inputs.check_body(req)

    def after(response):
        req, gg = request._get_current_object(), g._get_current_object()
        control = gg.__dict__.get("wxcc_control")
        if control is None:  # ``before`` did not run (an error before the hooks): worked out now
            control = control_of(access.of(app, req.endpoint), req.path)
        hooks.record(rt, response, req, gg, control, app)
        if tag is not None:
            response = tag(response)
        return reqlog.finish(response, req, gg, app)

    app.before_request(before)
    app.after_request(after)
