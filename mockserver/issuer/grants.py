"""The OAuth grants as a table ``grant_type -> handler``, and the grant state behind them (codes, consent
requests, refresh-token families)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import uuid
from dataclasses import dataclass

from ..auth.policy import parse_scopes, token_roles
from ..http.errors import OAuthError
from ..storage import SYSTEM
from .refresh import RefreshFamilies, RefreshGrant

_UNKNOWN = object()


@dataclass
class AuthCode:
    """An issued authorization code: single use, bound to client, redirect URI and PKCE challenge."""

    client_id: str
    redirect_uri: str
    scopes: list
    person: dict
    expires: float
    challenge: str | None
    challenge_method: str | None
    family: str
    used: bool = False


class IssuerState:
    """The issuer's grant state, all of it: authorization codes and pending consent requests (they live minutes)
    and the refresh-token families (``refresh``). Memory only: tokens die with the process, like the MAC key."""

    def __init__(self, rt):
        self.rt = rt
        self._lock = threading.Lock()
        self.codes: dict[str, AuthCode] = {}
        self.pending: dict[str, tuple[dict, float]] = {}
        self.refresh = RefreshFamilies(rt.tokens, rt.clock, rt.config.refresh_token_ttl)
        self._clients: tuple[int, dict] = (-1, {})  # (integration table version, client id -> document)

    def client(self, client_id: str) -> dict | None:
        """The integration of a client id, or None: read only, shared by the requests while the integration
        table is unchanged (the token endpoint looks it up on every call; the store hands out a copy each time)."""
        version = self.rt.store.version(SYSTEM, "integration")
        known = self._clients
        if known[0] != version:
            known = self._clients = (version, {})
        doc = known[1].get(client_id, _UNKNOWN)
        if doc is _UNKNOWN:
            doc = self.rt.integration(client_id)
            if len(known[1]) < 1024:  # bounded: unknown ids are remembered too, up to this many
                known[1][client_id] = doc
        return doc

    def new_refresh(self, *, client_id: str, sub: str, org_id: str, scopes, roles, family: str | None = None) -> str:
        """A refresh token of a new family, or the next generation of ``family`` (``RefreshFamilies.new``)."""
        return self.refresh.new(client_id=client_id, sub=sub, org_id=org_id, scopes=scopes, roles=roles,
                                family=family)

    def use_refresh(self, token: str, client_id: str, check=None) -> RefreshGrant:
        """Consume a refresh token: rotation, reuse detection (``RefreshFamilies.use``)."""
        return self.refresh.use(token, client_id, check)

    def revoke_token(self, token: str) -> bool:
        """Revoke one refresh token (its family) or one access token (its jti); False: not a token of ours."""
        return self.refresh.revoke(token) or self.rt.tokens.revoke_token(token)

    def new_code(self, client_id, redirect_uri, scopes, person, challenge, method) -> str:
        """Issue a code for an approved request."""
        code = secrets.token_urlsafe(32)
        now = self.rt.clock.now()
        with self._lock:
            self._prune(now)
            self.codes[code] = AuthCode(client_id, redirect_uri, list(scopes), person,
                                        now + self.rt.config.auth_code_ttl, challenge, method, str(uuid.uuid4()))
        return code

    def new_pending(self, params: dict) -> str:
        """Remember an authorization request shown on the consent page (its id doubles as CSRF token)."""
        rid = secrets.token_urlsafe(24)
        now = self.rt.clock.now()
        with self._lock:
            self._prune(now)
            self.pending[rid] = (params, now + 600)
        return rid

    def take_pending(self, rid: str) -> dict | None:
        """The request behind a consent form, once."""
        with self._lock:
            item = self.pending.pop(rid, None)
        if item is None or self.rt.clock.now() >= item[1]:
            return None
        return item[0]

    def _prune(self, now: float) -> None:
        if len(self.codes) > 1000:
            for code in [c for c, v in self.codes.items() if now >= v.expires + 3600]:
                del self.codes[code]
        if len(self.pending) > 1000:
            for rid in [r for r, v in self.pending.items() if now >= v[1]]:
                del self.pending[rid]

    def redeem(self, code: str, client_id: str, redirect_uri: str | None, verifier: str | None) -> AuthCode:
        """Check and consume a code; a replay revokes what the code already gave (RFC 6749 4.1.2).

        Differs from Webex as far as is known (its replay behaviour is undocumented): any attempt consumes the
        code, even a refused one, so a client that got the redirect URI or verifier wrong must start over.
        """
        with self._lock:
            grant = self.codes.get(code)
            if grant is None or grant.client_id != client_id:
                raise OAuthError("invalid_grant", "The authorization code is invalid.")
            if grant.used:
                self.rt.tokens.revoke_family(grant.family)
                raise OAuthError("invalid_grant", "The authorization code was already used; "
                                                  "the tokens issued for it are revoked.")
            grant.used = True
        if self.rt.clock.now() >= grant.expires:
            raise OAuthError("invalid_grant", "The authorization code has expired.")
        if redirect_uri != grant.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri does not match the one the code was issued for.")
        if grant.challenge:
            if not verifier:
                raise OAuthError("invalid_grant", "code_verifier is required (the code was issued with PKCE).")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if not hmac.compare_digest(digest, grant.challenge):
                raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge.")
        elif verifier:
            raise OAuthError("invalid_grant", "code_verifier sent for a code issued without PKCE.")
        return grant


def token_response(rt, issuer: str, *, client_id, person_id, org_id, scopes, roles, family) -> dict:
    """The Webex token JSON (webex-cc-facts.md 1.2) for a new access + refresh pair."""
    access, _ = rt.tokens.mint(issuer=issuer, sub=person_id, org_id=org_id, client_id=client_id, scopes=scopes,
                               roles=roles, family=family)
    refresh = rt.issuer.new_refresh(client_id=client_id, sub=person_id, org_id=org_id, scopes=scopes, roles=roles,
                                    family=family)
    return {"access_token": access, "expires_in": rt.tokens.access_ttl, "refresh_token": refresh,
            "refresh_token_expires_in": rt.issuer.refresh.ttl, "token_type": "Bearer", "scope": " ".join(scopes)}


def _authorization_code(rt, issuer, client, form) -> dict:
    code = form.get("code")
    if not code:
        raise OAuthError("invalid_request", "code is required.")
    grant = rt.issuer.redeem(code, client["clientId"], form.get("redirect_uri"), form.get("code_verifier"))
    person = grant.person
    return token_response(rt, issuer, client_id=client["clientId"], person_id=person["id"], org_id=person["orgId"],
                          scopes=grant.scopes, roles=token_roles(person), family=grant.family)


def _refresh_token(rt, issuer, client, form) -> dict:
    token = form.get("refresh_token")
    if not token:
        raise OAuthError("invalid_request", "refresh_token is required.")
    asked = parse_scopes(form["scope"]) if form.get("scope") else None

    def within_grant(grant):  # RFC 6749 6: a narrower scope may be asked for, never a wider one
        if asked is not None and not set(asked) <= set(grant.scopes):
            raise OAuthError("invalid_scope", "The requested scope exceeds the scope originally granted.")

    try:
        grant = rt.issuer.use_refresh(token, client["clientId"], check=within_grant)
    except LookupError as exc:
        raise OAuthError("invalid_grant", str(exc)) from None
    scopes = asked or grant.scopes
    return token_response(rt, issuer, client_id=client["clientId"], person_id=grant.sub, org_id=grant.org_id,
                          scopes=scopes, roles=grant.roles, family=grant.family)


#: grant_type -> handler(rt, issuer, client, form) -> token JSON
GRANTS = {
    "authorization_code": _authorization_code,
    "refresh_token": _refresh_token,
}
