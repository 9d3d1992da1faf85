"""Fixture directories for the benchmarks: the bundled fixtures, the peers' 100 teams, and N generated users.

The demo organisation gets ``team.json`` = ``gen_spec.build_team_list()["data"]`` (so the list page is
byte-for-byte the peers' body) and ``user.json`` with N users, from ``mockserver.tenantgen.generate`` when
present (the tenant generator), else from a small deterministic generator here.
"""
from __future__ import annotations

import shutil
import sys
import uuid
from pathlib import Path

import orjson

from .common import ROOT, SHARED_BENCH

BENCH_ORG = "f222c4e4-0b5a-4a5e-9e2c-8d3b6d0b1a01"
_NS = uuid.UUID("0b7e2b1c-4a51-4f8e-9a0c-6c4f1f2d7e11")


def bench_teams() -> list[dict]:
    """The peers' 100 teams (shared/bench/gen_spec.py)."""
    sys.path.insert(0, str(SHARED_BENCH))
    try:
        from gen_spec import build_team_list
    finally:
        sys.path.remove(str(SHARED_BENCH))
    return build_team_list(BENCH_ORG)["data"]


def _fallback_users(n: int, teams: list[dict]) -> list[dict]:
    out = []
    for i in range(n):
        out.append({
            "id": str(uuid.uuid5(_NS, f"user/{i}")), "organizationId": BENCH_ORG,
            "email": f"user{i:06d}@acme.example", "firstName": f"First{i}", "lastName": f"Last{i}",
            "ciUserId": str(uuid.uuid5(_NS, f"ci/{i}")), "active": True, "contactCenterEnabled": True,
            "siteId": teams[i % len(teams)]["siteId"], "teamIds": [teams[i % len(teams)]["id"]],
            "userProfileId": str(uuid.uuid5(_NS, "profile")), "agentProfileId": str(uuid.uuid5(_NS, "agent")),
            "multimediaProfileId": teams[i % len(teams)]["multiMediaProfileId"], "version": 1,
            "createdTime": 1700000000000 + i, "lastUpdatedTime": 1700000000000 + i,
        })
    return out


def generated(users: int, seed: int = 7) -> tuple[dict[str, list], str]:
    """``({kind: [docs]}, source)`` for the demo organisation with ``users`` users."""
    teams = bench_teams()
    try:
        from mockserver.tenantgen import generate
    except ImportError:
        return {"team": teams, "user": _fallback_users(users, teams)}, "benchmarks.tenant (fallback)"
    people = orjson.loads((ROOT / "fixtures" / "orgs" / "demo" / "people.json").read_bytes())
    kinds = {k: list(v) for k, v in generate(BENCH_ORG, users, seed, people=people).items()}
    kinds["team"] = teams + [t for t in kinds.get("team", []) if t["id"] not in {x["id"] for x in teams}]
    return kinds, "mockserver.tenantgen"


def build(target: Path, users: int, seed: int = 7) -> tuple[Path, dict]:
    """Write a fixtures directory at ``target``; returns (path, {kind: count, 'source': ...})."""
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "fixtures", target)
    kinds, source = generated(users, seed)
    demo = next(p for p in (target / "orgs").iterdir() if (p / "org.json").exists()
                and orjson.loads((p / "org.json").read_bytes())["id"] == BENCH_ORG)
    for kind, docs in kinds.items():
        if kind == "people":
            continue  # the login identities stay the bundled ones
        (demo / f"{kind}.json").write_bytes(orjson.dumps(docs))
    return target, {**{k: len(v) for k, v in kinds.items()}, "source": source}
