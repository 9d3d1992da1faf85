"""The requests the suite measures, as data (method, path, headers, body with ``{n}`` = a per-request counter)."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

from .tenant import BENCH_ORG


def _last_hour() -> tuple[int, int]:
    """The last hour in epoch ms: windows the runtime APIs accept (they refuse look-backs over 12 months)."""
    now = int(time.time() * 1000)
    return now - 3_600_000, now

ORG = f"/organization/{BENCH_ORG}"
RW_CLIENT = "C0ffee0000000000000000000000000000000000000000000000000000000002"
RW_SECRET = "mock-secret-readwrite-0002"
ADMIN = "full.admin@acme.example"


def _auth(token: str, json_body: bool = False) -> dict:
    h = {"Authorization": f"Bearer {token}"}
    if json_body:
        h["Content-Type"] = "application/json"
    return h


_SERVER_SET = ("id", "organizationId", "createdTime", "lastUpdatedTime", "links", "version", "siteName",
               "userIds", "queueRankings")


def team_body(team: dict, name: str) -> str:
    """A create/replace body made from a stored team (server-set fields and member lists dropped)."""
    body = {k: v for k, v in team.items() if k not in _SERVER_SET}
    body["rankQueuesForTeam"] = False
    body["name"] = name
    return json.dumps(body, separators=(",", ":"))


@dataclass(frozen=True)
class Ctx:
    """What a row's request may use: an admin token, one of the peers' teams, a generated team, a user's e-mail."""

    token: str
    bench_team: dict
    team: dict
    user_email: str


@dataclass(frozen=True)
class Row:
    """One row of the main table: adding a row is one declaration in ``ROWS``.

    ``build(ctx)`` gives the request (method, path, headers, body with ``{n}`` a per-request counter and
    ``{run}`` a per-run tag, or ``paths`` to cycle through, or ``refresh_pool``). ``vs_list``: the target, at
    least this share of the list page's requests per second. ``needs``: a route rule prefix; until the app
    has such a route the row is printed as waiting for that API (``waits_for``) and not measured.
    ``provisional``: the request shape is a guess made before the API landed, so a failure does not fail
    ``--fail-on-error`` (set it to False once the row is checked against the real API). ``own``: a row that
    is not a request/response loop (webhook deliveries), measured by that module; its target is ``at_least``
    (absolute) or ``vs_share`` of the row ``vs_row``; ``keeps_up``: the webhook rows whose deliveries made
    meanwhile are a target of their own (at least 475 a second, no growing backlog) or only printed.
    """

    key: str
    name: str
    build: Callable[[Ctx], dict]
    vs_list: float | None = None
    needs: str | None = None
    waits_for: str = ""
    provisional: bool = False
    own: str = ""  # measured by a module of its own (``benchmarks/<own>.py``), not one request in a loop
    at_least: float | None = None  # an absolute target (of ``unit``)
    vs_row: str = ""  # the target is a share of this row's figure (same run), at least ``vs_share``
    vs_share: float | None = None
    unit: str = "req/s"
    keeps_up: str = ""  # webhook rows: their deliveries meanwhile are the target ("target") or printed ("reference")


LIST = "list teams (100/page, ~60 KB)"
WEBHOOK_RATE = "webhook deliveries to a loopback receiver (one subscription)"
WEBHOOK_BUSY = "list teams while webhooks deliver (receiver paced to 500/s; reference)"
WEBHOOK_LIVE = "list teams while the simulation emits ~500 events/s, delivered to a prompt receiver"
WEBHOOK_LIVE_QUIET = ("list teams while the simulation emits ~500 events/s, none delivered "
                      "(reference of the delivered row)")
WEBHOOK_QUIET = "list teams, same server, no subscription (before and after; reference of the row above)"

