"""Where the list page's p99 comes from: each request's time before, in and after the app, and the pauses of the GC.

``python -m benchmarks.tail [--server granian|waitress] [--threads N] [--runs 3 --duration 3] [--checkout DIR]``

wrk (LuaJIT) stamps every request with its send time (``CLOCK_MONOTONIC``, a header); the server, launched as
``mockserver serve`` with a WSGI middleware of this module, answers with the time the app was entered and the
time it started the response (the same clock) and the thread that ran it; wrk writes the four times per
request. Printed per run: the median request and the slowest 1% split into before the app (queue, thread,
GIL), the app, after (the body and the write); how many requests sent later entered the app first
("overtakers": 0 in a first-come first-served server); how long the thread that ran a slow request had been
idle before it; and the full collections (``gc.callbacks``) during the run. docs/performance.md, "The tail".
"""
from __future__ import annotations

import argparse
import bisect
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import scenarios, tenant
from .common import LOOPBACK, Proc, free_port

_LUA = r'''
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } tailspec; int clock_gettime(int, tailspec*); ]]
local ts = ffi.new("tailspec")
local function now() ffi.C.clock_gettime(1, ts); return tonumber(ts.tv_sec) * 1000000000 + tonumber(ts.tv_nsec) end
local out, n, hdrs = nil, 0, {}
init = function(args) out = io.open(os.getenv("TAIL_OUT"), "w"); hdrs["Authorization"] = os.getenv("TAIL_AUTH") end
request = function() hdrs["X-Sent"] = string.format("%d", now()); return wrk.format("GET", nil, hdrs, nil) end
response = function(status, headers, body)
  local t = now()
  local function h(k) return headers[k] or headers[k:lower()] or "0" end
  out:write(h("X-Sent"), " ", h("X-In"), " ", h("X-Out"), " ", string.format("%d", t), " ", h("X-Th"), "\n")
  n = n + 1
  if n % 256 == 0 then out:flush() end
end
'''


def stamping(app):
    """The WSGI middleware of the measured server: the entry and response-start times, the thread."""
    clock, inner = time.monotonic_ns, app.wsgi_app

    def wsgi(environ, start_response):
        entered, sent = clock(), environ.get("HTTP_X_SENT", "0")

        def start(status, headers, exc_info=None):
            headers += [("X-Sent", sent), ("X-In", str(entered)), ("X-Out", str(clock())),
                        ("X-Th", str(threading.get_ident() % 1_000_000))]
            return start_response(status, headers, exc_info)
        return inner(environ, start)
    app.wsgi_app = wsgi


def _serve(argv) -> int:
    """``mockserver serve`` with the stamps and a record of every full collection (written at exit)."""
    import atexit
    import gc

    if os.environ.get("TAIL_CHECKOUT"):  # another checkout's mockserver (side by side with main)
        sys.path.insert(0, os.environ["TAIL_CHECKOUT"])
    from mockserver import cli
    from mockserver.serving import server

    pauses, begun = [], {}

    def on_gc(phase, info):
        if phase == "start":
            begun["t"] = time.perf_counter()
        elif info["generation"] == 2:
            pauses.append((time.monotonic_ns(), (time.perf_counter() - begun["t"]) * 1000))
    gc.callbacks.append(on_gc)
    atexit.register(lambda: Path(os.environ["TAIL_GC"]).write_text(json.dumps(pauses)))
    run = server.run
    server.run = lambda app, cfg, on_ready=None: (stamping(app), run(app, cfg, on_ready))[1]
    return cli.main(["serve", *argv])


