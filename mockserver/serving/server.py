"""Serving the app: one process, a pool of threads (all state lives in the process), clean stop on SIGTERM.

The WSGI server was chosen by measurement (``python -m benchmarks``; docs/performance.md). Granian is the
default: its thread worker parses and writes HTTP in Rust outside the GIL and runs the app on a pool of Python
threads in this process; side by side it serves the list page at several times waitress's rate for less CPU
per request. Every harness fault works under it (a dropped connection: ``admin/dropconn.py``).
``MOCKSERVER_SERVER=waitress`` is the fallback (pure Python, every platform, also chosen when Granian has no
wheel for the platform and is not installed).
"""
from __future__ import annotations

import errno
import gc
import logging
import signal
import socket
import sys
import threading
import time

from ..compat import servers as compat

log = logging.getLogger("mockserver.serving.server")

#: How long a stop waits for requests in flight before closing the connections anyway.
DRAIN_SECONDS = 10
#: Largest request head (request line and headers) either server reads: waitress's default.
HEAD_LIMIT = 262144
#: The interpreter's switch interval while Granian serves, by default (``MOCKSERVER_GIL_SWITCH_MS``; CPython's is
#: 5 ms). Each of Granian's Python threads takes a request from its queue first and the GIL after, and a thread
#: that has just answered takes the GIL back at once, so a thread holding a request gets it only when its wait
#: times out and forces a switch, which may well go to another waiting thread: with 8 threads on a saturated
#: list page the slowest 1% waited 35-80 ms for the GIL while later requests were served (docs/performance.md,
#: "The tail").
GIL_SWITCH_S = 0.001


class ServeError(Exception):
    """The server cannot start (the message says why and what to change); no traceback is worth showing."""


def _listen_error(host: str, port: int, exc: OSError) -> ServeError:
    """A failed bind as one sentence naming the problem and the fix."""
    where = f"{host}:{port}"
    if exc.errno == errno.EADDRINUSE:
        return ServeError(f"port {port} on {host} is already in use: stop what is listening there, or choose "
                          "another port with --port N or MOCKSERVER_PORT=N (0 picks a free one)")
    if exc.errno == errno.EACCES:
        return ServeError(f"no permission to listen on {where}: use a port above 1023 (--port or MOCKSERVER_PORT)")
    if exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT) or isinstance(exc, socket.gaierror):
        return ServeError(f"{host} is not an address of this machine: use --host (or MOCKSERVER_HOST) with "
                          "127.0.0.1, 0.0.0.0 or one of its addresses")
    return ServeError(f"cannot listen on {where}: {exc.strerror or exc} (--host/--port, MOCKSERVER_HOST/PORT)")


