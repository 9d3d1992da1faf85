"""Who the caller is: ``GET /v1/people/me`` (webexapis.com) and the tenant record ``GET /organization/{orgId}``.

Neither is in the Contact Center spec; real clients read both (runtime facts 8.3 and 9): official samples find
their organisation in people/me's Hydra ``orgId``, admin tools read the tenant name from the tenant record.
"""
from __future__ import annotations

import base64
from datetime import datetime, timezone

from flask import g
from flask.views import MethodView

from ..auth import access
from ..http.apidoc import Blueprint
from ..http.errors import ApiError
from ..http.jsonutil import json_response
from ..runtime import current

blp = Blueprint("identity", __name__, description="Who the caller is: people/me and the tenant record.")
access.declare(blp, "identity", vendor=False)  # live routes the Contact Center spec does not list
HYDRA_REGION = "us"  # ciscospark://us/... is the only region seen in public examples (runtime facts 8.3)


def hydra_id(kind: str, uuid: str) -> str:
    """A Webex (Hydra) id: base64 of ``ciscospark://us/<KIND>/<uuid>``, unpadded as Webex writes them."""
    return base64.b64encode(f"ciscospark://{HYDRA_REGION}/{kind}/{uuid}".encode()).decode().rstrip("=")


def _iso(ms) -> str:
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def person_record(rt, claims: dict) -> dict:
    """The Webex Person of the token's user (messaging spec's Person fields, runtime facts 8.3)."""
    org = claims["org_id"]
    person = rt.store.get(org, "people", claims["sub"]) or {"id": claims["sub"], "displayName": claims["sub"]}
    created = _iso((rt.org(org) or {}).get("createdTime", 1_600_000_000_000))
    body = {
        "id": hydra_id("PEOPLE", person["id"]),
        "emails": [person["email"]] if person.get("email") else [],
        "phoneNumbers": [], "displayName": person.get("displayName") or person.get("email") or person["id"],
        "nickName": person.get("firstName"), "firstName": person.get("firstName"), "lastName": person.get("lastName"),
        "orgId": hydra_id("ORGANIZATION", org),
        "roles": [hydra_id("ROLE", r) for r in claims.get("roles") or []],
        "licenses": [hydra_id("LICENSE", lic) for lic in person.get("licenses") or []],
        "created": created, "lastModified": created, "timezone": person.get("timezone", "UTC"),
        "status": "active", "type": "person",
    }
    return {k: v for k, v in body.items() if v is not None}


def tenant_record(rt, org: str) -> dict:
    """The bare tenant object live clients read (runtime facts 9); field values are [U], chosen plausibly."""
    meta = rt.org(org)
    if meta is None:
        raise ApiError(404, f"Organization {org} not found.")
    created = meta.get("createdTime", 1_600_000_000_000)
    body = {
        "id": org, "name": meta.get("name", org), "active": True, "contactCenterType": "WEBEX_CONTACT_CENTER",
        "createdTime": created, "lastUpdatedTime": meta.get("lastUpdatedTime", created),
        "domainName": meta.get("domainName"), "environment": meta.get("environment", "PRODUCTION"),
        "imiOnboardStatus": meta.get("imiOnboardStatus", "COMPLETED"), "orgType": meta.get("orgType", "CUSTOMER"),
        "provisionStatus": "COMPLETED", "subscriptionStateTimestamp": created,
        # SUBSCRIPTION marks a paying tenant; admin tools treat anything else as a trial (runtime facts 9, [U]).
        "subscriptionType": meta.get("subscriptionType", "SUBSCRIPTION"),
        "tenantId": meta.get("tenantId", org), "tenantType": meta.get("tenantType", "STANDARD"),
        "timezone": meta.get("timezone", "America/New_York"),
    }
    return {k: v for k, v in body.items() if v is not None}  # unset fields are omitted (facts 3.2)


@blp.route("/v1/people/me")
class PeopleMe(MethodView):
    """The token's user as a Webex Person."""

    @blp.doc(summary="The caller as a Webex Person (Hydra ids; any valid token)")
    def get(self):
        """The caller's Person record."""
        return json_response(person_record(current(), g.claims))


@blp.route("/organization/<orgid>")
@access.rule("config")
class Tenant(MethodView):
    """The tenant record."""

    @blp.doc(summary="The tenant's own record (live, not in the vendor spec)")
    def get(self, orgid):
        """The organisation's id, name, subscription type..."""
        return json_response(tenant_record(current(), orgid))


def register(api, rt) -> None:
    """Attach the identity routes to an app."""
    api.register_blueprint(blp)
