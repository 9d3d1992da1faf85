"""Minting and verifying access tokens (RS256 JWTs), and their revocation (refresh tokens: issuer/refresh.py).

Verified claims are cached per token string until ``exp`` (a bounded LRU): a hot path pays RS256 once.
Key rotation empties the cache; revocation is checked on every call (set look-ups).

Tokens are Webex-shaped by default, ``<opaque>_<cluster>_<orgId>`` (webex-cc-facts.md 1.2, runtime facts 8.1),
because real clients split them on ``_``: the opaque part is the signed JWT with base64url's ``_`` written as
``~`` (RFC 6750 allows ``~`` in a bearer token), so it holds no ``_`` and still verifies with the JWKS once the
``~`` are turned back. Differs from Webex: its opaque part is not a JWT. The guard accepts the whole token, its
first part alone and a bare JWT; ``MOCKSERVER_BARE_JWT_TOKENS`` hands out bare JWTs.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict

import jwt

from ..clock import prng_id
from ..http.errors import ApiError
from .jws import encode_rs256

ALGORITHM = "RS256"
LEEWAY = 30  # seconds of clock skew tolerated on iat/nbf


DEFAULT_CLUSTER = "P0A1"  # a cluster id seen on a real token (runtime facts 8.1)
_SHAPED = re.compile(r"([A-Za-z0-9.~-]+)_([A-Za-z0-9]{1,16})_([A-Za-z0-9-]{1,64})")


def webex_shape(opaque: str, cluster: str, org_id: str) -> str:
    """``<opaque with ~ for _>_<cluster>_<orgId>``: what real clients split on ``_``."""
    return f"{opaque.replace('_', '~')}_{cluster}_{org_id}"


def unwrap(token: str) -> tuple[str, str | None]:
    """``(inner token, org id of the suffix or None)`` of a Webex-shaped token, its first part, or a bare one."""
    m = _SHAPED.fullmatch(token)
    if m:
        return m.group(1).replace("~", "_"), m.group(3)
    return token.replace("~", "_"), None


def jwt_of(token: str) -> str:
    """The signed JWT inside an access token of any accepted shape (to verify it with the JWKS)."""
    return unwrap(token)[0]


class TokenInvalid(ApiError):
    """401 with a reason that says what is wrong with the token."""

    def __init__(self, reason: str):
        super().__init__(401, f"Invalid access token: {reason}")


class NotAJwt(TokenInvalid):
    """The token is not three base64url segments with a JSON header."""

    def __init__(self):
        super().__init__("not a JWT.")


class TokenService:
    """Mints and verifies access tokens for one app; keeps what revokes them (the issuer's refresh families ask)."""

    def __init__(self, keys, clock, access_ttl: int, cache_size: int = 4096,
                 cluster: str = DEFAULT_CLUSTER, bare: bool = False):
        self.keys, self.clock = keys, clock
        if not re.fullmatch(r"[A-Za-z0-9]{1,16}", cluster or ""):
            raise ValueError(f"token cluster must be 1-16 letters or digits (no '_'), not {cluster!r}")
        self.cluster, self.bare = cluster, bare
        self.access_ttl = access_ttl
        self._cache: OrderedDict[str, dict] = OrderedDict()
        self._cache_size = cache_size
        self._cache_generation = keys.generation
        self._lock = threading.Lock()
        self._issuers: set[str] = set()
        self._revoked_jti: set[str] = set()
        self._revoked_families: set[str] = set()
        self._subject_cutoff: dict[str, int] = {}
        self._client_cutoff: dict[str, int] = {}

    # -- access tokens ----------------------------------------------------------------------------
    def mint(self, *, issuer: str, sub: str, org_id: str, client_id: str, scopes, roles=(), ttl: int | None = None,
             iat: float | None = None, family: str | None = None, extra: dict | None = None) -> tuple[str, dict]:
        """A signed access token and its claims. ``ttl`` may be negative (an already expired token)."""
        now = self.clock.now() if iat is None else iat
        ttl = self.access_ttl if ttl is None else ttl
        key = self.keys.current
        claims = {
            "iss": issuer, "sub": sub, "org_id": org_id, "client_id": client_id,
            "scope": " ".join(scopes), "roles": list(roles),
            "iat": int(now), "exp": int(now + ttl), "jti": prng_id(),
            "iat_ms": int(now * 1000),  # millisecond issue time: revocation cut-offs within one second
        }
        if family:
            claims["fam"] = family
        if extra:
            claims.update(extra)
        if issuer not in self._issuers:  # nearly always known: a set look-up, no lock
            with self._lock:
                self._issuers.add(issuer)
        signed = encode_rs256(claims, key.private, key.kid)
        return self.shape(signed, org_id), claims

    def shape(self, opaque: str, org_id: str) -> str:
        """A token as handed out: Webex-shaped with this server's cluster, or bare (``MOCKSERVER_BARE_JWT_TOKENS``)."""
        return opaque if self.bare else webex_shape(opaque, self.cluster, org_id)

    def verify(self, token: str, current_issuer=None) -> dict:
        """Claims of a valid token, else ``TokenInvalid`` (401).

        The issuer must be one this server has minted under, or ``current_issuer`` (the base URL of the
        request being served: a persisted signing key outlives the process that minted a token). It may be
        a callable, called only when the token is not in the cache (building the base URL is not free).
        """
        self.keys.prune()  # a key past its grace must also end the tokens cached under it
        with self._lock:
            if self._cache_generation != self.keys.generation:
                self._cache.clear()
                self._cache_generation = self.keys.generation
            claims = self._cache.get(token)
            if claims is not None:
                self._cache.move_to_end(token)
        if claims is None:
            claims = self._decode(token, current_issuer)
            with self._lock:
                self._cache[token] = claims
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        self._check_time_and_revocation(claims)
        return claims

    def _decode(self, token: str, current_issuer) -> dict:
        inner, suffix_org = unwrap(token)
        try:
            claims = self._decode_jwt(inner, current_issuer)
        except TokenInvalid as first:
            if inner == token:
                raise
            try:  # a bare JWT that merely looked Webex-shaped (its signature has two "_" in it)
                claims = self._decode_jwt(token, current_issuer)
            except TokenInvalid as second:
                # The reading that got further says what is wrong: a bare JWT's signature cut at its "_" is
                # often no base64 at all, and "not a JWT" would hide the real reason (an HS256 header, say).
                raise (second if isinstance(first, NotAJwt) else first) from None
            suffix_org = None
        if suffix_org is not None and suffix_org != claims.get("org_id"):
            raise TokenInvalid("the organization at the end of the token is not the token's organization.")
        return claims

    def _decode_jwt(self, token: str, current_issuer) -> dict:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise NotAJwt() from None
        if header.get("alg") != ALGORITHM:
            raise TokenInvalid(f"algorithm {header.get('alg')!r} is not accepted (RS256 only).")
        key = self.keys.find(str(header.get("kid", "")))
        if key is None:
            raise TokenInvalid("unknown signing key (kid).")
        try:
            claims = jwt.decode(token, key.public, algorithms=[ALGORITHM],
                                options={"require": ["exp", "iat", "iss", "sub", "org_id", "scope"],
                                         "verify_exp": False, "verify_iat": False, "verify_nbf": False})
        except jwt.InvalidSignatureError:
            raise TokenInvalid("signature does not verify.") from None
        except jwt.PyJWTError as exc:
            raise TokenInvalid(str(exc).rstrip(".") + ".") from None
        with self._lock:
            known = claims.get("iss") in self._issuers
        if not known and current_issuer is not None:
            known = claims.get("iss") == (current_issuer() if callable(current_issuer) else current_issuer)
        if not known:
            raise TokenInvalid("issuer is not this server.")
        return claims

    def _check_time_and_revocation(self, claims: dict) -> None:
        now = self.clock.now()
        if not isinstance(claims.get("exp"), (int, float)) or now >= claims["exp"]:
            raise TokenInvalid("token has expired.")
        if claims.get("iat", 0) > now + LEEWAY or claims.get("nbf", 0) > now + LEEWAY:
            raise TokenInvalid("token is not yet valid.")
        issued_ms = claims.get("iat_ms", claims.get("iat", 0) * 1000)
        if (claims.get("jti") in self._revoked_jti or claims.get("fam") in self._revoked_families
                or issued_ms <= self._subject_cutoff.get(claims.get("sub"), -1)
                or issued_ms <= self._client_cutoff.get(claims.get("client_id"), -1)):
            raise TokenInvalid("token has been revoked.")

    # -- revocation --------------------------------------------------------------------------------
    def revoke_token(self, token: str) -> bool:
        """Revoke one access token (by its jti; refresh tokens are the issuer's, ``IssuerState.revoke_token``)."""
        try:
            claims = jwt.decode(jwt_of(token), options={"verify_signature": False})
        except jwt.PyJWTError:
            return False
        with self._lock:
            self._revoked_jti.add(claims.get("jti", ""))
            if claims.get("fam"):
                self._revoked_families.add(claims["fam"])
        return True

    def revoke_family(self, family: str) -> None:
        """Revoke every token issued from one authorization (code replay, refresh reuse)."""
        with self._lock:
            self._revoked_families.add(family)

    def family_revoked(self, family: str) -> bool:
        """Whether the tokens of one authorization were revoked (asked by the issuer's refresh families)."""
        return family in self._revoked_families  # one set look-up is atomic: no lock (every refresh asks)

    def revoked_since(self, sub: str, client_id: str, issued_ms: int) -> bool:
        """Whether a grant issued at ``issued_ms`` to this user and client was cut off since."""
        return (issued_ms <= self._subject_cutoff.get(sub, -1)
                or issued_ms <= self._client_cutoff.get(client_id, -1))

    def revoke_subject(self, sub: str) -> None:
        """Every token issued so far to this user stops working."""
        with self._lock:
            self._subject_cutoff[sub] = self.clock.now_ms()

    def revoke_client(self, client_id: str) -> None:
        """Every token issued so far to this client stops working."""
        with self._lock:
            self._client_cutoff[client_id] = self.clock.now_ms()

    def register_issuer(self, issuer: str) -> None:
        """Accept tokens naming this issuer (the base URLs this server has answered under)."""
        with self._lock:
            self._issuers.add(issuer)
