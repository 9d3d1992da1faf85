"""The requests the suite measures, as data (method, path, headers, body with ``{n}`` = a per-request counter)."""
from __future__ import annotations

import json
from urllib.parse import quote

from .tenant import BENCH_ORG

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


def main_set(token: str, bench_team: dict, team: dict, user_email: str, refresh_pool: list[str]) -> dict[str, dict]:
    """The main table's rows: name -> scenario. ``team``: a generated team (its references exist)."""
    return {
        "list teams (100/page, ~60 KB)": {"method": "GET", "path": f"{ORG}/v2/team?page=0&pageSize=100",
                                          "headers": _auth(token)},
        "get one team": {"method": "GET", "path": f"{ORG}/team/{bench_team['id']}", "headers": _auth(token)},
        "list audio files (prompts)": {"method": "GET", "path": f"{ORG}/v2/audio-file?page=0&pageSize=100",
                                       "headers": _auth(token)},
        "create team (POST)": {"method": "POST", "path": f"{ORG}/team", "headers": _auth(token, True),
                               "body": team_body(team, "Bench team {run}-{n}")},
        "replace team (PUT)": {"method": "PUT", "path": f"{ORG}/team/{team['id']}", "headers": _auth(token, True),
                               "body": team_body(team, "Renamed team {run}-{n}")},
        "filtered users (email==)": {"method": "GET", "headers": _auth(token),
                                     "path": f"{ORG}/v2/user?filter={quote('email==' + user_email)}"},
        "token (refresh grant)": {"method": "POST", "path": "/v1/access_token", "refresh_pool": refresh_pool,
                                  "body": f"grant_type=refresh_token&client_id={RW_CLIENT}&client_secret={RW_SECRET}"
                                          "&refresh_token="},
    }


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
