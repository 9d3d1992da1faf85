"""Command line: ``mockserver serve | token | org | snapshot | openapi | config``."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import urllib.parse
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def _serve(args) -> int:
    from .config import Config

    try:
        cfg = Config.from_env(host=args.host, port=args.port, fixtures=args.fixtures, storage=args.storage)
        _configure_logging(cfg.log_level)
    except ValueError as exc:  # a bad MOCKSERVER_* value: say which, without a traceback
        print(f"mockserver: {exc}", file=sys.stderr)
        return 2
    from .auth.keys import generate_early

    generate_early(cfg.signing_key)  # the RSA key is generated (or read) while the imports below run

    from . import create_app
    from .server import run

    app = create_app(cfg)
    rt = app.extensions["wxcc"]

    def ready(server):
        # A wildcard address is where the server listens, not an address a client can use.
        host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(cfg.host, cfg.host)
        host = host if ":" not in host else f"[{host}]"
        base = cfg.public_base_url.rstrip("/") or f"http://{host}:{server.port}"
        rt.tokens.register_issuer(base)
        print(f"Webex Contact Center mock listening on {base}")  # even with --quiet: scripts read the port here
        import threading

        # The reset copy of a large tenant is compressed once the server answers (memory: docs/performance.md).
        threading.Thread(target=rt.store.pack_seed, name="mockserver-pack-seed", daemon=True).start()
        if not args.quiet:
            from .admin.tokens import mint_for

            _banner(rt, base, mint_for)
        sys.stdout.flush()

    return run(app, cfg, on_ready=ready)


def _configure_logging(level: str) -> None:
    """Logs to stderr; the access log as bare JSON lines, so they can be parsed as they are."""
    logging.basicConfig(level=level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    access = logging.getLogger("mockserver.access")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    access.addHandler(handler)
    access.propagate = False
    from .reqlog import use_writer

    use_writer(sys.stderr)  # the request lines themselves: queued, written by a background thread


def _banner(rt, base, mint_for) -> None:
    """Base URL, a ready token per demo role, and a sample curl."""
    from .auth.policy import ROLE_LABELS

    print(f"  OpenAPI: {base}/openapi.json   Swagger UI: {base}/docs   health: {base}/health")
    first = None
    for org in rt.demo_orgs()[:1]:
        meta = rt.org(org) or {"name": org}
        print(f"\nOrganization {org} ({meta.get('name')}): tokens valid {rt.tokens.access_ttl} s")
        for person in rt.store.list(org, "people"):
            role = (person.get("roles") or [person.get("ccRole", "user")])[0]
            scopes = ["cjp:config", "cjp:config_read", "cjp:config_write", "cjp:user"]
            tok = mint_for(rt, base, {"user": person["id"], "orgId": org, "scopes": scopes})["access_token"]
            first = first or (org, tok)
            print(f"  {ROLE_LABELS.get(role, role):<75} {person.get('email')}\n    {tok}")
    if first:
        print(f"\nTry (as the first user above):\n  curl -H 'Authorization: Bearer {first[1]}' "
              f"'{base}/organization/{first[0]}/v2/site'")


def _token(args) -> int:
    body = {"user": args.user, "clientId": args.client_id}
    for key, value in (("scopes", args.scopes), ("orgId", args.org), ("expiresIn", args.expires_in)):
        if value is not None:
            body[key] = value
    if args.expired:
        body["expired"] = True
    if args.roles is not None:
        body["roles"] = [r for r in args.roles.split(",") if r]
    headers = {"Content-Type": "application/json"}
    admin = os.environ.get("MOCKSERVER_ADMIN_TOKEN")
    if admin:
        headers["X-Mock-Admin-Token"] = admin
    import urllib.error  # the CLI's HTTP client: imported by the commands that call a server, never by serve
    import urllib.request

    req = urllib.request.Request(args.url.rstrip("/") + "/_mock/tokens", json.dumps(body).encode(), headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            data = json.load(resp)
    except urllib.error.HTTPError as exc:
        print(exc.read().decode(errors="replace"), file=sys.stderr)
        return 1
    except urllib.error.URLError as exc:
        print(f"cannot reach the mock at {args.url}: {exc.reason}", file=sys.stderr)
        return 1
    print(json.dumps(data, indent=2) if args.json else data["access_token"])
    return 0


class ControlError(Exception):
    """A control API call failed (message: what the mock said, or why it could not be reached)."""


def _control(url: str, method: str, path: str, body=None, raw: bytes | None = None):
    """Call the control API of a running mock (sends MOCKSERVER_ADMIN_TOKEN when set); parsed JSON or None."""
    headers = {"Content-Type": "application/json"}
    admin = os.environ.get("MOCKSERVER_ADMIN_TOKEN")
    if admin:
        headers["X-Mock-Admin-Token"] = admin
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url.rstrip("/") + path, data, headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            payload = resp.read()
    except urllib.error.HTTPError as exc:
        raise ControlError(exc.read().decode(errors="replace")) from None
    except urllib.error.URLError as exc:
        raise ControlError(f"cannot reach the mock at {url}: {exc.reason}") from None
    return json.loads(payload) if payload else None


def _run_control(func):
    """Turn a ControlError into a message on stderr and exit status 1."""
    def wrapper(args) -> int:
        try:
            return func(args)
        except (ControlError, OSError) as exc:  # OSError: a snapshot file that cannot be read or written
            print(exc, file=sys.stderr)
            return 1
    return wrapper


@_run_control
def _org(args) -> int:
    if args.org_command == "create":
        body = {"template": args.template, "users": args.users, "seed": args.seed, "flex3": not args.no_flex3}
        for key, value in (("id", args.id), ("name", args.name)):
            if value:
                body[key] = value
        data = _control(args.url, "POST", "/_mock/orgs", body)
        print(json.dumps(data, indent=2) if args.json else _org_text(data))
    elif args.org_command == "list":
        for org in _control(args.url, "GET", "/_mock/orgs")["items"]:
            print(f"{org['id']}  {org['template']:<9} {sum(org['documents'].values()):>7} docs  {org['name']}")
    elif args.org_command == "delete":
        _control(args.url, "DELETE", f"/_mock/orgs/{urllib.parse.quote(args.org_id, safe='')}")
    else:  # reset
        _control(args.url, "POST", f"/_mock/orgs/{urllib.parse.quote(args.org_id, safe='')}/reset")
    return 0


def _org_text(data: dict) -> str:
    lines = [f"Organization {data['id']} ({data['name']}, {data['template']}): tokens valid {data['expiresIn']} s"]
    for role, admin in sorted(data["admins"].items()):
        lines.append(f"  {role:<24} {admin['email']}\n    {admin['accessToken']}")
    return "\n".join(lines)


@_run_control
def _snapshot(args) -> int:
    if args.snapshot_command == "save":
        path = "/_mock/snapshot" + (f"?orgId={urllib.parse.quote(args.org)}" if args.org else "")
        text = json.dumps(_control(args.url, "GET", path))
        if args.file == "-":
            print(text)
        else:
            Path(args.file).write_text(text)
            print(f"wrote {args.file}", file=sys.stderr)
    else:
        raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
        result = _control(args.url, "PUT", "/_mock/snapshot", raw=raw)
        print(f"restored {result['restored']}" + (f" {result['orgId']}" if result.get("orgId") else ""))
    return 0


def openapi_document() -> dict:
    """The OpenAPI document of the mock (independent of fixtures)."""
    from . import create_app

    app = create_app({"fixtures": "/nonexistent-fixtures-dir", "access_log": False})
    with app.app_context():
        return app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


def render_openapi() -> str:
    """Stable text of the document (sorted keys) for the committed snapshot."""
    return json.dumps(openapi_document(), indent=2, sort_keys=True) + "\n"


def _openapi(args) -> int:
    text = render_openapi()
    out = Path(args.out)
    if args.check:
        if not out.exists() or out.read_text() != text:
            print(f"{out} is stale: run `mockserver openapi` to regenerate it", file=sys.stderr)
            return 1
        print(f"{out} is up to date")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(f"wrote {out}")
    return 0


def _config(args) -> int:
    from .config import Config

    for env, default, doc in Config.documented():
        print(f"{env}={default!s:<12} {doc}")
    return 0


def main(argv=None) -> int:
    """Entry point of the ``mockserver`` command."""
    parser = argparse.ArgumentParser(prog="mockserver", description="Webex Contact Center mock server")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve", help="run the server (waitress, one process, threads)")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--fixtures")
    p.add_argument("--storage", help="'memory' or a file path")
    p.add_argument("--quiet", action="store_true", help="do not print tokens and the sample curl")
    p.set_defaults(func=_serve)
    p = sub.add_parser("token", help="ask a running server for a token")
    p.add_argument("--url", default=os.environ.get("MOCKSERVER_URL", "http://127.0.0.1:5000"))
    p.add_argument("--user", required=True, help="fixture user id or email")
    p.add_argument("--org")
    p.add_argument("--scopes", help="space- or comma-separated")
    p.add_argument("--roles", help="comma-separated roles overriding the user's")
    p.add_argument("--client-id", default="mock-test-client")
    p.add_argument("--expires-in", type=int)
    p.add_argument("--expired", action="store_true")
    p.add_argument("--json", action="store_true", help="print the whole token response")
    p.set_defaults(func=_token)
    default_url = os.environ.get("MOCKSERVER_URL", "http://127.0.0.1:5000")
    p = sub.add_parser("org", help="create, list, delete or reset organisations on a running server")
    org_sub = p.add_subparsers(dest="org_command", required=True)
    c = org_sub.add_parser("create", help="a fresh isolated organisation; prints its id and a token per admin role")
    c.add_argument("--template", choices=["empty", "demo", "generated"], default="demo")
    c.add_argument("--users", type=int, default=200, help="size of a generated tenant")
    c.add_argument("--seed", type=int, default=1, help="seed of a generated tenant")
    c.add_argument("--no-flex3", action="store_true", help="licensed without Flex 3")
    c.add_argument("--id")
    c.add_argument("--name")
    c.add_argument("--json", action="store_true", help="print the whole response")
    org_sub.add_parser("list", help="every organisation")
    for name in ("delete", "reset"):
        org_sub.add_parser(name, help=f"{name} one organisation").add_argument("org_id")
    for q in org_sub.choices.values():
        q.add_argument("--url", default=default_url)
    p.set_defaults(func=_org)
    p = sub.add_parser("snapshot", help="save or load the state of a running server (one org or all)")
    snap_sub = p.add_subparsers(dest="snapshot_command", required=True)
    q = snap_sub.add_parser("save", help="write a snapshot to a file ('-': stdout)")
    q.add_argument("file")
    q.add_argument("--org", help="one organisation (default: the whole server)")
    q.add_argument("--url", default=default_url)
    q = snap_sub.add_parser("load", help="restore a snapshot file ('-': stdin) exactly")
    q.add_argument("file")
    q.add_argument("--url", default=default_url)
    p.set_defaults(func=_snapshot)
    p = sub.add_parser("openapi", help="write (or --check) the committed OpenAPI snapshot")
    p.add_argument("--out", default=str(SNAPSHOT))
    p.add_argument("--check", action="store_true")
    p.set_defaults(func=_openapi)
    p = sub.add_parser("config", help="list every setting with its environment variable and default")
    p.set_defaults(func=_config)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
