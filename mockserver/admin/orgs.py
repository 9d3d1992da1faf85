"""Organisations on demand: create an isolated tenant (with a token per admin role), list, delete, reset."""
from __future__ import annotations

import uuid

import marshmallow as ma
from flask import Response
from flask.views import MethodView

from ..http.errors import ApiError, OrgNotFound
from ..http.jsonutil import json_response
from ..runtime import current
from ..storage import SYSTEM
from . import StrictBoolean, blp
from .tenants import TEMPLATES, admins, build_seed
from .tokens import DEFAULT_SCOPES, _scopes_shape, mint_for


class OrgRequest(ma.Schema):
    """What the new organisation starts with."""

    id = ma.fields.String(validate=ma.validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$"),
                          metadata={"description": "Its id (default: a new UUID)."})
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    template = ma.fields.String(load_default="demo", validate=ma.validate.OneOf(TEMPLATES),
                                metadata={"description": "`empty`, `demo` (a copy of the demo tenant's seed) "
                                                         "or `generated`."})
    users = ma.fields.Integer(strict=True, load_default=200, validate=ma.validate.Range(min=1, max=100_000),
                              metadata={"description": "Size of a generated tenant."})
    seed = ma.fields.Integer(strict=True, load_default=1, metadata={"description": "Seed of a generated tenant."})
    flex3 = StrictBoolean(load_default=True, metadata={"description": "Licensed for Flex 3 (connectors need it)."})
    domain = ma.fields.String(validate=ma.validate.Regexp(r"^[A-Za-z0-9.-]{1,100}$"),
                              metadata={"description": "Email domain of the admin people created."})
    scopes = ma.fields.Raw(validate=_scopes_shape, metadata={
        "description": "Scopes of the returned tokens (default: cjp:config, _read, _write)."})
    clientId = ma.fields.String(metadata={"description": "Client id of the returned tokens."})


def _summary(rt, org: str) -> dict:
    meta = rt.org(org) or {"id": org}
    recipe = meta.get("mock")
    return {"id": org, "name": meta.get("name"), "licenses": meta.get("licenses", []),
            "flex3": "FLEX3" in meta.get("licenses", []), "fixture": recipe is None,
            "template": recipe["template"] if recipe else "fixture",
            "documents": {kind: rt.store.count(org, kind) for kind in rt.store.kinds(org)}}


def create_org(rt, args: dict, issuer: str) -> dict:
    """Create, seed and return the summary plus one person and token per admin role (also used by tests)."""
    org = args.get("id") or str(uuid.uuid4())
    demo = rt.demo_orgs()
    name = args.get("name") or f"Test organisation {org[:8]}"
    recipe = {"template": args["template"], "users": args["users"], "seed": args["seed"], "flex3": args["flex3"],
              "domain": args.get("domain"), "name": name, "source": demo[0] if demo else None}
    if recipe["template"] == "demo" and recipe["source"] is None:
        raise ApiError(400, "template: there is no demo organisation in the fixtures to copy.")
    seed = build_seed(rt, org, recipe)
    record = {"id": org, "name": name,
              "licenses": ["FLEX3"] if args["flex3"] else ["FLEX"], "cluster": "PF84", "region": "us1",
              "mock": recipe}
    with rt.store.atomic():
        if rt.org(org) is not None or org in rt.store.orgs():
            raise ApiError(409, f"id: organization {org} already exists.")
        rt.store.insert(SYSTEM, "org", record)
        rt.store.restore({org: seed})
    out = _summary(rt, org)
    token_args = {"orgId": org, "scopes": args.get("scopes") or list(DEFAULT_SCOPES), "clientId": args.get("clientId")}
    out["admins"] = {}
    for role, person in admins(rt, org).items():
        body = mint_for(rt, issuer, {**token_args, "user": person["id"]})
        out["admins"][role] = {"id": person["id"], "email": person.get("email"), "accessToken": body["access_token"]}
    out["tokens"] = {role: a["accessToken"] for role, a in out["admins"].items()}
    out["expiresIn"] = rt.tokens.access_ttl
    return out


def reset_org(rt, org: str) -> None:
    """Back to the organisation's seed: the fixtures, or what it was created with. Its faults and limits go."""
    meta = rt.org(org)
    if meta is None and org not in rt.store.seed_orgs():
        raise OrgNotFound(org)
    recipe = (meta or {}).get("mock")
    if recipe is None:
        rt.store.reset(org)
    else:
        rt.store.restore({org: build_seed(rt, org, recipe)})
    rt.faults.clear(org)
    rt.limiter.forget(org)
    for hook in getattr(rt, "reset_hooks", []):
        hook(org)


def reset_all(rt) -> None:
    """The whole server back to the fixtures: created orgs vanish; journal, faults, limits and clock restart."""
    rt.store.reset(None)
    rt.journal.clear()
    rt.faults.clear()
    rt.limiter.forget()
    rt.clock.reset()
    for hook in getattr(rt, "reset_hooks", []):
        hook(None)


def delete_org(rt, org: str) -> None:
    """Drop a created organisation with its data, journal, faults, limits; its people's tokens stop working."""
    meta = rt.org(org)
    if meta is None:
        raise OrgNotFound(org)
    if meta.get("mock") is None:
        raise ApiError(400, f"orgId: {org} comes from the fixtures and cannot be deleted; reset it instead.")
    people = [p["id"] for p in rt.store.list(org, "people")]
    with rt.store.atomic():
        rt.store.drop_org(org)
        rt.store.delete(SYSTEM, "org", org)
    for sub in people:
        rt.tokens.revoke_subject(sub)
    rt.journal.clear(org)
    rt.faults.clear(org)
    rt.limiter.forget(org)


@blp.route("/orgs")
class Orgs(MethodView):
    """Organisations."""

    @blp.doc(responses={"200": {"description": "`{items: [organisation]}`"}})
    def get(self):
        """Every organisation (fixtures and created) with document counts."""
        rt = current()
        ids = sorted({o["id"] for o in rt.store.list(SYSTEM, "org")} | set(rt.store.orgs()))
        return json_response({"items": [_summary(rt, org) for org in ids]})

    @blp.arguments(OrgRequest, required=False)
    @blp.doc(responses={"201": {"description": "The organisation, a person and a token per admin role"}})
    def post(self, args):
        """Create an isolated organisation: empty, a copy of the demo tenant, or generated."""
        rt = current()
        return json_response(create_org(rt, args, rt.base_url()), 201)


@blp.route("/orgs/<org_id>")
class Org(MethodView):
    """One organisation."""

    @blp.doc(responses={"200": {"description": "The organisation and its document counts"}})
    def get(self, org_id):
        """An organisation."""
        rt = current()
        if rt.org(org_id) is None:
            raise OrgNotFound(org_id)
        return json_response(_summary(rt, org_id))

    @blp.doc(responses={"204": {"description": "Deleted"}})
    def delete(self, org_id):
        """Delete a created organisation (fixture organisations can only be reset)."""
        delete_org(current(), org_id)
        return Response(status=204)


@blp.route("/orgs/<org_id>/reset")
class OrgReset(MethodView):
    """Reset one organisation."""

    @blp.doc(responses={"204": {"description": "Reset done"}})
    def post(self, org_id):
        """Back to its seed (fixtures, or what it was created with); its faults and limits are removed."""
        reset_org(current(), org_id)
        return Response(status=204)