def _check_bind(host: str, port: int) -> None:
    """Bind and release ``host:port`` once, so a server that binds later fails early with a clear error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers themselves bind
        s.bind((host, port))


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class _SwitchInterval:
    """The switch interval of the first Granian server while at least one of this process serves; the previous
    value after."""

    def __init__(self):
        self._lock, self._serving, self._previous = threading.Lock(), 0, None

    def enter(self, seconds: float) -> None:
        with self._lock:
            if not self._serving:
                self._previous = sys.getswitchinterval()
                sys.setswitchinterval(seconds)
            self._serving += 1

    def leave(self) -> None:
        with self._lock:
            self._serving -= 1
            if not self._serving and self._previous is not None:
                sys.setswitchinterval(self._previous)


_switch_interval = _SwitchInterval()


class GranianServer:
    """Granian in this process: one worker thread running the Rust HTTP server, ``threads`` Python threads."""

    name = "granian"

    def __init__(self, app, host: str, port: int, threads: int = 8, switch_s: float = GIL_SWITCH_S):
        from granian.constants import Interfaces
        from granian.http import HTTP1Settings

        self.app, self.host, self.switch_s = app, host, switch_s
        self.port = port or _free_port(host)  # Granian cannot report the port it picked for 0
        _check_bind(host, self.port)  # Granian binds inside serve(), where a failure is only logged
        self._stopped = threading.Event()
        # A request head over 256 KiB is refused with 431, as waitress does (max_request_header_size).
        self._server = compat.granian_one_process("mockserver:create_app", address=host, port=self.port,
                                   interface=Interfaces.WSGI, workers=1, blocking_threads=threads,
                                   workers_kill_timeout=DRAIN_SECONDS, log_level="warning",
                                   http1_settings=HTTP1Settings(max_buffer_size=HEAD_LIMIT))

    def serve_forever(self, on_ready=None) -> None:
        """Serve until ``shutdown()`` or SIGTERM/SIGINT; in-flight requests finish before this returns.

        ``on_ready(self)`` runs once the socket accepts connections: on Linux Granian's worker binds the port
        itself after the startup hooks, so a watcher thread waits (bounded) for a TCP connect to succeed.
        """
        if on_ready is not None:
            self._server.hooks_startup.append(
                lambda: threading.Thread(target=self._when_listening, args=(on_ready,), daemon=True).start())
        _switch_interval.enter(self.switch_s)
        try:
            self._server.serve(target_loader=lambda *a, **k: self.app, wrap_loader=False)
        except SystemExit:
            pass
        finally:
            _switch_interval.leave()
            self._stopped.set()

    def _when_listening(self, on_ready) -> None:
        host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not self._stopped.is_set():
            try:
                socket.create_connection((host, self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.002)
        on_ready(self)

    def shutdown(self, wait: bool = True) -> None:
        """Stop accepting, finish the requests in flight (bounded), then return from ``serve_forever``."""
        compat.granian_stop(self._server)
        if wait:
            self._stopped.wait(DRAIN_SECONDS + 5)


class WaitressServer:
    """waitress: an asyncore event loop in the calling thread plus ``threads`` worker threads."""

    name = "waitress"

    def __init__(self, app, host: str, port: int, threads: int = 8):
        from waitress.server import create_server

        self.app = app
        # channel_timeout: idle keep-alive connections are closed after 30 s.
        self._server = create_server(app, host=host, port=port, threads=threads, ident="wxcc-mockserver",
                                     clear_untrusted_proxy_headers=False, channel_timeout=30)
        self.port = self._server.effective_port
        self._stopping = threading.Event()
        self._stopped = threading.Event()

    def serve_forever(self, on_ready=None) -> None:
        """Accept and serve until ``shutdown()``; returns once every socket is closed."""
        if on_ready is not None:
            on_ready(self)  # the socket is bound (and listening) since __init__
        try:
            self._server.run()  # the event loop: returns when its socket map is empty
        finally:
            compat.waitress_stop_workers(self._server, DRAIN_SECONDS)
            self._stopped.set()

    def shutdown(self, wait: bool = True) -> None:
        """Stop accepting, let the requests in flight finish (bounded), close every connection.

        Safe from any thread and from a signal handler: socket work is handed to the event loop's thread.
        """
        if self._stopped.is_set():
            return
        if not self._stopping.is_set():
            self._stopping.set()
            threading.Thread(target=self._drain, name="mockserver-drain", daemon=True).start()
        if wait:
            self._stopped.wait(DRAIN_SECONDS + 5)

    def _drain(self) -> None:
        srv = self._server
        compat.waitress_in_loop(srv, lambda: compat.waitress_close_listener(srv))
        deadline = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < deadline and not self._stopped.is_set():
            if not compat.waitress_in_loop(srv, lambda: compat.waitress_close_idle(srv, force=False)):
                return  # the last connection went and the loop closed its trigger: nothing left to drain
            time.sleep(0.01)
        if not self._stopped.is_set():
            compat.waitress_in_loop(srv, lambda: compat.waitress_close_idle(srv, force=True))


def _granian_available() -> bool:
    try:
        import granian.server.mt  # noqa: F401
    except ImportError:
        return False
    return True


def default_server() -> str:
    """Granian where it is installed (it has wheels for the common platforms), else waitress."""
    return "granian" if _granian_available() else "waitress"


def make_wsgi_server(app, cfg):
    """A server for any WSGI ``app`` on ``cfg.host:cfg.port`` (port 0: a free one), per ``cfg.server``.

    No choice (empty): Granian if installed, waitress otherwise.
    """
    choice = (getattr(cfg, "server", "") or default_server()).lower()
    if choice not in ("granian", "waitress"):
        raise ServeError(f"MOCKSERVER_SERVER must be 'granian' or 'waitress', not {choice!r}")
    if choice == "granian" and not _granian_available():
        raise ServeError("MOCKSERVER_SERVER=granian needs Granian: pip install 'wxcc-mockserver[granian]' "
                         "(or MOCKSERVER_SERVER=waitress)")
    try:
        if choice == "granian":
            return GranianServer(app, cfg.host, cfg.port, cfg.threads,
                                 getattr(cfg, "gil_switch_ms", GIL_SWITCH_S * 1000) / 1000)
        return WaitressServer(app, cfg.host, cfg.port, cfg.threads)
    except OSError as exc:  # includes socket.gaierror (a host name that does not resolve)
        raise _listen_error(cfg.host, cfg.port, exc) from None
    except ValueError:  # waitress: "Invalid host/port specified." for a host name that does not resolve
        raise _listen_error(cfg.host, cfg.port, socket.gaierror(socket.EAI_NONAME, "unknown host")) from None


def settle_heap() -> None:
    """Before serving: what start-up built (the app, its routes, the tenant) goes to the permanent generation.

    A full collection then walks only what requests made since: 1.7 against 30 ms of CPU on the demo tenant
    after 12,000 list requests, and every thread waits for it (docs/performance.md, "The tail"). No collection
    first: it would cost the start-up tens of milliseconds, and a collection right after ``create_app`` finds
    nothing unreachable to free.
    """
    gc.freeze()


def make_server(app, cfg):
    """The server ``mockserver serve`` runs for the mock app (not yet serving)."""
    return make_wsgi_server(app, cfg)


def run(app, cfg, on_ready=None) -> int:
    """Serve until SIGTERM/SIGINT, finish the requests in flight, then compact and close the store.

    ``on_ready(server)`` runs once the socket listens, before serving (the CLI prints its banner there).
    """
    server = make_server(app, cfg)
    settle_heap()
    previous = {}
    if isinstance(server, WaitressServer):  # Granian installs its own SIGTERM/SIGINT handlers
        handler = lambda signum, frame: server.shutdown(wait=False)  # noqa: E731
        previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.serve_forever(on_ready)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        from ..http.reqlog import flush

        flush(app)  # the access log lines still queued
        rt = app.extensions["wxcc"]
        rt.activity.close()  # each organisation's activity log folded into its snapshot
        rt.store.compact()
        rt.store.close()
    return 0
