"""What `mockserver serve` leaves out of its start (docs/performance.md "Start-up"): a started server has not
imported the deferred library modules nor compiled marshmallow's e-mail patterns, collects garbage again with
what it built frozen, and its first answers of each kind are what they always were (the OpenAPI document
byte for byte the committed one)."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import gc, json, os, sys, threading, time, traceback, urllib.request
from mockserver import cli
from mockserver.compat import deferred

port = int(sys.argv[1])
base = f"http://127.0.0.1:{port}"


def get(path, headers=None, body=None):
    req = urllib.request.Request(base + path, data=body, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.status, resp.read()


def state():
    import marshmallow.validate as v
    return {"loaded": [m for m in deferred.DEFERRED if deferred.is_loaded(m)],
            "standins": sorted(m for m in deferred.DEFERRED if type(sys.modules.get(m)) is deferred.StandIn),
            "email_patterns_compiled": [p._compiled is not None for p in (v.Email.USER_REGEX, v.Email.DOMAIN_REGEX)],
            "gc_enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}


def probe():
    deadline = time.monotonic() + 60
    health = None
    while health is None and time.monotonic() < deadline:
        try:
            health = get("/health")
        except OSError:
            time.sleep(0.02)
    while not gc.isenabled() and time.monotonic() < deadline:  # "ready" runs once the socket accepts connections
        time.sleep(0.01)
    out = {"at_start": state(), "health": [health[0], json.loads(health[1])]}
    status, raw = get("/_mock/tokens", {"Content-Type": "application/json"},
                      json.dumps({"user": "full.admin@acme.example"}).encode())
    token = json.loads(raw)["access_token"]
    org = token.rsplit("_", 1)[1]
    status, raw = get(f"/organization/{org}/v2/team?page=0&pageSize=100", {"Authorization": "Bearer " + token})
    page = json.loads(raw)
    out["teams"] = [status, len(page["data"])]
    out["openapi"] = [get("/openapi.json")[0], json.loads(get("/openapi.json")[1])]
    status, raw = get("/docs")
    out["docs"] = [status, b"swagger-ui" in raw]
    out["after"] = state()
    print(json.dumps(out))


def probe_then_exit():
    try:
        probe()
        code = 0
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


threading.Thread(target=probe_then_exit, daemon=True).start()
# The server in the main thread, as the command runs it (waitress sets its signal handlers there).
sys.exit(cli.main(["serve", "--quiet", "--host", "127.0.0.1", "--port", str(port)]))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_started_server_has_left_out_what_no_answer_needs_and_answers_as_before():
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(_free_port())], capture_output=True, text=True,
                         timeout=180, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    assert lines, out.stdout[-2000:] + out.stderr[-2000:]
    got = json.loads(lines[-1])
    for when in ("at_start", "after"):
        assert got[when]["loaded"] == [], (when, got[when])
        assert got[when]["standins"] == sorted(["werkzeug.serving", "cryptography.x509", "yaml"]), got[when]
        assert got[when]["email_patterns_compiled"] == [False, False], got[when]
    assert got["at_start"]["gc_enabled"] is True and got["at_start"]["frozen"] > 100_000, got["at_start"]
    assert got["health"][0] == 200 and got["health"][1]["status"] == "ok", got["health"]
    assert got["teams"][0] == 200 and got["teams"][1] > 0, got["teams"]
    assert got["openapi"][0] == 200
    assert got["openapi"][1] == json.loads((ROOT / "openapi" / "openapi.json").read_text())
    assert got["docs"] == [200, True]
