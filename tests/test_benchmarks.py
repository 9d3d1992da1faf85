"""The benchmark suite runs end to end in its smoke mode and prints its table (figures are not checked)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_suite_prints_its_table():
    out = subprocess.run([sys.executable, "-m", "benchmarks", "--smoke"], cwd=ROOT, capture_output=True, text=True,
                         timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert lines[0] == "## Targets (ratios of this run)"
    assert "| measurement | value | p50 ms | p99 ms | errors | server CPU µs/req | note |" in lines
    verdicts = [line.rsplit("|", 2)[1].strip() for line in lines if line.startswith("| ") and " >= " in line]
    assert verdicts and all(v in ("met", "NOT met") or v.startswith("not measured") for v in verdicts), verdicts
    names = {line.split("|")[1].strip() for line in lines if line.startswith("| ")}
    for row in ("list teams (100/page, ~60 KB)", "get one team", "list audio files (prompts)", "create team (POST)",
                "replace team (PUT)",
                "filtered users (email==)", "token (refresh grant)", "ceiling: bare Flask + PyJWT, same server",
                "scale 200 users, memory: list", "scale 200 users, memory: create (team)"):
        assert row in names, row
    for row in ("list teams while the simulation emits ~500 events/s, delivered to a prompt receiver",
                "list teams while the simulation emits ~500 events/s, none delivered (reference of the delivered row)",
                "list teams while webhooks deliver (receiver paced to 500/s; reference)"):
        assert row in names, row
    live = next(line for line in lines if line.startswith("| webhook deliveries meanwhile >= 475/s"))
    assert live.rsplit("|", 2)[1].strip() in ("met", "NOT met"), live  # measured, with a verdict
    assert "events emitted" in out.stdout and "backlog" in out.stdout
    assert not any("failed:" in line for line in lines), out.stdout
    assert "req/s" in out.stdout and "Machine:" in out.stdout


def test_rows_measures_only_the_rows_named_beside_the_list_page():
    out = subprocess.run([sys.executable, "-m", "benchmarks", "--smoke", "--rows", "token"], cwd=ROOT,
                         capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]
    measured = {line.split("|")[1].strip() for line in out.stdout.splitlines()
                if line.startswith("| ") and "req/s" in line}
    assert measured == {"list teams (100/page, ~60 KB)", "token (refresh grant)"}, measured
    assert "| token (refresh grant) >= 0.5x the list page | n/a |" not in out.stdout  # its ratio is printed
