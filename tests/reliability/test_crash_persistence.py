"""Crashes and persistence: SIGKILL at random moments never loses an acknowledged write or breaks a restart."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import orjson
import pytest
import requests

from mockserver.storage import Store

from ..conftest import ALL_SCOPES
from . import store_writer
from .http import ConfigClient, close_session, mint, mmp_body, site_body
from .procs import ROOT, ServerProcess, kill_during, python_env

pytestmark = pytest.mark.crash

ROUNDS = int(os.environ.get("MOCKSERVER_CRASH_ROUNDS", "20"))
SEED = int(os.environ.get("MOCKSERVER_CRASH_SEED", "8"))


def _table(path) -> dict:
    store = Store(str(path))  # must never raise, whatever the kill left behind
    try:
        return {d["id"]: d for d in store.list(store_writer.ORG, store_writer.KIND)}
    finally:
        store.close()


def _run_and_kill(path, first: int, delay: float) -> int:
    """Start the writer, SIGKILL it ``delay`` s after its first acknowledgement; how many writes were acknowledged."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.reliability.store_writer", str(path), str(first)],
                            cwd=ROOT, env=python_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first_line = proc.stdout.readline()
        assert first_line, proc.stderr.read().decode()
        time.sleep(delay)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        out = proc.stdout.read()  # through the same buffered reader: it may already hold later lines
        proc.wait(30)
        proc.stdout.close()
        proc.stderr.close()
    return 1 + out.count(b"\n")


def test_sigkill_during_sustained_writes_loses_no_acknowledged_write(tmp_path):
    path, rng, model, first, total = tmp_path / "state.json", random.Random(SEED), {}, 0, 0
    for round_ in range(ROUNDS):
        acked = _run_and_kill(path, first, rng.uniform(0.0, 0.03))
        ops = store_writer.operations(first)
        acknowledged = [next(ops) for _ in range(acked)]
        in_flight = next(ops)  # applied or not: the kill may come between the write and its acknowledgement
        for op in acknowledged:
            store_writer.apply(model, op)
        maybe = dict(model)
        store_writer.apply(maybe, in_flight)
        actual = _table(path)
        assert actual in (model, maybe), f"round {round_}: acknowledged writes missing after SIGKILL"
        model = actual
        total += acked
        first += acked + 10  # new ids each round; replaces and deletes still reach back into this round
    assert total > ROUNDS  # the writer really wrote between kills
    print(f"\n{ROUNDS} SIGKILLs, {total} acknowledged writes, none lost")


def test_torn_append_is_cut_so_later_writes_survive(tmp_path):
    """A crash mid-append leaves half a line; the next writes must not be glued to it and lost."""
    path = tmp_path / "state.json"
    store = Store(str(path))
    store.put("o", "k", {"id": "a"})
    store.close()
    with open(str(path) + ".log", "ab") as fh:
        fh.write(b'{"op":"put","org":"o","kind":"k","doc":{"id":"torn"')  # no newline: never acknowledged
    store = Store(str(path))
    assert store.exists("o", "k", "a") and not store.exists("o", "k", "torn")
    store.put("o", "k", {"id": "after-crash"})
    store.close()
    store = Store(str(path))
    assert [d["id"] for d in store.list("o", "k")] == ["a", "after-crash"]
    store.close()
    assert b'"torn"' in (tmp_path / "state.json.log.discarded").read_bytes()


@pytest.mark.parametrize("garbage", [b"\x00\x00\x00", b"not json\n", b'{"op":"put"\n'])
def test_startup_survives_garbage_at_the_end_of_the_log(tmp_path, garbage):
    path = tmp_path / "state.json"
    store = Store(str(path))
    store.put("o", "k", {"id": "a", "v": 1})
    store.close()
    with open(str(path) + ".log", "ab") as fh:
        fh.write(garbage)
    store = Store(str(path))
    assert store.get("o", "k", "a") == {"id": "a", "v": 1}
    store.put("o", "k", {"id": "b"})
    store.close()
    assert Store(str(path)).exists("o", "k", "b")


