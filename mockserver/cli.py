"""Command line: ``mockserver serve | token | tokens | org | snapshot | openapi | activity | config``."""
from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.parse
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def _serve(args) -> int:
    from .serving.startup import serve

    return serve(args)


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
    import urllib.error  # the CLI's HTTP client: imported by the commands that call a server, not serve
    import urllib.request

    req = urllib.request.Request(args.url.rstrip("/") + "/_mock/tokens", json.dumps(body).encode(), headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            data = json.load(resp)
    except urllib.error.HTTPError as exc:
        print(f"mockserver token: {_error_line(exc)}", file=sys.stderr)
        return 1
    except urllib.error.URLError as exc:
        print(f"mockserver token: cannot reach the mock at {args.url}: {exc.reason} (is it running? --url or "
              "MOCKSERVER_URL names another)", file=sys.stderr)
        return 1
    print(json.dumps(data, indent=2) if args.json else data["access_token"])
    return 0


def _error_line(exc: urllib.error.HTTPError) -> str:
    """An error answer of the mock as one line: status and reason (Webex body) or the raw text."""
    text = exc.read().decode(errors="replace")
    try:
        body = json.loads(text)
        reason = body["error"]["reason"] if isinstance(body.get("error"), dict) else body.get("error_description")
    except (ValueError, AttributeError, KeyError, TypeError):
        reason = None
    return f"{exc.code} {reason or ' '.join(text.split())[:300]}"


class ControlError(Exception):
    """A control API call failed (message: what the mock said, or why it could not be reached)."""


def _control(url: str, method: str, path: str, body=None, raw: bytes | None = None):
    """Call the control API of a running mock (sends MOCKSERVER_ADMIN_TOKEN when set); parsed JSON or None."""
    headers = {"Content-Type": "application/json"}
    admin = os.environ.get("MOCKSERVER_ADMIN_TOKEN")
    if admin:
        headers["X-Mock-Admin-Token"] = admin
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    import urllib.error  # the CLI's HTTP client: imported by the commands that call a server, not serve
    import urllib.request

    req = urllib.request.Request(url.rstrip("/") + path, data, headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            payload = resp.read()
    except urllib.error.HTTPError as exc:
        raise ControlError(_error_line(exc)) from None
    except urllib.error.URLError as exc:
        raise ControlError(f"cannot reach the mock at {url}: {exc.reason}") from None
    return json.loads(payload) if payload else None


def _run_control(func):
    """Turn a ControlError into a message on stderr and exit status 1."""
    def wrapper(args) -> int:
        try:
            return func(args)
        except (ControlError, OSError) as exc:  # OSError: a snapshot file that cannot be read or written
            print(f"mockserver {args.command}: {exc}", file=sys.stderr)
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
    from .compat.web import api_of

    app = create_app({"fixtures": "/nonexistent-fixtures-dir", "access_log": False})
    with app.app_context():
        return api_of(app).spec.to_dict()


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

    if args.markdown:
        print(settings_table(), end="")
        return 0
    rows = [("VARIABLE", "DEFAULT", "MEANING")]
    rows += [(env, _shown(default), doc) for env, default, doc in Config.documented()]
    widths = [max(len(row[i]) for row in rows) for i in (0, 1)]
    for env, default, doc in rows:
        print(f"{env:<{widths[0]}}  {default:<{widths[1]}}  {doc.replace('`', '')}")
    return 0


def settings_table() -> str:
    """Every setting as a markdown table (docs/configuration.md holds a copy; a test keeps it current)."""
    from .config import Config

    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for env, default, doc in Config.documented():
        shown = _shown(default)
        lines.append(f"| `{env}` | {shown if shown == '(empty)' else f'`{shown}`'} | {doc} |")
    return "\n".join(lines) + "\n"


def _shown(default) -> str:
    """A default as it is written in the environment."""
    return "(empty)" if default == "" else str(default).lower() if isinstance(default, bool) else str(default)


def main(argv=None) -> int:
    """Run one command and return its exit status (tests and wrappers call this in their own process)."""
    args = build_parser().parse_args(argv)
    return args.func(args)


def console() -> None:
    """The ``mockserver`` command as a process (the console script and ``python -m mockserver``).

    After ``serve`` has stopped and saved everything, the process ends without finalizing the interpreter
    (``serving.startup.end_process``): Granian's Rust threads may still be winding down then, and a thread that
    takes the GIL while CPython 3.11-3.13 finalizes is ended with ``pthread_exit``, which aborts in Rust code.
    """
    args = build_parser().parse_args()
    status = args.func(args)
    if args.command == "serve":
        from .serving.startup import end_process

        end_process(status)
    sys.exit(status)


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand and option (``mockserver <command> --help`` prints them)."""
    parser = argparse.ArgumentParser(prog="mockserver", description="Webex Contact Center mock server")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve", help="run the server (one process, threads)", description=(
        "Run the mock until SIGTERM or Ctrl-C. Options override the environment; every other setting is an "
        "environment variable (`mockserver config` lists them all)."))
    p.add_argument("--host", metavar="ADDR", help="address to listen on (MOCKSERVER_HOST; default 127.0.0.1, "
                                                 "0.0.0.0 for every interface)")
    p.add_argument("--port", type=int, metavar="N", help="port to listen on (MOCKSERVER_PORT; default 5000, "
                                                        "0 picks a free one)")
    p.add_argument("--fixtures", metavar="DIR", help="folder of seed data loaded at start and on reset "
                                                    "(MOCKSERVER_FIXTURES; default the checkout's fixtures/)")
    p.add_argument("--storage", metavar="FILE", help="'memory' (the default) or a file that keeps the state across "
                                                    "restarts (MOCKSERVER_STORAGE)")
    p.add_argument("--quiet", action="store_true", help="print only the 'listening on' line, no token or curl")
    p.add_argument("--all-tokens", action="store_true",
                   help="also print a ready token for every person of the demo organisation (`mockserver "
                        "tokens` prints them for a running server)")
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
    from .serving import tokens as tokens_cli

    tokens_cli.add(sub, default_url)
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
    from .activity import cli as activity_cli

    activity_cli.add(sub, default_url)
    p = sub.add_parser("config", help="list every setting with its environment variable and default")
    p.add_argument("--markdown", action="store_true", help="as the markdown table of docs/configuration.md")
    p.set_defaults(func=_config)
    return parser


if __name__ == "__main__":
    console()
