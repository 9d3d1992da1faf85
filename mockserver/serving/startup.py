"""``mockserver serve``: settings and fixtures checked first, the server started, a one-screen banner."""
from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path


def serve(args) -> int:
    """``mockserver serve``: exit status 0 after a clean stop, 2 when it cannot start."""
    from ..compat import deferred

    deferred.install()  # library modules nothing uses before the first answer: imported on first use
    # Everything made from here to the first answer lives as long as the server: no garbage collection passes over
    # it meanwhile, and it is frozen once the server listens (``ready``), so later collections skip it.
    from ..heap import collector_off

    with collector_off() as collecting:
        return _serve(args, collecting)


def _serve(args, collecting: bool) -> int:
    from ..config import Config

    try:
        cfg = Config.from_env(host=args.host, port=args.port, fixtures=args.fixtures, storage=args.storage)
        _check_fixtures(cfg.fixtures, explicit=bool(args.fixtures or os.environ.get("MOCKSERVER_FIXTURES")))
    except ValueError as exc:  # a bad setting: one line naming it and the fix, no traceback
        return _fail(exc)
    _configure_logging(cfg.log_level)
    from ..auth.keys import generate_early

    generate_early(cfg.signing_key)  # the RSA key is generated (or read) while the imports below run

    from .. import create_app
    from ..auth.keys import KeyFileError
    from ..storage.fixtures import FixtureError
    from .server import ServeError, run

    try:
        app = create_app(cfg)
    except FixtureError as exc:
        return _fail(f"cannot load the fixtures: {exc}: fix that file, or point --fixtures (or "
                     "MOCKSERVER_FIXTURES) at another folder")
    except KeyFileError as exc:
        return _fail(f"{exc}: replace it, or point MOCKSERVER_SIGNING_KEY at another file (a missing one is "
                     "created; unset, a key is generated at each start)")
    rt = app.extensions["wxcc"]
    from ..http.reqlog import use_writer

    use_writer(app, sys.stderr)  # the access log lines: queued, written by a background thread
    from ..runtime import is_loopback

    def ready(server):
        gc.freeze()
        if collecting:
            gc.enable()
        # A wildcard address is where the server listens, not an address a client can use.
        host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(cfg.host, cfg.host)
        host = host if ":" not in host else f"[{host}]"
        base = cfg.public_base_url.rstrip("/") or f"http://{host}:{server.port}"
        rt.tokens.register_issuer(base)
        print(f"Webex Contact Center mock listening on {base}")  # even with --quiet: scripts read the port here
        import threading

        # The reset copy of a large tenant is compressed once the server answers (memory: docs/performance.md).
        threading.Thread(target=rt.store.pack_seed, name="mockserver-pack-seed", daemon=True).start()
        if rt.admin_token_generated:  # printed even with --quiet: without it the control API cannot be used
            print(f"  Control API (/_mock) and console need the admin token (listening on {cfg.host}): "
                  f"X-Mock-Admin-Token: {rt.admin_token}")
        elif not rt.admin_token and cfg.admin_token.strip().lower() == "off" and not is_loopback(cfg.host):
            print(f"  WARNING: MOCKSERVER_ADMIN_TOKEN=off: the control API and console are open to anyone who "
                  f"reaches {cfg.host}:{server.port}")
        if not args.quiet:
            _banner(rt, base, args.all_tokens)
        sys.stdout.flush()

    try:
        return run(app, cfg, on_ready=ready)
    except ServeError as exc:  # the port is taken, the address is not this machine's...
        rt.store.close()
        return _fail(exc)


def end_process(status: int) -> None:
    """End the ``mockserver serve`` process once the server has stopped and everything is saved: the output
    flushed, then ``os._exit`` without finalizing the interpreter.

    Granian stops its Rust threads in the background after ``serve`` returns (a few ms, more after long loads).
    One of them taking the GIL while the interpreter finalizes is ended by CPython 3.11-3.13 with
    ``pthread_exit``, whose forced unwinding through a Rust frame aborts the process ("panic in a function that
    cannot unwind") after a clean stop. Nothing is left for finalization to do: every thread of ours is a daemon,
    the store, the activity log and the access log were closed and flushed by ``server.run``, and the webhook
    delivery process ends on the end of its input.
    """
    logging.shutdown()  # what the atexit handler would do: flush and close the log handlers
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be written there anyway
            pass
    os._exit(status)


def _fail(message) -> int:
    """One line on stderr, exit status 2 (the start-up could not go on)."""
    print(f"mockserver: {message}", file=sys.stderr)
    return 2


def _check_fixtures(path: str, explicit: bool) -> None:
    """A fixtures folder that cannot be read stops the start; a missing default one means an empty server."""
    folder = Path(path)
    how = "point --fixtures (or MOCKSERVER_FIXTURES) at a folder of seed data"
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"the fixtures folder {folder} is a file, not a folder: {how}")
    if folder.is_dir() and not os.access(folder, os.R_OK | os.X_OK):
        raise ValueError(f"the fixtures folder {folder} cannot be read (permission denied): {how}")
    if not folder.exists() and explicit:
        raise ValueError(f"the fixtures folder {folder} does not exist: {how}, or leave it unset")


def _configure_logging(level: str) -> None:
    """Logs to stderr; the access log as bare JSON lines, so they can be parsed as they are."""
    logging.basicConfig(level=level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    access = logging.getLogger("mockserver.access")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    access.addHandler(handler)
    access.propagate = False



def _banner(rt, base: str, all_tokens: bool) -> None:
    """One screen: the URLs, the demo organisation, the full administrator's token and a curl that works."""
    from ..admin.tokens import mint_for
    from ..auth.policy import FULL_ADMIN
    from .tokens import SCOPES, person_label

    print(f"  Swagger UI {base}/docs, OpenAPI /openapi.json, health /health")
    orgs = rt.demo_orgs()[:1]
    if not orgs:
        print(f"  No organisation loaded from {rt.config.fixtures} (--fixtures DIR); mockserver org create adds one.")
        return
    org = orgs[0]
    people = rt.store.list(org, "people")
    print(f"  Organization {org} ({(rt.org(org) or {}).get('name', org)}), {len(people)} people")

    def token(person):
        return mint_for(rt, base, {"user": person["id"], "orgId": org, "scopes": SCOPES})["access_token"]

    if all_tokens:
        for person in people:
            print(f"\n  {person_label(person)}\n    {token(person)}")
        print()
    admin = next((p for p in people if FULL_ADMIN in (p.get("roles") or [])), people[0] if people else None)
    if admin is None:
        return
    print(f"  Full Administrator {admin.get('email')}, a token valid {rt.tokens.access_ttl} s; try:\n")
    print(f"export WXCC_TOKEN={token(admin)}")
    print(f"curl -H \"Authorization: Bearer $WXCC_TOKEN\" {base}/organization/{org}/v2/site\n")
    print("  Other users: mockserver tokens, or mockserver token --user EMAIL. Stop: Ctrl-C.")