def test_a_compaction_killed_before_its_rename_leaves_a_loadable_file(tmp_path):
    path = tmp_path / "state.json"
    store = Store(str(path))
    store.put("o", "k", {"id": "a"})
    store.compact()
    store.put("o", "k", {"id": "b"})
    store.close()
    half = orjson.dumps({"format": 1, "ops": [{"op": "put", "org": "o", "kind": "k", "doc": {"id": "x"}}]})
    (tmp_path / "state.json.abc123.tmp").write_bytes(half[: len(half) // 2])
    store = Store(str(path))
    assert [d["id"] for d in store.list("o", "k")] == ["a", "b"]
    store.close()
    assert not list(tmp_path.glob("*.tmp"))


HTTP_ROUNDS = int(os.environ.get("MOCKSERVER_CRASH_HTTP_ROUNDS", "6"))


def _http_writes_until_killed(srv, delay: float, prefix: str) -> tuple[list[str], list[str]]:
    """4 threads create sites and delete some of theirs; SIGKILL after ``delay``.

    Returns (ids acknowledged by a 201 and never sent a DELETE, ids whose DELETE was acknowledged by a 204).
    """
    token = mint(srv.url, scopes=ALL_SCOPES)["access_token"]
    mmp = ConfigClient(srv.url, token).create("multimedia-profile", mmp_body(prefix))["id"]
    acked, deleted, doomed, stop = [], [], [], threading.Event()

    def worker(i):
        api, n = ConfigClient(srv.url, token), 0
        while not stop.is_set():
            n += 1
            try:
                resp = api.call("POST", "site", site_body(f"{prefix} {i} {n}", mmp))
                if resp.status_code == 201:
                    sid = resp.json()["id"]
                    acked.append(sid)
                    if n % 4 == 0:
                        doomed.append(sid)  # a delete cut by the kill may or may not have happened
                        if api.call("DELETE", f"site/{sid}").status_code == 204:
                            deleted.append(sid)
            except requests.RequestException:
                return  # the server is gone: whatever was not answered was not acknowledged
            finally:
                close_session()

    kill_during(srv, stop, delay, [threading.Thread(target=worker, args=(i,)) for i in range(4)])
    return [i for i in acked if i not in set(doomed)], deleted


def test_sigkill_over_http_keeps_every_acknowledged_write(tmp_path):
    """``mockserver serve --storage``: sites acknowledged with 201 (or deleted with 204) before a SIGKILL are
    there (or gone) after the restart, round after round; the restart never fails."""
    path, rng, total = str(tmp_path / "state.json"), random.Random(SEED), 0
    expected, gone = set(), set()
    for round_ in range(HTTP_ROUNDS):
        with ServerProcess(path) as srv:
            acked, deleted = _http_writes_until_killed(srv, rng.uniform(0.3, 1.0), f"r{round_}")
        expected |= set(acked)
        gone |= set(deleted)
        total += len(acked)
        with ServerProcess(path) as srv:  # the restart must succeed on whatever the kill left
            api = ConfigClient(srv.url, mint(srv.url, scopes=ALL_SCOPES)["access_token"])
            present = {s["id"] for s in api.all("site")}
            close_session()
            srv.kill()
        assert expected <= present, f"round {round_}: {len(expected - present)} acknowledged sites lost"
        assert not gone & present, f"round {round_}: acknowledged deletes undone"
    assert total > HTTP_ROUNDS
    print(f"\n{HTTP_ROUNDS} SIGKILLs over HTTP, {total} acknowledged creates, none lost")


ACTIVITY_ROUNDS = int(os.environ.get("MOCKSERVER_CRASH_ACTIVITY_ROUNDS", "3"))
HOUR_MS = 3_600_000


def _generator_runs_until_killed(srv, delay: float) -> tuple[list[dict], list[str]]:
    """One thread creates organisations and runs the traffic generator over six past hours of each; SIGKILL
    after ``delay``. Returns the acknowledged runs ``{org, from, to, contacts}`` and the orgs of unanswered ones."""
    acked, cut, stop = [], [], threading.Event()
    http = requests.Session()

    def worker():
        n = 0
        while not stop.is_set():
            n += 1
            try:
                resp = http.post(f"{srv.url}/_mock/orgs", json={"template": "demo"}, timeout=30)
                if resp.status_code != 201:
                    return
                org = resp.json()["id"]
                end = int(time.time() * 1000) - HOUR_MS
                window = {"from": end - 6 * HOUR_MS, "to": end, "seed": n, "rate": 10}
                cut.append(org)  # until answered, the run may or may not have happened
                resp = http.post(f"{srv.url}/_mock/activity/{org}", json=window, timeout=60)
                if resp.status_code == 200:
                    cut.remove(org)
                    acked.append({"org": org, **window, "contacts": resp.json()["scheduledContacts"]})
            except requests.RequestException:
                return  # the server is gone: whatever was not answered was not acknowledged

    kill_during(srv, stop, delay, [threading.Thread(target=worker)], join=60)
    http.close()
    return acked, cut


def _records(url: str, org: str) -> list[dict] | None:
    resp = requests.get(f"{url}/_mock/snapshot", params={"orgId": org}, timeout=60)
    if resp.status_code == 404:
        return None
    assert resp.status_code == 200, resp.text
    state = resp.json()["activity"][org]
    return state["records"]["task"] if state else []


def test_sigkill_during_generator_runs_keeps_every_acknowledged_run(tmp_path):
    """Generator runs acknowledged with 200 before a SIGKILL are there, whole, after the restart (their tasks,
    one per scheduled contact); a run cut by the kill is there whole or not at all; the restart never fails."""
    path, rng, expected, total = str(tmp_path / "state.json"), random.Random(SEED), [], 0
    for round_ in range(ACTIVITY_ROUNDS):
        with ServerProcess(path) as srv:
            acked, cut = _generator_runs_until_killed(srv, rng.uniform(1.0, 3.0))
        expected += acked
        total += sum(run["contacts"] for run in acked)
        with ServerProcess(path) as srv:  # loads the store and every organisation's activity log
            for run in expected:
                tasks = _records(srv.url, run["org"])
                inside = [t for t in tasks if run["from"] <= t["createdTime"] < run["to"]]
                assert len(inside) == run["contacts"], f"round {round_}: an acknowledged run lost contacts"
            for org in cut:
                _records(srv.url, org)  # a run cut by the kill: its org answers (its log entry whole or absent)
            srv.kill()
        assert Store(path).orgs()  # the store file itself still loads
    assert expected and total > 0
    print(f"\n{ACTIVITY_ROUNDS} SIGKILLs during generator runs, {len(expected)} acknowledged runs, "
          f"{total} contacts, none lost")
