"""Two organisations used from parallel threads on one live server never see each other's state."""
import threading

import pytest
import requests

from mockserver.testing import LiveServer

from .conftest import make_app
from .helpers import PROBE

N = 30


@pytest.fixture
def live():
    with LiveServer(make_app()) as server:
        yield server.url


def _suite(url, org, results, barrier):
    """What one test suite does with its own organisation."""
    with requests.Session() as s:
        org_path = f"{url}/organization/{org['id']}{PROBE}"
        s.headers["Authorization"] = f"Bearer {org['tokens']['full_admin']}"
        snap = requests.get(f"{url}/_mock/snapshot", params={"orgId": org["id"]}, timeout=10).json()
        snap["data"][org["id"]]["site"] = [{"id": f"site-{i}", "organizationId": org["id"]} for i in range(5)]
        barrier.wait(timeout=10)
        requests.put(f"{url}/_mock/snapshot", json=snap, timeout=10).raise_for_status()
        statuses = [s.get(org_path, timeout=10).status_code for _ in range(N)]
        export = requests.get(f"{url}/_mock/snapshot", params={"orgId": org["id"]}, timeout=10).json()
        journal = requests.get(f"{url}/_mock/journal", params={"orgId": org["id"]}, timeout=10).json()["items"]
        faults = requests.get(f"{url}/_mock/faults", params={"orgId": org["id"]}, timeout=10).json()["items"]
        results[org["id"]] = {"statuses": statuses, "export": export, "journal": journal, "faults": faults}


def test_parallel_orgs_are_isolated(live):
    requests.post(f"{live}/_mock/clock/freeze", json={}, timeout=10)
    a, b = (requests.post(f"{live}/_mock/orgs", json={"template": "demo"}, timeout=10).json() for _ in range(2))
    requests.post(f"{live}/_mock/faults", json={"orgId": a["id"], "status": 503, "nth": 2}, timeout=10)
    requests.put(f"{live}/_mock/ratelimits/{b['id']}", json={"limit": 10, "windowSeconds": 60}, timeout=10)
    results, barrier = {}, threading.Barrier(2)
    threads = [threading.Thread(target=_suite, args=(live, org, results, barrier)) for org in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    ra, rb = results[a["id"]], results[b["id"]]
    # faults: only a's (every call after the first); limits: only b's (exactly 10 per window)
    assert ra["statuses"] == [404] + [503] * (N - 1)
    assert rb["statuses"] == [404] * 10 + [429] * (N - 10)
    # journal: each sees exactly its own N calls, made by its own user
    for org, res in ((a, ra), (b, rb)):
        assert len(res["journal"]) == N
        assert {(e["orgId"], e["user"]) for e in res["journal"]} == {(org["id"], org["admins"]["full_admin"]["id"])}
    assert [f["orgId"] for f in ra["faults"]] == [a["id"]] and rb["faults"] == []
    # data: each export holds its own organisation only, every document re-homed to it
    for org, res in ((a, ra), (b, rb)):
        data = res["export"]["data"]
        assert set(data) == {org["id"]}
        assert {d["organizationId"] for d in data[org["id"]]["site"]} == {org["id"]}
    ids_a = {p["id"] for p in ra["export"]["data"][a["id"]]["people"]}
    ids_b = {p["id"] for p in rb["export"]["data"][b["id"]]["people"]}
    assert not ids_a & ids_b
