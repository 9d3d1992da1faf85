"""One structured log line per request (method, path, status, duration, tracking id); never the Authorization header.

In ``mockserver serve`` the lines go through a buffered writer (``use_writer``): the request appends its line
to a bounded queue and a background thread writes the queue to stderr every few milliseconds, so a request
never waits for the stream or for the logging lock. Elsewhere (tests, embedding) they are ordinary records of
the ``mockserver.access`` logger.
"""
from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import deque

from flask import Flask

from .errors import request_tracking_id
from .jsonutil import dumps

access = logging.getLogger("mockserver.access")
_INFO = logging.INFO


class LineWriter:
    """A bounded queue of log lines written by one background thread (at most every ``interval`` seconds)."""

    def __init__(self, stream, interval: float = 0.02, limit: int = 100_000):
        self.stream, self.interval = stream, interval
        self.lines: deque = deque(maxlen=limit)  # beyond the limit the oldest lines go: memory stays bounded
        self._wake, self._lock = threading.Event(), threading.Lock()
        threading.Thread(target=self._run, name="mockserver-access-log", daemon=True).start()
        atexit.register(self.flush)

    def append(self, line: str) -> None:
        self.lines.append(line)

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self.flush()

    def flush(self) -> None:
        """Write every queued line now (also at exit and when the server stops)."""
        with self._lock:
            out = []
            lines = self.lines
            while lines:
                out.append(lines.popleft())
            if out:
                try:
                    self.stream.write("\n".join(out) + "\n")
                    self.stream.flush()
                except (OSError, ValueError):  # stderr closed: nothing else to do with a log line
                    pass


def use_writer(app: Flask, stream) -> LineWriter:
    """Send ``app``'s access log to ``stream`` through a ``LineWriter`` (per app: tests run several apps)."""
    writer = app.config["MOCKSERVER_ACCESS_WRITER"] = LineWriter(stream)
    return writer


def flush(app: Flask) -> None:
    writer = app.config.get("MOCKSERVER_ACCESS_WRITER")
    if writer is not None:
        writer.flush()


def finish(response, req, gg, app):
    """The TrackingID header, and the access log line when it is on (the request, ``g`` and the app resolved)."""
    tid = request_tracking_id(req, gg, app)
    headers = response.headers
    if "TrackingID" not in headers:
        headers["TrackingID"] = tid
    config = app.config
    if config["MOCKSERVER_ACCESS_LOG"] and access.isEnabledFor(_INFO):
        t0 = gg.__dict__.get("t0")
        ms = (time.perf_counter() - t0) * 1000 if t0 is not None else 0.0
        line = dumps({"method": req.method, "path": req.path, "status": response.status_code,
                      "durationMs": round(ms, 2), "trackingId": tid}).decode()
        writer = config.get("MOCKSERVER_ACCESS_WRITER")
        if writer is not None:
            writer.append(line)
        else:
            access.info(line)
    return response
