"""``LiveServer`` and the end of its process: a server left running is stopped before the interpreter finalizes."""
from __future__ import annotations

import gc
import subprocess
import sys
import urllib.request
import weakref

from mockserver.testing import LiveServer

from ..reliability.procs import ROOT, python_env
from .conftest import make_app

#: A script that starts a live server, keeps requests coming from a daemon thread, and exits without stopping
#: it. Its own exit handler, registered first, runs last (atexit is last in, first out) and says whether the
#: port still answers then.
LEFT_RUNNING = '''
import atexit, socket, threading, time, urllib.request
from mockserver import create_app
from mockserver.testing import LiveServer

live = None

def probe():
    try:
        socket.create_connection(("127.0.0.1", live.port), timeout=1).close()
        print("still serving", flush=True)
    except OSError:
        print("stopped", flush=True)

atexit.register(probe)
live = LiveServer(create_app({"access_log": False})).start()

def load():
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(live.url + "/health", timeout=5).read()
        except OSError:
            return

for _ in range(4):
    threading.Thread(target=load, daemon=True).start()
time.sleep(0.5)
print("exiting", flush=True)
'''


def test_a_live_server_left_running_is_stopped_at_exit_before_the_interpreter_finalizes():
    # Granian's Rust threads serving while CPython 3.11-3.13 finalizes are ended with pthread_exit, which aborts
    # in Rust ("panic in a function that cannot unwind"): LiveServer.start registers its stop with atexit.
    done = subprocess.run([sys.executable, "-c", LEFT_RUNNING], cwd=ROOT, env=python_env(), capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["exiting", "stopped"], done.stdout
    assert "panicked" not in done.stderr, done.stderr[-2000:]


def test_a_stopped_live_server_is_not_kept_by_the_exit_handlers():
    live = LiveServer(make_app()).start()
    with urllib.request.urlopen(live.url + "/health", timeout=10) as resp:
        assert resp.status == 200
    live.stop()
    ref = weakref.ref(live)
    del live, resp
    gc.collect()
    assert ref() is None
