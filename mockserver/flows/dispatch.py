"""How the runner sends a request: in-process to the mock's own WSGI app (no network), with a timeout.

The dispatcher is a seam: tests (and the harness) may put another callable on ``rt.flow_dispatcher``.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()
WORKERS = 8  # requests in flight at once across every app in the process; a timed-out one finishes in the background


@dataclass
class Outbound:
    """One HTTP request an activity sends."""

    method: str
    path: str
    query: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    body: bytes | None = None
    base_url: str = "http://localhost"


@dataclass
class Reply:
    """What came back."""

    status: int
    headers: dict
    body: bytes


class TransportError(Exception):
    """No HTTP response: a timeout or a dropped connection (the flow's global error, R18)."""


def _pool() -> ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(WORKERS, thread_name_prefix="flow-dispatch")
        return _POOL


class InProcessDispatcher:
    """Sends ``Outbound`` requests through the app itself, so the guard, scopes and org checks apply for real."""

    def __init__(self, app):
        self.app = app

    def __call__(self, out: Outbound, timeout_s: float) -> Reply:
        """The reply, or ``TransportError`` when none arrives within ``timeout_s``."""
        future = _pool().submit(self._send, out)
        try:
            return future.result(timeout=timeout_s)
        except FutureTimeout:
            raise TransportError(f"no response within {int(timeout_s * 1000)} ms (httpResponseTimeout).") from None
        except Exception as exc:  # the in-process call itself broke: as a dropped connection would
            raise TransportError(f"connection failed: {exc}") from None

    def _send(self, out: Outbound) -> Reply:
        # A worker thread has no Flask context of its own, so the inner request gets a fresh one (its own g).
        resp = self.app.test_client().open(out.path, method=out.method, query_string=out.query,
                                           headers=out.headers, data=out.body, base_url=out.base_url)
        return Reply(resp.status_code, dict(resp.headers), resp.get_data())
