"""Refresh-token families of the issuer: issue, rotate, detect reuse, revoke (the token service only signs)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import uuid
from dataclasses import dataclass

from ..auth.tokens import unwrap


@dataclass
class RefreshGrant:
    """Server-side state of one refresh-token family: only its newest token is valid.

    The token itself is ``<family>.<generation>.<mac>``, the MAC keyed by a server secret: a rotation bumps the
    generation, so a genuine token of an older generation (its MAC checks) is recognised as reused and revokes
    the family, without remembering every token ever issued; a forged one is merely invalid. Memory is one
    entry per authorization, however often it is refreshed.
    """

    family: str
    client_id: str
    sub: str
    org_id: str
    scopes: list
    roles: list
    exp: float
    generation: int = 0
    used: bool = False


class RefreshFamilies:
    """The refresh tokens handed out, one entry per family; revocation goes through the token service, which
    also ends the family's access tokens (their ``fam`` claim)."""

    def __init__(self, tokens, clock, ttl: int):
        self.tokens, self.clock, self.ttl = tokens, clock, ttl
        self._lock = threading.Lock()  # taken before the token service's lock, never after it
        self._families: dict[str, RefreshGrant] = {}
        self._key = secrets.token_bytes(32)  # MACs refresh tokens; dies with the process, like them

    def new(self, *, client_id: str, sub: str, org_id: str, scopes, roles, family: str | None = None) -> str:
        """An opaque refresh token bound to its client; ``family`` ties rotations together (a new generation)."""
        family = family or str(uuid.uuid4())
        exp = self.clock.now() + self.ttl
        with self._lock:
            self._prune()
            grant = self._families.get(family)
            if grant is None:
                grant = self._families[family] = RefreshGrant(family, client_id, sub, org_id, list(scopes),
                                                               list(roles), exp)
            else:
                grant.generation += 1
                grant.scopes, grant.roles, grant.exp, grant.used = list(scopes), list(roles), exp, False
            generation = grant.generation
        token = f"{family}.{generation}.{self._mac(family, generation)}"  # outside the lock: nothing shared
        # Refresh tokens carry the same suffix as access tokens (runtime facts 8.1, [U]).
        return self.tokens.shape(token, org_id)

    def _mac(self, family: str, generation: int) -> str:
        # Keyed BLAKE2s (RFC 7693's MAC mode): 1 µs where HMAC-SHA256 through OpenSSL costs 4-5 µs, twice a refresh.
        digest = hashlib.blake2s(f"{family}.{generation}".encode(), key=self._key).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def _grant_of(self, token: str) -> tuple[RefreshGrant | None, int]:
        """The family of a genuine refresh token and the generation it was issued as (-1: not genuine)."""
        inner = unwrap(token)[0]
        grant, generation = self._grant_of_inner(inner)
        if generation < 0 and inner != token:  # a bare token whose MAC merely looked like a suffix
            return self._grant_of_inner(token)
        return grant, generation

    def _grant_of_inner(self, token: str) -> tuple[RefreshGrant | None, int]:
        family, _, rest = token.partition(".")
        generation, _, mac = rest.partition(".")
        grant = self._families.get(family)
        if grant is None or not generation.isdigit() or len(generation) > 9:
            return grant, -1
        genuine = hmac.compare_digest(mac.encode(), self._mac(family, int(generation)).encode())
        return grant, int(generation) if genuine else -1

    def use(self, token: str, client_id: str, check=None) -> RefreshGrant:
        """Consume a refresh token (rotation). A reused one revokes its whole family (RFC 6819 5.2.2.3).

        ``check(grant)`` runs before the token is consumed: a request it refuses (by raising) leaves the
        token usable. Differs from Webex as far as is known: Webex returns a "possibly new" refresh token
        (webex-cc-facts.md 1.2); the mock always rotates, so clients must keep the newest one.
        """
        checked = self._grant_of(token)  # the MAC outside the lock; the family's state is read again inside it
        with self._lock:
            grant, generation = checked
            if grant is not None and self._families.get(grant.family) is not grant:  # pruned meanwhile
                grant = None
            if grant is None or grant.client_id != client_id or generation < 0 or generation > grant.generation:
                raise LookupError("The refresh token provided is expired, revoked, malformed, or invalid.")
            if self.tokens.family_revoked(grant.family):
                raise LookupError("The refresh token provided has been revoked.")
            if generation < grant.generation or grant.used:
                self.tokens.revoke_family(grant.family)
                raise LookupError("The refresh token was already used; every token of its grant is now revoked.")
            if self.clock.now() >= grant.exp:
                raise LookupError("The refresh token provided is expired.")
            if self.tokens.revoked_since(grant.sub, grant.client_id, int((grant.exp - self.ttl) * 1000)):
                raise LookupError("The refresh token provided has been revoked.")
            if check is not None:
                check(grant)
            grant.used = True
            taken = object.__new__(RefreshGrant)  # a copy (the family moves on when it is rotated), without
            taken.__dict__.update(grant.__dict__)  # the dataclass's __init__: a third of the time
            return taken

    def revoke(self, token: str) -> bool:
        """Revoke the family of a genuine refresh token (False: not one of ours)."""
        with self._lock:
            grant, generation = self._grant_of(token)
            if grant is None or generation < 0:
                return False
            self.tokens.revoke_family(grant.family)
            return True

    def _prune(self) -> None:
        if len(self._families) % 1024 == 0 and self._families:
            now = self.clock.now()
            for family in [f for f, g in self._families.items() if now >= g.exp]:
                del self._families[family]
