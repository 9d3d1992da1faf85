"""The ceiling of the stack: the shared bare Flask + PyJWT app (``shared/bench/flask_peer.py``, BENCH_MODE=jwt)
served by the same server module, thread count and process settings (switch interval, frozen heap) as
``mockserver serve``.

``python -m benchmarks.ceiling --port P`` (env: BENCH_JWT_PUBKEY, BENCH_JWT_AUD).
"""
from __future__ import annotations

import argparse
import os
import signal
import sys

from .common import SHARED_BENCH


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args(argv)
    os.environ.setdefault("BENCH_MODE", "jwt")
    sys.path.insert(0, str(SHARED_BENCH))
    from flask_peer import app

    from mockserver.config import Config
    from mockserver.serving.server import make_wsgi_server, settle_heap

    cfg = Config.from_env(port=args.port)
    server = make_wsgi_server(app, cfg)
    settle_heap()  # as ``mockserver serve`` does: the same process settings, not only the same server
    signal.signal(signal.SIGTERM, lambda *a: server.shutdown(wait=False))
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
