"""waitress and Granian internals behind a clean stop and a one-process server (tests/test_library_internals.py)."""
from __future__ import annotations

import threading


def granian_one_process(target: str, **options):
    """A Granian server running one thread worker in this process (``MTServer`` with its internals bent):

    * ``MTServer._check_gil``: Granian uses thread workers only on free-threaded builds and refuses a GIL build
      there. On a GIL build one worker with a pool of blocking threads is exactly our model (one process,
      threads, shared state), and the Rust side parses and writes HTTP without holding the GIL.
    * ``MTServer.serve`` -> ``AbstractServer.serve``: skips its "free-threaded support is experimental" warning.
    * ``granian.server.common.set_main_signals``: a no-op while starting outside the main thread, where signal
      handlers cannot be set (tests and the harness serve from a thread).
    """
    from granian.server import common
    from granian.server.common import AbstractServer
    from granian.server.mt import MTServer

    class _OneProcess(MTServer):
        def _check_gil(self):
            return None

        def serve(self, *args, **kwargs):
            return AbstractServer.serve(self, *args, **kwargs)

        def startup(self, spawn_target, target_loader):
            if threading.current_thread() is threading.main_thread():
                return super().startup(spawn_target, target_loader)
            original, common.set_main_signals = common.set_main_signals, lambda *a, **k: None
            try:
                return super().startup(spawn_target, target_loader)
            finally:
                common.set_main_signals = original

    return _OneProcess(target, **options)


def granian_stop(server) -> None:
    """Ask a Granian server to stop as SIGINT would (``signal_handler_interrupt``, undocumented): it finishes
    the requests in flight, then ``serve`` returns."""
    server.signal_handler_interrupt()


def waitress_in_loop(srv, func) -> None:
    """Run ``func`` in the event loop's thread (``srv.trigger.pull_trigger``): socket work from another thread or
    a signal handler must be handed to the loop."""
    srv.trigger.pull_trigger(func)


def waitress_close_listener(srv) -> None:
    """Close the listening socket only: ``wasyncore.dispatcher.close`` on the server (waitress's own ``close``
    also closes the trigger, which the drain still needs)."""
    from waitress import wasyncore

    wasyncore.dispatcher.close(srv)


def waitress_close_idle(srv, force: bool) -> None:
    """In the loop thread: close connections with no request in progress, once their output is written.

    Reads the socket map ``srv._map`` and each channel's ``requests``, ``total_outbufs_len`` and
    ``close_when_flushed``. A connection serving a request reads nothing more meanwhile (waitress's lookahead
    is 0), so each becomes idle after at most the request it holds; when none is left the trigger goes and the
    loop ends.
    """
    for channel in [c for c in list(srv._map.values()) if c is not srv.trigger]:
        if force or (not channel.requests and not channel.total_outbufs_len):
            channel.handle_close()
        elif not channel.requests:
            channel.close_when_flushed = True
    if force or not [c for c in srv._map.values() if c is not srv.trigger]:
        srv.trigger.close()


def waitress_stop_workers(srv, timeout: float) -> None:
    """Stop the worker threads, dropping queued tasks: ``srv.task_dispatcher.shutdown(cancel_pending, timeout)``
    (``run`` returns without waiting for them)."""
    srv.task_dispatcher.shutdown(cancel_pending=True, timeout=timeout)
