"""Loopback HTTP helpers for the reliability tests: a session per thread, and a pool that runs workers."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

READWRITE_CLIENT = ("C0ffee0000000000000000000000000000000000000000000000000000000002", "mock-secret-readwrite-0002")

_local = threading.local()


def session() -> requests.Session:
    """This thread's keep-alive session."""
    s = getattr(_local, "session", None)
    if s is None:
        s = _local.session = requests.Session()
    return s


def close_session() -> None:
    """Close this thread's session (its keep-alive connections would keep a LiveServer's loop busy)."""
    s = getattr(_local, "session", None)
    if s is not None:
        s.close()
        _local.session = None


def run_threads(worker, count: int, *args) -> list:
    """``worker(index, *args)`` in ``count`` threads started together; their results in order."""
    barrier = threading.Barrier(count)

    def start(i):
        barrier.wait(timeout=30)
        try:
            return worker(i, *args)
        finally:
            close_session()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(start, range(count)))


def mint(base: str, user: str = "full.admin@acme.example", **extra) -> dict:
    """A token from ``/_mock/tokens`` (201 asserted)."""
    resp = session().post(base + "/_mock/tokens", json={"user": user, **extra}, timeout=30)
    assert resp.status_code == 201, resp.text
    return resp.json()
