"""A live server on a free loopback port in a background thread, for tests that need real HTTP."""
from __future__ import annotations

import threading

from waitress.server import create_server


class LiveServer:
    """Serve ``app`` with waitress on 127.0.0.1 (port 0 = a free one) until ``stop()``."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, threads: int = 8):
        self.app = app
        self._server = create_server(app, host=host, port=port, threads=threads, ident="wxcc-mockserver")
        self.port = self._server.effective_port
        self.url = f"http://{host}:{self.port}"
        app.extensions["wxcc"].tokens.register_issuer(self.url)
        self._thread = threading.Thread(target=self._server.run, name=f"mockserver-{self.port}", daemon=True)

    def start(self) -> "LiveServer":
        """Start serving; returns self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, close every connection, end the loop and the worker threads."""
        server = self._server
        if not self._thread.is_alive():
            server.close()
        else:
            # Closing sockets from this thread would pull them from under the loop's select() (EBADF) and
            # leave it waiting out its timeout; the trigger runs the close inside the loop thread instead.
            def close_everything():
                for dispatcher in list(server._map.values()):  # listener, connections, the trigger itself
                    dispatcher.close()

            try:
                server.trigger.pull_trigger(close_everything)
            except OSError:  # the trigger is already closed: close from here, as a last resort
                server.close()
            self._thread.join(timeout=5)
        server.task_dispatcher.shutdown(timeout=5)

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
