"""One structured log line per request (method, path, status, duration, tracking id); never the Authorization header."""
from __future__ import annotations

import logging
import time

from flask import Flask, current_app, g, request

from .errors import tracking_id
from .jsonutil import dumps

access = logging.getLogger("mockserver.access")


def _start():
    g.t0 = time.perf_counter()


def _finish(response):
    tid = tracking_id()
    response.headers.setdefault("TrackingID", tid)
    if current_app.config.get("MOCKSERVER_ACCESS_LOG") and access.isEnabledFor(logging.INFO):
        ms = (time.perf_counter() - g.get("t0", time.perf_counter())) * 1000
        access.info(dumps({"method": request.method, "path": request.path, "status": response.status_code,
                           "durationMs": round(ms, 2), "trackingId": tid}).decode())
    return response


def install(app: Flask, enabled: bool) -> None:
    """Register the hooks (the TrackingID header is always set; the log line only when enabled).

    The switch is per app, not a logger level: several apps in one process (tests) must not turn
    each other's log off.
    """
    app.config["MOCKSERVER_ACCESS_LOG"] = enabled
    app.before_request(_start)
    app.after_request(_finish)
