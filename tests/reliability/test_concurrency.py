"""Concurrency over real HTTP (LiveServer, 16 threads): no 5xx, unique ids, single-use refresh tokens."""
from __future__ import annotations

import collections
import random

import jwt
import pytest

from mockserver.testing import LiveServer

from ..conftest import ALL_SCOPES
from .http import (
    READWRITE_CLIENT,
    ConfigClient,
    aux_body,
    close_session,
    mint,
    mmp_body,
    run_threads,
    session,
    site_body,
    team_body,
)

pytestmark = pytest.mark.concurrency

THREADS = 16
OPS_PER_THREAD = 40


@pytest.fixture
def live(app):
    """The app served on a free loopback port with as many worker threads as client threads."""
    with LiveServer(app, threads=THREADS) as srv:
        yield srv.url
        close_session()


def test_concurrent_token_minting_gives_unique_tokens(live):
    def worker(i):
        out = []
        for n in range(25):
            body = mint(live, scopes=["cjp:config_read"], refresh=True, clientId=READWRITE_CLIENT[0])
            out.append((jwt.decode(body["access_token"], options={"verify_signature": False})["jti"],
                        body["refresh_token"]))
        return out

    issued = [item for chunk in run_threads(worker, THREADS) for item in chunk]
    assert len(issued) == THREADS * 25
    assert len({jti for jti, _ in issued}) == len(issued) and len({rt for _, rt in issued}) == len(issued)


def _refresh(base: str, token: str):
    client_id, secret = READWRITE_CLIENT
    return session().post(base + "/v1/access_token", timeout=30, data={
        "grant_type": "refresh_token", "refresh_token": token, "client_id": client_id, "client_secret": secret})


def test_each_refresh_token_is_used_once_across_threads(live):
    """16 threads race on the same refresh tokens: exactly one wins each; the others get invalid_grant."""
    tokens = [mint(live, refresh=True, clientId=READWRITE_CLIENT[0])["refresh_token"] for _ in range(20)]

    def worker(i):
        return [(tok, resp.status_code, resp.json()) for tok in tokens for resp in [_refresh(live, tok)]]

    results = [r for chunk in run_threads(worker, THREADS) for r in chunk]
    assert all(status in (200, 400) for _, status, _ in results), collections.Counter(s for _, s, _ in results)
    winners = collections.Counter(tok for tok, status, _ in results if status == 200)
    assert winners == collections.Counter(tokens)  # every token exactly once
    for _, status, body in results:
        if status == 400:
            assert body["error"] == "invalid_grant" and body["error_description"]
    new = [body["refresh_token"] for _, status, body in results if status == 200]
    assert len(set(new)) == len(new) == len(tokens)
    # a reuse revoked the family: the winners' new refresh tokens are refused too (RFC 6819 5.2.2.3)
    assert all(_refresh(live, tok).json()["error"] == "invalid_grant" for tok in new)


def test_independent_rotation_chains_in_parallel(live):
    """Each thread rotates its own chain 15 times: every step succeeds and every token differs."""
    def worker(i):
        tok, seen = mint(live, refresh=True, clientId=READWRITE_CLIENT[0])["refresh_token"], []
        for _ in range(15):
            resp = _refresh(live, tok)
            assert resp.status_code == 200, resp.text
            tok = resp.json()["refresh_token"]
            seen.append(tok)
        return seen

    chains = run_threads(worker, THREADS)
    flat = [t for chain in chains for t in chain]
    assert len(set(flat)) == THREADS * 15


def test_mixed_writes_on_shared_configuration(live):
    """16 threads create, replace, patch and delete sites, teams and idle codes of one organisation at once.

    Afterwards: no 5xx, every created id unique, each shared item's ``version`` equals the number of replaces
    and patches acknowledged with 200 (no lost update), and no team points to a deleted site.
    """
    token = mint(live, scopes=ALL_SCOPES)["access_token"]
    api = ConfigClient(live, token)
    mmp = api.create("multimedia-profile", mmp_body("shared"))["id"]
    sites = [api.create("site", site_body(f"shared {i}", mmp)) for i in range(4)]
    codes = [api.create("auxiliary-code", aux_body(f"shared {i}")) for i in range(4)]
    pool = [s["id"] for s in sites]  # every site any thread created: teams race against their deletion

    def worker(i):
        rng, me, log = random.Random(i), ConfigClient(live, token), collections.defaultdict(list)
        own_sites, own_teams = [], []
        for n in range(OPS_PER_THREAD):
            action = rng.choice(("site", "team", "replace", "patch", "stale", "delete-team", "delete-site"))
            if action == "site":
                resp = me.call("POST", "site", site_body(f"t{i}-{n}", mmp))
                if resp.status_code == 201:
                    own_sites.append(resp.json()["id"])
                    pool.append(own_sites[-1])
            elif action == "team":
                target = rng.choice(pool[-20:])
                resp = me.call("POST", "team", team_body(f"t{i}-{n}", target))
                own_teams += [resp.json()["id"]] if resp.status_code == 201 else []
            elif action in ("replace", "stale"):
                site = rng.choice(sites)
                body = {**site, "description": f"by {i}-{n}"}
                if action == "replace":
                    body.pop("version")  # no version: the last writer wins, as on the real service
                resp = me.call("PUT", f"site/{site['id']}", body)  # "stale": version 0 after the first write
            elif action == "patch":
                code = rng.choice(codes)
                resp = me.call("PATCH", "auxiliary-code/bulk", {"items": [
                    {"itemIdentifier": 1, "requestAction": "SAVE",
                     "item": {"id": code["id"], "description": f"{i}-{n}"}}]})
                if resp.status_code == 207 and resp.json()["items"][0]["status"] == 200:
                    log["patched"].append(code["id"])
            elif action == "delete-team" and own_teams:
                resp = me.call("DELETE", f"team/{own_teams.pop(rng.randrange(len(own_teams)))}")
            elif action == "delete-site" and own_sites:
                resp = me.call("DELETE", f"site/{own_sites[-1]}")
                if resp.status_code == 204:
                    own_sites.pop()
            else:
                continue
            log["status"].append((action, resp.status_code))
            if action in ("replace", "stale") and resp.status_code == 200:
                log["replaced"].append(site["id"])
            log["created"] += [resp.json()["id"]] if resp.status_code == 201 else []
        return log

    logs = run_threads(worker, THREADS)
    statuses = collections.Counter(s for log in logs for s in log["status"])
    assert not [s for s in statuses if s[1] >= 500], statuses
    allowed = {"site": {201}, "team": {201, 400, 404}, "replace": {200}, "stale": {200, 409}, "patch": {207},
               "delete-team": {204}, "delete-site": {204, 412}}
    assert all(code in allowed[action] for action, code in statuses), statuses
    created = [i for log in logs for i in log["created"]]
    assert len(created) == len(set(created))
    replaced = collections.Counter(i for log in logs for i in log["replaced"])
    patched = collections.Counter(i for log in logs for i in log["patched"])
    for site in sites:
        assert api.call("GET", f"site/{site['id']}").json()["version"] == replaced[site["id"]]
    for code in codes:
        assert api.call("GET", f"auxiliary-code/{code['id']}").json()["version"] == patched[code["id"]]
    site_ids = {s["id"] for s in api.all("site")}
    assert all(team["siteId"] in site_ids for team in api.all("team"))
    print(f"\n{sum(statuses.values())} requests: {dict(sorted(statuses.items()))}")
