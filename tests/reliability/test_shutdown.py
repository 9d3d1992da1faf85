"""A clean shutdown (SIGTERM) lets an in-flight request finish, exits 0 and flushes the store to its snapshot."""
from __future__ import annotations

import http.client
import json
import select
import signal
import subprocess
import sys
import urllib.request
from urllib.parse import urlsplit

from mockserver.storage import Store

from ..conftest import DEMO_ORG
from .procs import ROOT, ServerProcess, python_env

#: A body the app needs a noticeable time to refuse (parsed and walked, then refused with 400): a million
#: small lists, so that the depth check walks it (a body with at most 64 brackets is not walked).
SLOW_BODY = b'{"user": [' + b"[1]," * 1_000_000 + b"[1]]}"


def test_sigterm_finishes_the_request_in_flight_and_flushes(tmp_path):
    path = tmp_path / "state.json"
    with ServerProcess(str(path), MOCKSERVER_MAX_BODY_BYTES=str(len(SLOW_BODY) + 1)) as srv:
        url = urlsplit(srv.url)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        conn.request("POST", "/_mock/tokens", body=SLOW_BODY, headers={"Content-Type": "application/json"})
        readable, _, _ = select.select([conn.sock], [], [], 0.1)
        assert not readable, "the request must still be in flight when SIGTERM arrives"
        srv.signal(signal.SIGTERM)
        resp = conn.getresponse()
        body = json.loads(resp.read())
        conn.close()
        assert resp.status == 400 and body["error"]["reason"].startswith("user: Not a valid string")
        assert srv.wait(30) == 0
    assert (tmp_path / "state.json.log").stat().st_size == 0  # compacted into the snapshot at exit
    store = Store(str(path))
    assert store.exists(DEMO_ORG, "people", store.list(DEMO_ORG, "people")[0]["id"])
    store.close()


#: ``mockserver serve`` as the console script runs it, with an atexit handler that says whether the interpreter
#: was finalized after the server stopped.
FINALIZE_PROBE = ("import atexit, sys\n"
                  "atexit.register(lambda: print('interpreter finalized', flush=True))\n"
                  "sys.argv = ['mockserver', 'serve', '--host', '127.0.0.1', '--port', '0', '--quiet']\n"
                  "from mockserver.cli import console\n"
                  "console()\n")


def test_after_sigterm_the_process_ends_without_finalizing_and_loses_no_output():
    # Granian's Rust threads wind down after its serve() returns; one taking the GIL while CPython finalizes
    # is ended by pthread_exit, which aborts in Rust ("panic in a function that cannot unwind"). The serve
    # process therefore ends with os._exit once everything is saved: no finalization, every line still written.
    proc = subprocess.Popen([sys.executable, "-c", FINALIZE_PROBE], cwd=ROOT, text=True,
                            env=python_env(MOCKSERVER_ACCESS_LOG="true"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = proc.stdout.readline()
        assert "listening on " in line, line
        url = line.rsplit(" ", 1)[1].strip()
        for _ in range(REQUESTS):
            with urllib.request.urlopen(url + "/health", timeout=10) as resp:
                assert resp.status == 200
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err[-2000:]
    assert "interpreter finalized" not in out and "panicked" not in err
    logged = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
    assert [(x["path"], x["status"]) for x in logged] == [("/health", 200)] * REQUESTS  # none left queued


REQUESTS = 40
