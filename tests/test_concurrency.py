"""Concurrency over real HTTP (LiveServer, 16 threads): no 5xx, unique ids, single-use refresh tokens."""
from __future__ import annotations

import collections

import jwt
import pytest

from mockserver.testing import LiveServer

from .reliability.http import READWRITE_CLIENT, close_session, mint, run_threads, session

THREADS = 16


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
