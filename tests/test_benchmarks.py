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


def test_the_start_up_profile_prints_where_a_start_spends_its_cpu():
    out = subprocess.run([sys.executable, "-m", "benchmarks.startup", "--runs", "1"], cwd=ROOT, capture_output=True,
                         text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert lines[0].startswith("Main thread CPU of a start: ") and " ms at least over 1 runs" in lines[0]
    groups = {line.split("|")[1].strip(): line for line in lines if line.startswith("| ")}
    for group in ("the mock's own modules", "the standard library", "cryptography, PyJWT",
                  "Flask, Werkzeug, Jinja2, click, itsdangerous, MarkupSafe, blinker"):
        assert group in groups, (group, out.stdout)
    assert "| `mockserver." in out.stdout  # the modules whose own code costs most, the mock's among them
    steps = [line.split("|")[1].strip() for line in lines if line.startswith("| ") and line.count("|") == 4
             and not line.startswith("| step") and not line.startswith("|---")]
    assert steps == ["settings, the stand-ins, the key's thread started", "create_app (the imports it makes included)",
                     "the Granian server made (Granian imported)",
                     "a token minted, the list page through the test client"], out.stdout


def _stamps(requests):
    """wrk's lines for ``(sent, entered, response started, received, thread)`` in ms."""
    return [" ".join(str(int(v * 1e6)) for v in r[:4]) + f" {r[4]}" for r in requests]


def test_the_tail_breakdown_counts_requests_served_out_of_turn_and_splits_the_wait():
    from benchmarks.tail import analyse

    # 100 requests served first come, first served by two threads: 1 ms before the app, 0.5 in it, 1 after
    fair = [(i, i + 1, i + 1.5, i + 2.5, i % 2) for i in range(100)]
    got = analyse(_stamps(fair), [])
    assert got["requests"] == 100 and got["overtakers_of_slowest_1pct"] == 0
    assert got["median"] == {"before": 1.0, "app": 0.5, "after": 1.0}
    # one request sent at 10 ms waits 80 ms on a thread of its own while the others keep being served
    starved = fair[:10] + fair[11:] + [(10, 90, 90.5, 91.5, 7)]
    got = analyse(_stamps(starved), [(int(50 * 1e6), 61.0), (int(500 * 1e6), 3.0)])
    assert got["p99_ms"] == 81.5 and got["slowest_1pct"] == {"before": 80.0, "app": 0.5, "after": 1.0}
    assert got["overtakers_of_slowest_1pct"] == 78  # the requests sent from 11 to 88 ms entered first
    assert got["threads"] == 3 and got["full_collections"] == [61.0]  # the pause at 500 ms is after the run
