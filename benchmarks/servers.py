"""Which WSGI server for ``mockserver serve``: each candidate serves the mock's 100-team list page with auth.

``python -m benchmarks.servers [--rounds 3 --duration 8]``: interleaved rounds, a fresh launch each,
median req/s, p50/p99, launch-to-first-200 and RSS per server. Prints one markdown table.
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import time
from pathlib import Path

from . import tenant
from .candidates import ENGINES
from .common import LOOPBACK, Proc, free_port, http, load, median


def token(base: str) -> str:
    status, body = http("POST", base + "/_mock/tokens", json.dumps({"user": "full.admin@acme.example"}).encode(),
                        {"Content-Type": "application/json"})
    assert status in (200, 201), body
    return json.loads(body)["access_token"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=float, default=8)
    ap.add_argument("--warmup", type=float, default=2)
    ap.add_argument("--threads", type=int, default=8)
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: every server we launched is stopped
    work = Path(tempfile.mkdtemp(prefix="wxcc-servers-"))
    fixtures, _ = tenant.build(work / "fixtures", 200)
    path = f"/organization/{tenant.BENCH_ORG}/v2/team?page=0&pageSize=100"
    rows = {e: [] for e in args.engines.split(",")}
    for rnd in range(args.rounds):
        for engine in rows:
            port = free_port()
            base = f"http://{LOOPBACK}:{port}"
            proc = Proc([sys.executable, "-m", "benchmarks.candidates", "--engine", engine, "--port", str(port),
                         "--threads", str(args.threads)],
                        env={"MOCKSERVER_FIXTURES": str(fixtures), "MOCKSERVER_LOG_LEVEL": "WARNING"})
            try:
                start = proc.wait_200(base + "/health")
                tok = token(base)
                status, body = http("GET", base + path, headers={"Authorization": f"Bearer {tok}"})
                assert status == 200, body[:300]
                idle = proc.rss_mib()
                sc = {"method": "GET", "path": path, "headers": {"Authorization": f"Bearer {tok}"}}
                load(base, sc, args.warmup)
                cpu0 = proc.cpu_ms()
                r = load(base, sc, args.duration)
                r["cpu_us_per_req"] = (proc.cpu_ms() - cpu0) * 1000 / max(1, r["requests"])
                r.update(startup_ms=start, rss_idle=idle, rss_load=proc.rss_mib(), bytes=len(body))
                rows[engine].append(r)
                print(f"round {rnd + 1} {engine}: {r['rps']:.0f} req/s p50 {r['p50_ms']:.2f} ms "
                      f"cpu {r['cpu_us_per_req']:.0f} us/req start {start:.0f} ms errors {r['errors']}",
                      file=sys.stderr, flush=True)
            finally:
                proc.stop()
            time.sleep(0.5)
    print("| server | req/s median [min-max] | server CPU us/req | p50 ms | p99 ms | errors | launch->200 ms "
          "| RSS idle / after MiB |")
    print("|---|---|---|---|---|---|---|---|")
    for engine, runs in rows.items():
        rps = [r["rps"] for r in runs]
        print(f"| {engine} | {median(rps):.0f} [{min(rps):.0f}-{max(rps):.0f}] "
              f"| {median([r['cpu_us_per_req'] for r in runs]):.0f} "
              f"| {median([r['p50_ms'] for r in runs]):.2f} "
              f"| {median([r['p99_ms'] for r in runs]):.2f} | {sum(r['errors'] for r in runs)} "
              f"| {median([r['startup_ms'] for r in runs]):.0f} | {median([r['rss_idle'] for r in runs]):.1f} / "
              f"{median([r['rss_load'] for r in runs]):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
