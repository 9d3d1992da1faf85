"""A real HTTP receiver on 127.0.0.1 for webhook tests: records every request and answers as told."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """``answers``: a list of ``(status, delay_s)`` used in turn, then ``default``. ``gate``: cleared, every answer
    waits (at most 30 s) until it is set again; ``answered`` counts the answers written."""

    def __init__(self, default=(200, 0.0), keep_alive: bool = False):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, float]] = []
        self.default = default
        self.location = None  # where a 3xx answer points (default: /elsewhere on this receiver)
        self.lock = threading.Lock()
        self.gate = threading.Event()
        self.gate.set()
        self.answered = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with owner.lock:
                    status, delay = owner.answers.pop(0) if owner.answers else owner.default
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    owner.requests.append({"path": self.path, "headers": headers,
                                           "raw": body, "json": json.loads(body), "at": time.monotonic(),
                                           "peer": self.client_address[1]})
                if delay:
                    time.sleep(delay)
                owner.gate.wait(30)
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", owner.location or f"http://127.0.0.1:{owner.port}/elsewhere")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
                with owner.lock:
                    owner.answered += 1

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/wxcc"
        # A short poll: ``shutdown`` waits for the loop's next look (the default 0.5 s was most of each test's teardown)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict]:
        """The requests once ``count`` have arrived (or what came within ``timeout`` s)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.requests) >= count:
                    return list(self.requests)
            time.sleep(0.01)
        with self.lock:
            return list(self.requests)

    def close(self):
        self.gate.set()  # no answer left waiting
        self.server.shutdown()
        self.server.server_close()
