"""Generates a coherent Contact Center tenant of any size, deterministically, in the vendor's wire format.

``generate(org_id, users=200, seed=1)`` returns ``{kind: [documents]}`` where ``kind`` is the vendor's path
segment (``site``, ``team``, ``user``, ``contact-service-queue``, ...) and every document carries the
vendor's exact field names. Every id a document references exists in the result; ids are UUIDs;
``organizationId`` is ``org_id``; ``version`` is 0; times are epoch milliseconds. The same arguments give
the same tenant, byte for byte. 100,000 users take a couple of seconds (used by benchmarks and by the
organisation factory of the test harness).
"""
from __future__ import annotations

import random

from . import config, features, media, routing, staff

#: Kinds in dependency order (a kind only references kinds before it, or itself through pre-allocated ids).
KINDS = (
    "multimedia-profile", "site", "work-type", "user-profile", "desktop-layout", "skill", "skill-profile",
    "auxiliary-code", "cad-variable", "holiday-list", "overrides", "business-hours", "team", "user",
    "contact-service-queue", "entry-point", "dial-number", "outdial-ani", "address-book",
    "address-book-entry", "agent-profile", "audio-file", "agent-personal-greeting", "resource-collection",
    "contact-number", "dial-plan", "ai-feature", "ai-feature-question", "auto-csat", "auto-csat-question",
    "agent-burnout", "generated-summaries",
)

_EPOCH_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z: the tenant was provisioned during 2024
_DAY_MS = 86_400_000
_V4_CLEAR = ~((0xF << 76) | (0x3 << 62))
_V4_SET = (0x4 << 76) | (0x2 << 62)


class Tenant:
    """The state of one generation run: a seeded RNG, the documents so far and the shared look-ups."""

    def __init__(self, org_id: str, users: int, seed: int, name: str | None, people: list[dict]):
        self.org_id = org_id
        self.users = max(0, int(users))
        self.people = people
        self.rng = random.Random(f"{org_id}|{self.users}|{seed}")
        self.docs: dict[str, list[dict]] = {kind: [] for kind in KINDS}
        self.domain = _domain(people, name, org_id)
        self.ref: dict[str, object] = {}  # ids and groupings one builder leaves for the next

    def uuid(self) -> str:
        """A random (version 4) UUID drawn from the tenant's RNG, so ids are reproducible."""
        h = "%032x" % ((self.rng.getrandbits(128) & _V4_CLEAR) | _V4_SET)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def scale(self, minimum: int, users_per: int, maximum: int | None = None) -> int:
        """How many of something a tenant of this size has: one per ``users_per`` users, within bounds."""
        n = max(minimum, self.users // users_per)
        return n if maximum is None else min(n, maximum)

    def add(self, kind: str, fields: dict, id: str | None = None, day: int | None = None) -> dict:
        """Append a document: server-set fields around ``fields``, created on ``day`` (of 2024) or a random one."""
        rng = self.rng
        created = _EPOCH_MS + (rng.randrange(0, 300) if day is None else day) * _DAY_MS + rng.randrange(_DAY_MS)
        # Version 0 means never changed since creation, so the last update is the creation.
        doc = {"organizationId": self.org_id, "id": id or self.uuid(), "version": 0, **fields,
               "createdTime": created, "lastUpdatedTime": created}
        self.docs[kind].append(doc)
        return doc

    def sub(self, fields: dict) -> dict:
        """A nested sub-entity (skill values, active skills, ANI entries): it carries its own id, as live."""
        return {"organizationId": self.org_id, "id": self.uuid(), "version": 0, **fields}


def generate(org_id: str, users: int = 200, seed: int = 1, *, name: str | None = None,
             people: list[dict] | None = None) -> dict[str, list[dict]]:
    """A whole tenant: ``{kind: [wire-format documents]}``.

    ``people``: identities that can log in (``people.json``: id, email, firstName, lastName, ccRole); each
    becomes a Contact Center user (its ``ciUserId`` is the person's id), counted within ``users``.
    ``name``: the organisation's name (used for the e-mail domain when ``people`` gives none).
    """
    t = Tenant(org_id, users, seed, name, list(people or []))
    config.build(t)
    staff.allocate(t)
    routing.build_teams(t)
    staff.build_users(t)
    routing.build_routing(t)
    config.build_directory(t)
    routing.build_agent_profiles(t)
    routing.link_back(t)
    media.build(t)  # after everything else: the kinds before draw from the RNG exactly as they always did
    features.build(t)
    return t.docs


def _domain(people: list[dict], name: str | None, org_id: str) -> str:
    """The e-mail domain of the tenant: the people's own, else one made from the name or the org id."""
    for person in people:
        if "@" in person.get("email", ""):
            return person["email"].split("@", 1)[1].lower()
    slug = "".join(c for c in (name or "").lower() if c.isalnum())[:24]
    return f"{slug or 'org-' + org_id[:8].lower()}.example"
