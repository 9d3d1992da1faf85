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


DEMO_ORG = "f222c4e4-0b5a-4a5e-9e2c-8d3b6d0b1a01"


class ConfigClient:
    """The configuration API of one organisation over real HTTP (this thread's session)."""

    def __init__(self, base: str, token: str, org: str = DEMO_ORG):
        self.root = f"{base}/organization/{org}"
        self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, body=None) -> requests.Response:
        """One request; a 5xx fails the caller's assertions later, never raises here."""
        return session().request(method, f"{self.root}/{path}", json=body, headers=self.headers, timeout=60)

    def create(self, kind: str, body: dict) -> dict:
        resp = self.call("POST", kind, body)
        assert resp.status_code == 201, resp.text
        return resp.json()

    def all(self, kind: str) -> list[dict]:
        """Every item of a kind (the v2 paged list, all pages)."""
        out, page = [], 0
        while True:
            resp = session().get(f"{self.root}/v2/{kind}", params={"page": page, "pageSize": 100},
                                 headers=self.headers, timeout=60)
            assert resp.status_code == 200, resp.text
            data = resp.json()
            out += data["data"]
            if page + 1 >= data["meta"]["totalPages"]:
                return out
            page += 1


def site_body(n, mmp: str) -> dict:
    return {"name": f"Site {n}", "active": True, "multimediaProfileId": mmp}


def team_body(n, site_id: str) -> dict:
    return {"name": f"Team {n}", "teamType": "AGENT", "teamStatus": "IN_SERVICE", "active": True,
            "siteId": site_id, "rankQueuesForTeam": False}


def mmp_body(n) -> dict:
    return {"name": f"MMP {n}", "chat": 1, "email": 1, "telephony": 1, "social": 1, "active": True,
            "blendingModeEnabled": False, "blendingMode": "FULL"}


def aux_body(n) -> dict:
    from mockserver.resources.auxiliary_code import IDLE_WORK_TYPE as idle

    return {"name": f"Break {n}", "defaultCode": False, "active": True, "workTypeId": idle, "workTypeCode": "IDLE_CODE"}
