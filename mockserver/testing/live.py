"""A live server on a free loopback port in a background thread, for tests that need real HTTP."""
from __future__ import annotations

import atexit
import os
import socket
import threading
import time
from types import SimpleNamespace


#: Which server live tests run under: ``MOCKSERVER_SERVER`` as for ``mockserver serve`` (default Granian;
#: ``MOCKSERVER_SERVER=waitress python -m pytest`` runs them under the fallback).
def server_choice() -> str:
    from ..serving.server import default_server

    return (os.environ.get("MOCKSERVER_SERVER") or default_server()).lower()


class LiveServer:
    """Serve ``app`` on 127.0.0.1 (port 0 = a free one) with ``mockserver serve``'s server until ``stop()``."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, threads: int = 8, server: str | None = None):
        from ..serving.server import make_wsgi_server

        self.app, self.host = app, host
        self.server_name = server or server_choice()
        cfg = SimpleNamespace(host=host, port=port, threads=threads, server=self.server_name)
        self._server = make_wsgi_server(app, cfg)
        self.port = self._server.port
        self.url = f"http://{host}:{self.port}"
        app.extensions["wxcc"].tokens.register_issuer(self.url)
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"on_ready": self._on_ready},
                                        name=f"mockserver-{self.port}", daemon=True)

    def _on_ready(self, _server) -> None:
        self._ready.set()

    def start(self) -> "LiveServer":
        """Start serving and wait (bounded) until the port answers; returns self.

        A server still running when the process exits is stopped first (atexit, before the interpreter
        finalizes): Granian's Rust threads serving while CPython 3.11-3.13 finalizes are ended with
        ``pthread_exit``, which aborts in Rust ("panic in a function that cannot unwind")."""
        atexit.register(self.stop)
        self._thread.start()
        self._ready.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # a TCP connect, not a request: the journal must stay empty
            try:
                socket.create_connection((self.host, self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop accepting, finish the requests in flight (bounded), close every connection."""
        atexit.unregister(self.stop)  # a stopped server is not kept alive by the exit handlers
        if self._thread.is_alive():
            self._server.shutdown(wait=True)
            self._thread.join(timeout=15)

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
