"""Command line: ``mockserver serve | token | openapi | config``."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def _serve(args) -> int:
    from .config import Config

    cfg = Config.from_env(host=args.host, port=args.port, fixtures=args.fixtures, storage=args.storage)
    from .auth.keys import generate_early

    generate_early(cfg.signing_key)  # the RSA key is generated (or read) while the imports below run

    from . import create_app
    from .server import run

    app = create_app(cfg)
    rt = app.extensions["wxcc"]

    def ready(server):
        host = cfg.host if ":" not in cfg.host else f"[{cfg.host}]"
        base = cfg.public_base_url.rstrip("/") or f"http://{host}:{server.port}"
        rt.tokens.register_issuer(base)
        if not args.quiet:
            from .admin.tokens import mint_for

            _banner(rt, base, mint_for)
        sys.stdout.flush()

    return run(app, cfg, on_ready=ready)


def _banner(rt, base, mint_for) -> None:
    """Base URL, a ready token per demo role, and a sample curl."""
    from .auth.policy import ROLE_LABELS

    print(f"Webex Contact Center mock listening on {base}")
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
        print(f"\nTry:\n  curl -H 'Authorization: Bearer {first[1][:24]}...' "
              f"{base}/organization/{first[0]}/v2/site\n  (use a full token from above)")


def _token(args) -> int:
    import urllib.error
    import urllib.request

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