ROWS: tuple[Row, ...] = (
    Row("list", LIST, lambda c: {"method": "GET", "path": f"{ORG}/v2/team?page=0&pageSize=100",
                                 "headers": _auth(c.token)}),
    Row("get", "get one team", lambda c: {"method": "GET", "path": f"{ORG}/team/{c.bench_team['id']}",
                                          "headers": _auth(c.token)}, vs_list=0.7),
    Row("filter", "filtered users (email==)", lambda c: {
        "method": "GET", "headers": _auth(c.token), "path": f"{ORG}/v2/user?filter={quote('email==' + c.user_email)}"},
        vs_list=0.7),
    Row("create", "create team (POST)", lambda c: {"method": "POST", "path": f"{ORG}/team",
                                                   "headers": _auth(c.token, True),
                                                   "body": team_body(c.team, "Bench team {run}-{n}")}, vs_list=0.7),
    Row("replace", "replace team (PUT)", lambda c: {"method": "PUT", "path": f"{ORG}/team/{c.team['id']}",
                                                    "headers": _auth(c.token, True),
                                                    "body": team_body(c.team, "Renamed team {run}-{n}")}, vs_list=0.7),
    Row("token", "token (refresh grant)", lambda c: {
        "method": "POST", "path": "/v1/access_token", "refresh_pool": [],
        "body": f"grant_type=refresh_token&client_id={RW_CLIENT}&client_secret={RW_SECRET}&refresh_token="},
        vs_list=0.5),
    Row("audio", "list audio files (prompts)", lambda c: {
        "method": "GET", "path": f"{ORG}/v2/audio-file?page=0&pageSize=100", "headers": _auth(c.token)},
        needs="/organization/<orgid>/v2/audio-file", waits_for="the audio-file resource"),
    # -- webhook delivery (issue 14: keeps up with 500 events/s to a local receiver, list page slowed <= 10%) --
    Row("webhook-rate", WEBHOOK_RATE, lambda c: {}, needs="/v1/subscriptions", own="webhooks", at_least=500,
        unit="deliveries/s"),
    Row("webhook-quiet", WEBHOOK_QUIET, lambda c: {}, needs="/v1/subscriptions", own="webhooks"),
    Row("webhook-busy", WEBHOOK_BUSY, lambda c: {}, needs="/v1/subscriptions", own="webhooks",
        vs_row=WEBHOOK_QUIET, vs_share=0.9, keeps_up="reference"),
    Row("webhook-live-quiet", WEBHOOK_LIVE_QUIET, lambda c: {}, needs="/v1/subscriptions", own="webhooks"),
    Row("webhook-live", WEBHOOK_LIVE, lambda c: {}, needs="/v1/subscriptions", own="webhooks",
        vs_row=WEBHOOK_LIVE_QUIET, vs_share=0.9, keeps_up="target"),
    # -- rows waiting for the APIs of this wave (docs/performance.md): measured once the route exists --------
    Row("tasks", "tasks, one-hour window (GET /v1/tasks)", lambda c: {
        "method": "GET", "headers": _auth(c.token),
        "path": "/v1/tasks?orgId={}&from={}&to={}".format(BENCH_ORG, *_last_hour())},
        needs="/v1/tasks", waits_for="the runtime API's /v1/tasks", provisional=True),
    Row("search", "search aggregation (POST /search)", lambda c: {
        "method": "POST", "path": f"/search?orgId={BENCH_ORG}", "headers": _auth(c.token, True),
        "body": json.dumps({"query": "{ taskDetails(from: %d, to: %d) { tasks { id } } }" % _last_hour()})},
        needs="/search", waits_for="the runtime API's /search", provisional=True),
)


def main_set(token: str, bench_team: dict, team: dict, user_email: str, refresh_pool: list[str]) -> dict[str, dict]:
    """Every declared row's request by name (rows waiting for an API included: callers check ``needs``)."""
    ctx = Ctx(token, bench_team, team, user_email)
    out = {}
    for row in ROWS:
        sc = row.build(ctx)
        if "refresh_pool" in sc:
            sc["refresh_pool"] = refresh_pool
        out[row.name] = sc
    return out


def _filter_paths(users: list[dict], n: int = 1000) -> list[str]:
    """``n`` distinct filtered-list URLs (a small tenant repeats e-mails with another pageSize)."""
    return [f"{ORG}/v2/user?filter={quote('email==' + users[i % len(users)]['email'])}"
            f"&pageSize={100 + i // len(users)}" for i in range(n)]


def scale_set(token: str, users: list[dict], team: dict) -> dict[str, dict]:
    """The scale curve's rows: users (the table that grows); users cannot be created (Control Hub does
    that), so the write is a team create in the same tenant."""
    return {
        "list": {"method": "GET", "path": f"{ORG}/v2/user?page=0&pageSize=100", "headers": _auth(token)},
        # 1,000 different e-mails and ids, spread over the table: more keys than the page cache holds, so
        # every filtered list is computed (through the e-mail index), never replayed from the cache.
        "filtered (1,000 e-mails)": {"method": "GET", "headers": _auth(token), "path": "",
                                     "paths": _filter_paths(users)},
        "get (1,000 ids)": {"method": "GET", "path": "", "headers": _auth(token),
                            "paths": [f"{ORG}/user/{u['id']}" for u in users]},
        "create (team)": {"method": "POST", "path": f"{ORG}/team", "headers": _auth(token, True),
                          "body": team_body(team, "Bench team {run}-{n}")},
    }
