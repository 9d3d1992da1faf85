"""``mockserver serve``'s server module: one process, and a SIGTERM lets requests in flight finish, then persists."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.live
SCRIPT = textwrap.dedent("""
    import gc, sys, time
    from mockserver import create_app
    from mockserver.config import Config
    from mockserver.serving.server import run

    cfg = Config.from_env(port=0, storage=sys.argv[1], access_log=False)
    app = create_app(cfg)

    @app.get("/slow")
    def slow():
        time.sleep(0.8)
        return "done"

    def ready(server):
        print(f"PORT {server.port} {server.name} {gc.get_freeze_count()} {before} {sys.getswitchinterval()}",
              flush=True)

    before = len(gc.get_objects()) + gc.get_freeze_count()  # what start-up built, frozen or not
    sys.exit(run(app, cfg, on_ready=ready))
""")


def _start(tmp_path, server, **env):
    env = {**os.environ, "MOCKSERVER_SERVER": server, "PYTHONPATH": str(ROOT), **env}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(tmp_path / "state.json")], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().split()
    assert line[:1] == ["PORT"], line
    url = f"http://127.0.0.1:{line[1]}"
    for _ in range(200):  # bounded wait for the socket
        try:
            urllib.request.urlopen(url + "/health", timeout=1).read()
            break
        except OSError:
            time.sleep(0.02)
    _start.facts = {"frozen": int(line[3]), "built": int(line[4]), "switch": float(line[5])}
    return proc, url, line[2]


@pytest.mark.parametrize("server", ["granian", "waitress"])
def test_sigterm_finishes_the_request_in_flight_then_compacts_the_store(tmp_path, server):
    proc, url, name = _start(tmp_path, server)
    assert name == server
    got = {}

    def call():
        got["body"] = urllib.request.urlopen(url + "/slow", timeout=10).read()

    t = threading.Thread(target=call)
    t.start()
    time.sleep(0.3)  # the request is now inside the view
    proc.send_signal(signal.SIGTERM)
    t.join(10)
    assert got.get("body") == b"done"
    assert proc.wait(15) == 0
    with pytest.raises(OSError):
        urllib.request.urlopen(url + "/health", timeout=1)
    snapshot = json.loads((tmp_path / "state.json").read_bytes())
    assert any(op["kind"] == "people" for op in snapshot["ops"])  # compacted: the seed is in the snapshot
    assert (tmp_path / "state.json.log").read_bytes() == b""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_serve_runs_one_process(tmp_path):
    proc, url, name = _start(tmp_path, "")
    try:
        assert name == "granian"  # the default where Granian is installed
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert children == []
        assert len(os.listdir(f"/proc/{proc.pid}/task")) > 1  # threads, not processes
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)


@pytest.mark.parametrize("server,env,switch", [
    ("granian", {}, 0.001), ("granian", {"MOCKSERVER_GIL_SWITCH_MS": "2.5"}, 0.0025),
    ("waitress", {"MOCKSERVER_GIL_SWITCH_MS": "2.5"}, 0.005)])
def test_serving_starts_with_the_start_up_heap_frozen_and_granian_switching_as_set(tmp_path, server, env, switch):
    proc, url, name = _start(tmp_path, server, **env)
    try:
        assert name == server
        facts = _start.facts
        # every object start-up built is in the permanent generation: full collections while serving skip it
        assert facts["frozen"] >= facts["built"] > 10_000, facts
        # Granian's threads hand the GIL over every millisecond by default; waitress keeps the interpreter's 5 ms
        assert facts["switch"] == switch, facts
        assert urllib.request.urlopen(url + "/health", timeout=5).status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0


def test_the_switch_interval_is_restored_when_the_last_granian_server_stops(app):
    pytest.importorskip("granian", reason="the granian extra is not installed")
    from mockserver.serving.server import GIL_SWITCH_S
    from mockserver.testing import LiveServer

    before = sys.getswitchinterval()
    assert before != GIL_SWITCH_S
    first = LiveServer(app, server="granian").start()
    second = LiveServer(app, server="granian").start()
    try:
        assert sys.getswitchinterval() == GIL_SWITCH_S
        first.stop()
        assert sys.getswitchinterval() == GIL_SWITCH_S  # the other one still serves
        assert urllib.request.urlopen(second.url + "/health", timeout=5).status == 200
    finally:
        first.stop()
        second.stop()
    assert sys.getswitchinterval() == before
