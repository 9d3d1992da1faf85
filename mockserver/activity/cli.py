"""``mockserver activity ORG_ID``: generate traffic on a running server (``POST /_mock/activity/{orgId}``)."""
from __future__ import annotations

import json
import time
import urllib.parse


def add(sub, default_url: str) -> None:
    """The ``activity`` sub-command."""
    p = sub.add_parser("activity", help="generate contact center traffic for an organisation of a running server")
    p.add_argument("org_id")
    p.add_argument("--from", dest="start", type=int, help="window start, epoch ms (default: 24 h before --to)")
    p.add_argument("--to", dest="end", type=int, help="window end, epoch ms (default: now)")
    p.add_argument("--days", type=float, default=1.0, help="window length when --from is not given")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rate", type=float, default=30.0, help="contacts per hour per inbound entry point")
    p.add_argument("--agents", default="all", help="'all' or how many simulated agents log in")
    p.add_argument("--url", default=default_url)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..cli import ControlError, _control

    end = args.end if args.end is not None else int(time.time() * 1000)
    start = args.start if args.start is not None else end - int(args.days * 86_400_000)
    body = {"from": start, "to": end, "seed": args.seed, "rate": args.rate,
            "agents": args.agents if args.agents == "all" else int(args.agents)}
    try:
        result = _control(args.url, "POST", f"/_mock/activity/{urllib.parse.quote(args.org_id, safe='')}", body)
    except (ControlError, OSError, ValueError) as exc:
        print(exc)
        return 1
    print(json.dumps(result))
    return 0
