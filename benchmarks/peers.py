"""The peer ratios: ``shared/bench/run_peers.sh`` runs Prism (silent), Mockoon, moto and the mock side by side.

The mock is the harness's target (``--target-*``): launched by ``mockserver serve`` with a signing key from a
file and a fixed public base URL, so one token minted here is valid in every launch the harness makes.
"""
from __future__ import annotations

import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import LOOPBACK, ROOT, SHARED_BENCH
from .tenant import BENCH_ORG

DEFAULT_PEERS = "prism-silent,mockoon,moto-sqs,flask-jwt-gunicorn-sync"
TARGET = "wxcc-mock"
PORT = 18199


def available() -> bool:
    """run_peers.sh is there and its tools are installed (``run_peers.sh --install``)."""
    return (SHARED_BENCH / "run_peers.sh").exists() and Path("/tmp/peers/node_modules/.bin/prism").exists()


def run(peers: str, serve_cmd: list[str], env: dict, token: str, rounds: int, duration: int, warmup: int,
        budget_s: int) -> dict:
    """Run the harness; returns {name: summary} (rps_median, startup_ms, rss_idle_mib, ...)."""
    out = Path(tempfile.mkdtemp(prefix="wxcc-peers-")) / "results.json"
    cmd = [str(SHARED_BENCH / "run_peers.sh"), "--peers", peers, "--rounds", str(rounds),
           "--duration", str(duration), "--warmup", str(warmup), "--startup-reps", str(rounds),
           "--target-name", TARGET, "--target-cwd", str(ROOT), "--target-port", str(PORT),
           "--target-cmd", shlex.join(serve_cmd + ["--port", "{port}"]),
           "--target-url", f"http://{LOOPBACK}:{{port}}/organization/{BENCH_ORG}/v2/team?page=0&pageSize=100",
           "--token", token, "--out", str(out)]
    proc = subprocess.run(cmd, env={**env, "BENCH_MAX_S": str(budget_s)}, capture_output=True, text=True,
                          timeout=budget_s + 30)
    if proc.returncode or not out.exists():
        print(proc.stdout[-2000:], proc.stderr[-3000:], file=sys.stderr)
        raise RuntimeError(f"run_peers.sh failed ({proc.returncode})")
    return {s["name"]: s for s in json.loads(out.read_text())["summaries"]}
