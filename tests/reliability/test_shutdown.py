"""A clean shutdown (SIGTERM) lets an in-flight request finish, exits 0 and flushes the store to its snapshot."""
from __future__ import annotations

import http.client
import json
import select
import signal
from urllib.parse import urlsplit

from mockserver.storage import Store

from ..conftest import DEMO_ORG
from .procs import ServerProcess

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
