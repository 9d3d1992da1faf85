"""Signing keys and revocation: rotate the key (old one kept for a grace period), revoke tokens, users, clients."""
from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from ..http.errors import ApiError
from ..http.jsonutil import json_response
from ..runtime import current
from . import blp


class RotateRequest(ma.Schema):
    """How long the previous key stays published and accepted."""

    graceSeconds = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0, max=86400 * 365),
                                     metadata={"description": "Default: MOCKSERVER_KEY_GRACE_SECONDS."})


class RevokeRequest(ma.Schema):
    """Exactly one of token, user or clientId."""

    token = ma.fields.String(metadata={"description": "An access or refresh token."})
    user = ma.fields.String(metadata={"description": "User id or email: every token issued to them so far."})
    orgId = ma.fields.String(metadata={"description": "Where to look the user up (emails repeat across copies)."})
    clientId = ma.fields.String(metadata={"description": "Every token issued to this client so far."})

    @ma.validates_schema
    def _exactly_one(self, data, **kwargs):
        if sum(1 for k in ("token", "user", "clientId") if data.get(k)) != 1:
            raise ma.ValidationError("give exactly one of token, user or clientId.", "token")


@blp.route("/keys")
class Keys(MethodView):
    """Signing keys."""

    @blp.doc(responses={"200": {"description": "`{keys: [{kid, current, retiredAt}], graceSeconds}`"}})
    def get(self):
        """The current key and the retired keys still in their grace period."""
        keys = current().keys
        return json_response({"keys": keys.state(), "graceSeconds": keys.grace_seconds})


@blp.route("/keys/rotate")
class Rotate(MethodView):
    """Key rotation."""

    @blp.arguments(RotateRequest, required=False)
    @blp.doc(responses={"200": {"description": "The new key id and the key list"}})
    def post(self, args):
        """Sign with a new key from now on; the JWKS keeps the old one for the grace period, then drops it."""
        keys = current().keys
        new = keys.rotate((args or {}).get("graceSeconds"))
        return json_response({"kid": new.kid, "keys": keys.state(), "graceSeconds": keys.grace_seconds})


@blp.route("/tokens/revoke")
class Revoke(MethodView):
    """Revocation."""

    @blp.arguments(RevokeRequest)
    @blp.doc(responses={"200": {"description": "What was revoked"}})
    def post(self, args):
        """Revoke one token, every token of a user, or every token of a client (refresh tokens too)."""
        rt = current()
        tokens = rt.tokens
        if args.get("token"):
            if not rt.issuer.revoke_token(args["token"]):  # a refresh token is the issuer's
                raise ApiError(400, "token: not a token this server issued.")
            return json_response({"revoked": "token"})
        if args.get("clientId"):
            tokens.revoke_client(args["clientId"])
            return json_response({"revoked": "client", "clientId": args["clientId"]})
        person = rt.find_person(args["user"], args.get("orgId"))
        sub = person["id"] if person else args["user"]  # synthetic users have no fixture record
        tokens.revoke_subject(sub)
        return json_response({"revoked": "user", "userId": sub})