def analyse(lines: list[str], pauses: list) -> dict:
    """The breakdown of one run's requests (times in ms)."""
    rows = []
    for line in lines:
        f = line.split()
        if len(f) == 5 and f[1] != "0":
            sent, entered, out, got = (int(x) for x in f[:4])
            rows.append((got - sent, sent, entered, out, f[4]))
    rows.sort(key=lambda r: r[2])
    entries = [r[2] for r in rows]
    by_latency = sorted(rows)
    n = len(rows)
    cut = by_latency[int(n * 0.99)][0]
    tail = [r for r in rows if r[0] >= cut]
    mid = by_latency[int(n * 0.45):int(n * 0.55)]
    previous_out = {}
    last = {}
    for r in rows:
        if r[4] in last:
            previous_out[id(r)] = last[r[4]][3]
        last[r[4]] = r
    ms = 1e6

    split = (("before", lambda r: r[2] - r[1]), ("app", lambda r: r[3] - r[2]), ("after", lambda r: r[1] + r[0] - r[3]))

    def parts(sel):
        return {k: round(statistics.mean(f(r) for r in sel) / ms, 2) for k, f in split}

    def overtook(r):  # entered the app while r waited, though sent after it
        return sum(1 for o in rows[bisect.bisect_right(entries, r[1]):bisect.bisect_left(entries, r[2])] if o[1] > r[1])
    overtakers = [overtook(r) for r in tail]
    idle = [(r[2] - previous_out[id(r)]) / ms for r in tail if id(r) in previous_out]
    span = (rows[-1][2] - rows[0][2]) or 1
    during = [p for t, p in pauses if rows[0][1] <= t <= rows[-1][3]]
    return {"requests": n, "p50_ms": round(by_latency[n // 2][0] / ms, 2), "p99_ms": round(cut / ms, 2),
            "rps": round(n / (span / 1e9)), "median": parts(mid), "slowest_1pct": parts(tail),
            "overtakers_of_slowest_1pct": round(statistics.mean(overtakers), 1),
            "thread_idle_before_slowest_ms": round(statistics.mean(idle), 1) if idle else None,
            "threads": len({r[4] for r in rows}), "full_collections": [round(p, 1) for p in during]}


def measure(args, fixtures: Path, key: Path, token_for) -> dict:
    port = free_port()
    base = f"http://{LOOPBACK}:{port}"
    work = Path(tempfile.mkdtemp(prefix="wxcc-tail-"))
    env = {"MOCKSERVER_SIGNING_KEY": str(key), "MOCKSERVER_PUBLIC_BASE_URL": base, "MOCKSERVER_SERVER": args.server,
           "MOCKSERVER_THREADS": str(args.threads), "TAIL_GC": str(work / "gc.json"), "TAIL_CHECKOUT": args.checkout}
    proc = Proc([sys.executable, "-m", "benchmarks.tail", "--serve", "--quiet", "--host", LOOPBACK, "--port", str(port),
                 "--fixtures", str(fixtures)], env=env)
    token = token_for(base)
    url = base + f"{scenarios.ORG}/v2/team?page=0&pageSize=100"
    try:
        proc.wait_200(url, {"Authorization": f"Bearer {token}"})
        (work / "stamp.lua").write_text(_LUA)
        wenv = {**os.environ, "TAIL_AUTH": f"Bearer {token}"}
        for seconds, out in ((args.warmup, work / "warm.txt"), (args.duration, work / "stamps.txt")):
            cmd = ["wrk", "-t1", "-c16", f"-d{seconds}s", "--timeout", "5s", "-s", str(work / "stamp.lua"), url]
            subprocess.run(cmd, env={**wenv, "TAIL_OUT": str(out)}, capture_output=True, timeout=seconds + 30)
    finally:
        proc.stop()
    pauses = json.loads((work / "gc.json").read_text()) if (work / "gc.json").exists() else []
    return analyse((work / "stamps.txt").read_text().splitlines(), pauses)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve"]:
        return _serve(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--server", default="", help="granian or waitress (default: mockserver serve's)")
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--checkout", default="", help="serve this checkout's mockserver (e.g. a copy of main)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="wxcc-tail-"))
    fixtures, _ = tenant.build(work / "fixtures", 200)
    key = work / "key.pem"
    os.environ["MOCKSERVER_SIGNING_KEY"] = str(key)
    from mockserver import create_app
    from mockserver.config import Config

    rt = create_app(Config.from_env(fixtures=str(fixtures), access_log=False)).extensions["wxcc"]
    person = rt.find_person(scenarios.ADMIN)

    def token_for(base):
        return rt.tokens.mint(issuer=base, sub=person["id"], org_id=tenant.BENCH_ORG, client_id="mock-test-client",
                              roles=person.get("roles", []), scopes=["cjp:config_read"])[0]
    for n in range(args.runs):
        result = measure(args, fixtures, key, token_for)
        print(json.dumps({"run": n + 1, "load": os.getloadavg()[0], **result}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
