"""Building the seed of a created organisation: empty, a copy of the demo tenant, or a generated tenant.

A created organisation's record (system table ``org``) keeps its recipe under ``mock``; the seed is rebuilt
from it on reset, so ids are derived deterministically (uuid5 of the new org and the source id).
"""
from __future__ import annotations

import re
import uuid

from ..auth.policy import READ_ONLY_ROLES, READ_WRITE_ROLES, READONLY_ADMIN
from ..storage.fixtures import load_fixtures

#: Every admin role gets a person in a created organisation (R3-R5 role names).
ADMIN_ROLES = sorted(READ_WRITE_ROLES | READ_ONLY_ROLES | {READONLY_ADMIN})
TEMPLATES = ("empty", "demo", "generated")
_NS = uuid.UUID("6f1c2d8e-4b7a-5c3e-9d2f-0a1b2c3d4e5f")
_EMAIL = re.compile(r"^[^@\s]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def derived_id(org: str, source_id: str) -> str:
    """The id a copied document gets in ``org``: stable across resets, unique per organisation."""
    return str(uuid.uuid5(_NS, f"{org}:{source_id}"))


def fixture_seed(rt) -> dict:
    """The fixtures as loaded at start (read once per runtime)."""
    if rt.fixture_seed is None:
        rt.fixture_seed, _ = load_fixtures(rt.config.fixtures)
    return rt.fixture_seed


def _rewrite(value, mapping: dict, mail_tag: str):
    """Replace ids (and the source org id) in strings, exact or inside links; give email addresses a new domain."""
    if isinstance(value, dict):
        return {k: _rewrite(v, mapping, mail_tag) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, mapping, mail_tag) for v in value]
    if isinstance(value, str):
        if value in mapping:
            return mapping[value]
        if "@" in value and _EMAIL.match(value):
            local, domain = value.rsplit("@", 1)
            return f"{local}@{mail_tag}.{domain}"
        if "-" in value and len(value) > 36:
            return _UUID.sub(lambda m: mapping.get(m.group(0), m.group(0)), value)
    return value


def copy_org(source_org: str, data: dict, org: str) -> dict:
    """``{kind: [docs]}`` of ``source_org`` re-homed to ``org`` (ids and references rewritten).

    Differs from Webex: there tenants are provisioned, never copied; a copy is the mock's shortcut to a tenant.

    Email addresses move to a per-organisation subdomain (``full.admin@acme.example`` becomes
    ``full.admin@<first 8 of org id>.acme.example``): logins are unique across the server, as in Webex,
    so a ``login_hint`` or a token request by email never lands in another organisation's copy.
    """
    mapping = {source_org: org}
    for docs in data.values():
        for doc in docs:
            mapping[str(doc["id"])] = derived_id(org, str(doc["id"]))
    tag = mail_tag(org)
    return {kind: [_rewrite(doc, mapping, tag) for doc in docs] for kind, docs in data.items()}


def mail_tag(org: str) -> str:
    """The subdomain label of an organisation's copied email addresses."""
    return re.sub(r"[^a-z0-9-]", "", org[:8].lower()).strip("-") or "org"


def generated(org: str, users: int, seed: int, people: list, name: str | None) -> dict:
    """A generated tenant of ``users`` users (``mockserver.tenantgen``); ``people`` become users of it too."""
    from .. import (
        tenantgen,  # imported on first use: most servers never generate a tenant
    )

    data = tenantgen.generate(org, users=users, seed=seed, name=name, people=people)
    for docs in data.values():
        for doc in docs:
            if "organizationId" in doc:
                doc["organizationId"] = org
    return data


def admin_person(org: str, role: str, domain: str, flex3: bool) -> dict:
    """A person holding one admin role (same shape as fixtures' people.json)."""
    first = role.replace("_", " ").title().replace(" ", "")
    return {"id": derived_id(org, f"person:{role}"), "email": f"{role.replace('_', '.')}@{domain}",
            "displayName": f"{first} Admin", "firstName": first, "lastName": "Admin", "roles": [role],
            "ccRole": "administrator", "licenses": ["FLEX3" if flex3 else "FLEX"]}


def build_seed(rt, org: str, recipe: dict) -> dict:
    """The seed of a created organisation from its recipe; every admin role has a person."""
    template = recipe["template"]
    domain = recipe.get("domain") or f"org-{org[:8].lower()}.example"
    if template == "demo":
        source = recipe["source"]
        data = copy_org(source, fixture_seed(rt).get(source, {}), org)
    elif template == "generated":
        # The admins log in (people) and are Contact Center users of the generated tenant (ciUserId).
        admins_ = [admin_person(org, role, domain, recipe["flex3"]) for role in ADMIN_ROLES]
        data = generated(org, recipe["users"], recipe["seed"], admins_, recipe.get("name"))
        data["people"] = admins_
    else:
        data = {}
    people = data.setdefault("people", [])
    have = {role for person in people for role in person.get("roles", [])}
    people.extend(admin_person(org, role, domain, recipe["flex3"]) for role in ADMIN_ROLES if role not in have)
    return data


def admins(rt, org: str) -> dict:
    """``{role: person}`` for each admin role: the first person holding it."""
    out = {}
    for person in rt.store.list(org, "people"):
        for role in person.get("roles", []):
            if role in ADMIN_ROLES and role not in out:
                out[role] = person
    return out
