"""The WSGI servers measured for ``mockserver serve``, each serving the same app in one process with threads.

``python -m benchmarks.candidates --engine waitress|gunicorn|cheroot|granian --port P --fixtures DIR``.
waitress and granian-mt (Granian's thread worker: one process) go through ``mockserver.serving.server``, as
``mockserver serve`` runs them; gunicorn (gthread, 1 worker), cheroot and granian (its default: a worker
process) are started from code with the same thread count. Used by ``benchmarks/servers.py``.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys

ENGINES = ("waitress", "gunicorn", "cheroot", "granian", "granian-mt")


def make_app():
    """The mock (``mockserver serve`` settings from the environment) plus the stand-in routes if needed."""
    from mockserver import create_app
    from mockserver.config import Config

    from .standin import install

    app = create_app(Config.from_env())
    install(app)
    return app


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=ENGINES, required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--threads", type=int, default=8)
    args = ap.parse_args(argv)
    os.environ["MOCKSERVER_PORT"] = str(args.port)
    os.environ["MOCKSERVER_THREADS"] = str(args.threads)
    if args.engine in ("waitress", "granian-mt"):  # mockserver.serving.server's two servers (one process each)
        from mockserver.config import Config
        from mockserver.serving.server import run

        os.environ["MOCKSERVER_SERVER"] = "granian" if args.engine == "granian-mt" else "waitress"
        return run(make_app(), Config.from_env())
    if args.engine == "cheroot":
        from cheroot import wsgi

        server = wsgi.Server(("127.0.0.1", args.port), make_app(), numthreads=args.threads)
        signal.signal(signal.SIGTERM, lambda *a: server.stop())
        try:
            server.safe_start()
        finally:
            server.stop()
        return 0
    if args.engine == "gunicorn":
        from gunicorn.app.base import BaseApplication

        class App(BaseApplication):
            def load_config(self):
                for key, value in {"bind": f"127.0.0.1:{args.port}", "workers": 1, "worker_class": "gthread",
                                   "threads": args.threads, "keepalive": 30, "accesslog": None}.items():
                    self.cfg.set(key, value)

            def load(self):
                return make_app()  # in the worker process: the state lives there

        App().run()
        return 0
    from granian import Granian

    Granian("benchmarks.candidates:make_app", address="127.0.0.1", port=args.port, interface="wsgi",
            workers=1, blocking_threads=args.threads, factory=True).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
