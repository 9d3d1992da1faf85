"""``mockserver tokens``: a ready token for every person of the bundled organisations, minted by a running server."""
from __future__ import annotations

import json
import os
import sys

#: The scopes of the ready tokens (the banner's too): the configuration API and the agent APIs.
SCOPES = ["cjp:config", "cjp:config_read", "cjp:config_write", "cjp:user"]


def role_label(person: dict) -> str:
    """The name of a person's first role, as Control Hub writes it (their Contact Center role if none)."""
    from ..auth.policy import ROLE_LABELS

    role = (person.get("roles") or [person.get("ccRole", "user")])[0]
    return ROLE_LABELS.get(role, role)


def person_label(person: dict) -> str:
    """``<role label>: <email>``, the heading of one person's token."""
    return f"{role_label(person)}: {person.get('email')}"


def add(sub, default_url: str) -> None:
    """The ``tokens`` sub-command."""
    p = sub.add_parser("tokens", help="print a ready token for every person of the bundled organisations",
                       description="Ask a running server (POST /_mock/tokens) for an access token of every person "
                                   "of the organisations in the fixtures folder, the demo organisation first. "
                                   "`mockserver serve --all-tokens` prints the demo organisation's at start.")
    p.add_argument("--url", default=default_url, help="the running mock (MOCKSERVER_URL; default %(default)s)")
    p.add_argument("--fixtures", metavar="DIR", help="the fixtures folder the server was started with "
                                                    "(MOCKSERVER_FIXTURES; default the checkout's fixtures/)")
    p.add_argument("--org", metavar="ORG_ID", help="only this organisation")
    p.add_argument("--json", action="store_true", help="one JSON object: {items: [{orgId, id, email, role, "
                                                       "accessToken}]}")
    p.set_defaults(func=run)


def run(args) -> int:
    """Print the tokens; exit status 2 for a fixtures folder without organisations, 1 when the server refuses."""
    from ..cli import ControlError, _control
    from ..config import Config
    from ..storage import SYSTEM
    from ..storage.fixtures import FixtureError, load_fixtures

    folder = args.fixtures or os.environ.get("MOCKSERVER_FIXTURES") or Config().fixtures
    try:
        seed, _ = load_fixtures(folder)
    except FixtureError as exc:
        return _fail(f"{exc} (--fixtures DIR names another folder)", 2)
    orgs = sorted(seed[SYSTEM]["org"], key=lambda o: not o.get("demo", False))
    orgs = [o for o in orgs if args.org in (None, o["id"])]
    if not orgs:
        which = f"organisation {args.org}" if args.org else "organisation"
        return _fail(f"no {which} in the fixtures folder {folder} (--fixtures DIR names another)", 2)
    items = []
    try:
        for org in orgs:
            if not args.json:
                print(f"Organization {org['id']} ({org.get('name', org['id'])})")
            for person in seed[org["id"]].get("people", []):
                body = _control(args.url, "POST", "/_mock/tokens",
                                {"user": person["id"], "orgId": org["id"], "scopes": SCOPES})
                items.append({"orgId": org["id"], "id": person["id"], "email": person.get("email"),
                              "role": role_label(person), "accessToken": body["access_token"]})
                if not args.json:
                    print(f"  {person_label(person)}\n    {body['access_token']}")
    except ControlError as exc:
        return _fail(str(exc), 1)
    if args.json:
        print(json.dumps({"items": items}, indent=2))
    return 0


def _fail(message: str, status: int) -> int:
    print(f"mockserver tokens: {message}", file=sys.stderr)
    return status
