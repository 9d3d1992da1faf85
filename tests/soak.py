"""Soak: a ``mockserver serve`` subprocess under mixed load over loopback; memory, errors and latency per window.

    python -m tests.soak --seconds 300 --threads 8          # the long run (figures in docs/reliability.md)

Each worker loops over a mix: list and read configuration, create then delete a site, replace a shared site,
mint a token, rotate a refresh token, and read /health. Any 5xx, any unexpected status or transport error is
an error. The server's resident memory (``/proc/<pid>/status``) is sampled every window; the first window is
warm-up (imports, caches), growth is measured from its end.
"""
from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from pathlib import Path

from .reliability.http import READWRITE_CLIENT, ConfigClient, close_session, mint, mmp_body, session, site_body
from .reliability.procs import ServerProcess

ALL_SCOPES = ["cjp:config", "cjp:config_read", "cjp:config_write", "cjp:user"]


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Soak:
    """Runs the load and keeps the figures."""

    def __init__(self, url: str, threads: int, window: float):
        self.url, self.threads, self.window = url, threads, window
        self.lock = threading.Lock()
        self.latencies: list[float] = []  # current window, seconds
        self.errors: list[str] = []
        self.requests = 0
        token = mint(url, scopes=ALL_SCOPES)["access_token"]
        self.api = ConfigClient(url, token)
        self.token = token
        self.mmp = self.api.create("multimedia-profile", mmp_body("soak"))["id"]
        self.shared = self.api.create("site", site_body("soak shared", self.mmp))

    def _timed(self, fn, expect):
        t0 = time.perf_counter()
        try:
            resp = fn()
            status, text = resp.status_code, resp.text[:200]
        except Exception as exc:  # transport errors count as errors, never stop the soak
            status, text = None, repr(exc)
        dt = time.perf_counter() - t0
        with self.lock:
            self.requests += 1
            self.latencies.append(dt)
            if status not in expect:
                self.errors.append(f"{status} {text}")
        return status

    def worker(self, i: int, stop: threading.Event) -> None:
        rng, api, n = random.Random(i), ConfigClient(self.url, self.token), 0
        client_id, secret = READWRITE_CLIENT
        refresh = mint(self.url, refresh=True, clientId=client_id)["refresh_token"]
        try:
            while not stop.is_set():
                n += 1
                pick = rng.random()
                if pick < 0.35:
                    self._timed(lambda: api.call("GET", "v2/site?pageSize=50"), {200})
                elif pick < 0.5:
                    self._timed(lambda: api.call("GET", f"site/{self.shared['id']}"), {200})
                elif pick < 0.65:
                    created = []

                    def create():
                        resp = api.call("POST", "site", site_body(f"soak {i}-{n}", self.mmp))
                        if resp.status_code == 201:
                            created.append(resp.json()["id"])
                        return resp
                    self._timed(create, {201})
                    for sid in created:
                        self._timed(lambda: api.call("DELETE", f"site/{sid}"), {204})
                elif pick < 0.75:
                    body = {k: v for k, v in self.shared.items() if k != "version"}
                    self._timed(lambda: api.call("PUT", f"site/{self.shared['id']}", {**body, "description": str(n)}),
                                {200})
                elif pick < 0.85:
                    self._timed(lambda: session().post(self.url + "/_mock/tokens", timeout=60,
                                                       json={"user": "readonly.admin@acme.example"}), {201})
                elif pick < 0.95:
                    def rotate():
                        nonlocal refresh
                        resp = session().post(self.url + "/v1/access_token", timeout=60, data={
                            "grant_type": "refresh_token", "refresh_token": refresh,
                            "client_id": client_id, "client_secret": secret})
                        if resp.status_code == 200:
                            refresh = resp.json()["refresh_token"]
                        return resp
                    self._timed(rotate, {200})
                else:
                    self._timed(lambda: session().get(self.url + "/health", timeout=60), {200})
        finally:
            close_session()

    def loops(self, stop: threading.Event) -> list[threading.Thread]:
        """The load's threads (a richer soak adds its own)."""
        return [threading.Thread(target=self.worker, args=(i, stop), daemon=True) for i in range(self.threads)]

    def sample(self) -> dict:
        """Figures of the server added to each window's row (a richer soak adds its own)."""
        return {}

    def run(self, seconds: float, pid: int, report=print) -> dict:
        stop = threading.Event()
        workers = self.loops(stop)
        for w in workers:
            w.start()
        windows, start = [], time.monotonic()
        try:
            while time.monotonic() - start < seconds:
                time.sleep(self.window)
                with self.lock:
                    lat, self.latencies = sorted(self.latencies), []
                row = {"t": round(time.monotonic() - start), "requests": len(lat), "rssMB": round(rss_mb(pid), 1),
                       "p50ms": round(1000 * lat[len(lat) // 2], 2) if lat else None,
                       "p99ms": round(1000 * lat[int(len(lat) * 0.99)], 2) if lat else None,
                       "errors": len(self.errors), **self.sample()}
                windows.append(row)
                report(row)
        finally:
            stop.set()
            for w in workers:
                w.join(60)
        self.windows = windows
        return summarise(windows, self.requests, self.errors, seconds)


def summarise(windows: list[dict], requests: int, errors: list[str], seconds: float) -> dict:
    """The figures of a run (the first window is warm-up)."""
    steady = windows[1:] or windows
    rss = [w["rssMB"] for w in steady]
    p50 = [w["p50ms"] for w in steady if w["p50ms"] is not None]
    p99 = [w["p99ms"] for w in steady if w["p99ms"] is not None]
    return {"seconds": round(seconds), "requests": requests, "rps": round(requests / seconds),
            "errors": len(errors), "firstErrors": errors[:5],
            "rssMB": {"afterWarmup": rss[0], "end": rss[-1], "max": max(rss), "growth": round(rss[-1] - rss[0], 1)},
            "p50ms": {"first": p50[0], "last": p50[-1], "median": round(statistics.median(p50), 2)},
            "p99ms": {"first": p99[0], "last": p99[-1], "median": round(statistics.median(p99), 2)}}


def soak(seconds: float = 300, threads: int = 8, window: float = 10, storage: str = "memory", report=print) -> dict:
    """Start a server, run the load, stop the server (by its pid); the figures."""
    with ServerProcess(storage, MOCKSERVER_THREADS=str(max(8, threads))) as srv:
        return Soak(srv.url, threads, window).run(seconds, srv.proc.pid, report)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--window", type=float, default=10, help="seconds per sample")
    parser.add_argument("--storage", default="memory", help="'memory' or a file path (persistence under load)")
    args = parser.parse_args(argv)
    result = soak(args.seconds, args.threads, args.window, args.storage)
    print(result)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
