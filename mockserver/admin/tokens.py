"""``POST /_mock/tokens``: a token for any fixture user, organisation, scopes and lifetime, without a browser."""
from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from ..auth.policy import parse_scopes, token_roles
from ..clock import new_id
from ..http.errors import ApiError, OrgNotFound
from ..http.jsonutil import json_response
from ..runtime import current
from . import StrictBoolean, blp

DEFAULT_CLIENT = "mock-test-client"


TEN_YEARS = 10 * 365 * 86400


def _scopes_shape(value) -> None:
    """A space/comma-separated string or a list of strings."""
    if not isinstance(value, str) and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ma.ValidationError("a string or a list of strings is required.")


class TokenRequest(ma.Schema):
    """What to put in the token."""

    user = ma.fields.String(metadata={"description": "Id or email of a fixture user (people.json)."})
    orgId = ma.fields.String(metadata={"description": "Organisation; with `roles` and no `user`, a synthetic user."})
    roles = ma.fields.List(ma.fields.String(), metadata={"description": "Override the user's admin roles."})
    scopes = ma.fields.Raw(validate=_scopes_shape, metadata={
        "description": "List or space-separated string; default cjp:config cjp:config_read cjp:config_write."})
    clientId = ma.fields.String(load_default=DEFAULT_CLIENT)
    expiresIn = ma.fields.Integer(strict=True, validate=ma.validate.Range(-TEN_YEARS, TEN_YEARS), metadata={
        "description": "Lifetime in seconds (up to ten years either way); 0 or negative gives an expired token."})
    expired = StrictBoolean(load_default=False, metadata={"description": "Shorthand for an already expired token."})
    refresh = StrictBoolean(load_default=False, metadata={"description": "Also issue a refresh token for clientId."})


class TokenResponse(ma.Schema):
    """Same fields as /v1/access_token, plus who the token is for."""

    access_token = ma.fields.String()
    expires_in = ma.fields.Integer(strict=True)
    refresh_token = ma.fields.String()
    refresh_token_expires_in = ma.fields.Integer(strict=True)
    token_type = ma.fields.String()
    scope = ma.fields.String()
    user = ma.fields.Dict()


DEFAULT_SCOPES = ["cjp:config", "cjp:config_read", "cjp:config_write"]


def mint_for(rt, issuer: str, args: dict) -> dict:
    """Mint per a TokenRequest (shared with the CLI and the test plugin)."""
    scopes = parse_scopes(args["scopes"]) if args.get("scopes") is not None else list(DEFAULT_SCOPES)
    if args.get("user"):
        person = rt.find_person(args["user"], args.get("orgId"))
        if person is None:
            raise ApiError(404, f"user: no fixture user {args['user']!r}"
                                + (f" in organization {args['orgId']}." if args.get("orgId") else "."))
    elif args.get("orgId") and args.get("roles") is not None:
        if rt.org(args["orgId"]) is None:
            raise OrgNotFound(args['orgId'])
        person = {"id": f"synthetic-{'-'.join(args['roles']) or 'norole'}", "orgId": args["orgId"],
                  "roles": args["roles"], "displayName": "Synthetic test user"}
    else:
        raise ApiError(400, "user: required (or give orgId together with roles).")
    roles = args["roles"] if args.get("roles") is not None else token_roles(person)
    ttl = -60 if args.get("expired") else args.get("expiresIn")
    # With a refresh token, both share a family: reusing a rotated refresh token revokes this access token too.
    family = new_id() if args.get("refresh") else None
    access, claims = rt.tokens.mint(issuer=issuer, sub=person["id"], org_id=person["orgId"],
                                    client_id=args.get("clientId") or DEFAULT_CLIENT, scopes=scopes, roles=roles,
                                    ttl=ttl, family=family)
    body = {"access_token": access, "expires_in": claims["exp"] - claims["iat"], "token_type": "Bearer",
            "scope": " ".join(scopes),
            "user": {"id": person["id"], "orgId": person["orgId"], "email": person.get("email"), "roles": roles}}
    if args.get("refresh"):
        body["refresh_token"] = rt.issuer.new_refresh(client_id=claims["client_id"], sub=person["id"],
                                                      org_id=person["orgId"], scopes=scopes, roles=roles,
                                                      family=family)
        body["refresh_token_expires_in"] = rt.issuer.refresh.ttl
    return body


@blp.route("/tokens")
class Tokens(MethodView):
    """Tokens on demand."""

    @blp.arguments(TokenRequest)
    @blp.doc(responses={"201": {"description": "A token", "content": {"application/json": {"schema": TokenResponse}}}})
    def post(self, args):
        """Mint an access token for a fixture user (or a synthetic one), any scopes and lifetime."""
        rt = current()
        return json_response(mint_for(rt, rt.base_url(), args), 201)
