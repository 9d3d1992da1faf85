"""The vendor's subscription and event-type routes, v1 and v2 (runtime facts 3.1), answering errors as the
spec's ``ErrorResult`` (an integer ``key``, a ``NOTIFS_`` tracking id; marked for errors.py)."""
from __future__ import annotations

from flask import g, request
from flask.views import MethodView

from ..auth import access
from ..http import inputs
from ..http.apidoc import Blueprint
from ..http.errors import ApiError, error_result_errors
from ..http.jsonutil import json_response
from ..runtime import current
from . import catalogue, subscriptions

_SUB = {"type": "object", "properties": {k: {"type": t} for k, t in (
    ("id", "string"), ("name", "string"), ("description", "string"), ("destinationUrl", "string"),
    ("status", "string"), ("createdTime", "integer"), ("createdBy", "string"), ("lastUpdatedTime", "integer"),
    ("lastUpdatedBy", "string"), ("resourceVersion", "string"))} | {"eventTypes": {"type": "array",
                                                                                     "items": {"type": "string"}}}}
_META = {"type": "object", "properties": {"orgId": {"type": "string"}}}
_ERRORS = {str(s): {"description": d} for s, d in ((400, "Bad request"), (401, "Unauthorized"), (403, "Forbidden"),
                                                     (404, "No such subscription"))}


def _doc(status: int, schema: dict | None, body: dict | None = None) -> dict:
    out = {"responses": {**_ERRORS, str(status): {"description": "OK"} if schema is None else {
        "description": "OK", "content": {"application/json": {"schema": schema}}}}}
    if body is not None:
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return out


def _actor() -> str:
    claims = g.claims
    person = current().store.get(claims.get("org_id", ""), "people", claims.get("sub", ""))
    return (person or {}).get("email") or claims.get("sub", "unknown")


def _body() -> dict:
    body = inputs.json_body()  # parsed once by the request pipeline
    if not isinstance(body, dict):
        raise ApiError(400, "Body is invalid JSON: expected an object.")
    return body


def make(version: str) -> Blueprint:
    """The blueprint of one API version (``v1`` or ``v2``): its own store, its own routes."""
    blp = Blueprint(f"subscriptions-{version}", __name__, url_prefix=f"/{version}",
                    description=f"Webhook subscriptions and event types ({version}).")
    access.declare(blp, "subscriptions")
    kind = subscriptions.KINDS[version]

    def _org(body=None) -> str:
        return subscriptions.org_of(body or {}, g.claims["org_id"], request.args.get("orgId"))

    def _get(org: str, sub_id: str) -> dict:
        found = current().store.get(org, kind, sub_id)
        if found is None:
            raise ApiError(404, f"Subscription {sub_id} not found.")
        return found

    @blp.route("/subscriptions")
    @error_result_errors
    class Collection(MethodView):
        """Subscriptions."""

        @blp.doc(**_doc(200, {"type": "object", "properties": {"meta": _META, "data": {"type": "array",
                                                                                        "items": _SUB}}}))
        def get(self):
            """List the organisation's subscriptions of this version (``meta.subscriptionCount``: both versions)."""
            org, store = _org(), current().store
            data = sorted(store.list(org, kind), key=lambda s: (s["createdTime"], s["id"]))
            total = sum(store.count(org, k) for k in subscriptions.KINDS.values())
            return json_response({"meta": {"orgId": org, "subscriptionCount": total},
                                  "data": [subscriptions.public(s) for s in data]})

        @blp.doc(**_doc(201, {"type": "object", "properties": {"meta": _META, "data": _SUB}}, _SUB))
        def post(self):
            """Create a subscription (refused once the organisation's limit would be exceeded)."""
            body = _body()
            org, rt = _org(body), current()
            record = subscriptions.create(body, version, rt.webhooks.extra_hosts, _actor(), rt.clock.now_ms())
            with rt.store.atomic():
                total = sum(rt.store.count(org, k) for k in subscriptions.KINDS.values())
                limit = rt.config.webhook_subscription_limit
                if total >= limit:
                    raise ApiError(400, f"Subscription limit reached: an organization may have {limit} "
                                        f"subscriptions (v1 and v2 together); delete one first.")
                rt.store.insert(org, kind, record)
            return json_response({"meta": {"orgId": org}, "data": subscriptions.public(record)}, 201)

    @blp.route("/subscriptions/<id>")
    @error_result_errors
    class Item(MethodView):
        """One subscription."""

        @blp.doc(**_doc(200, {"type": "object", "properties": {"meta": _META, "data": _SUB}}))
        def get(self, id):
            """Get a subscription (never its secret)."""
            org = _org()
            return json_response({"meta": {"orgId": org}, "data": subscriptions.public(_get(org, id))})

        @blp.doc(**_doc(200, {"type": "object", "properties": {"meta": _META, "data": _SUB}}, _SUB))
        def patch(self, id):
            """Change some fields (not ``name``); ``{"status": "active"}`` re-enables a disabled subscription."""
            body = _body()
            org, rt = _org(body), current()
            with rt.store.atomic():
                record = subscriptions.patch(_get(org, id), body, version, rt.webhooks.extra_hosts, _actor(),
                                             rt.clock.now_ms())
                rt.store.put(org, kind, record)
            if body.get("status") == "active":
                rt.webhooks.reactivated(org, version, id)
            return json_response({"meta": {"orgId": org}, "data": subscriptions.public(record)})

        @blp.doc(**_doc(204, None))
        def delete(self, id):
            """Delete a subscription (its queued deliveries are dropped)."""
            org, rt = _org(), current()
            _get(org, id)
            rt.store.delete(org, kind, id)
            rt.webhooks.forget(org, version, id)
            return "", 204

    @blp.route("/event-types")
    @error_result_errors
    class EventTypes(MethodView):
        """Event types."""

        @blp.doc(**_doc(200, {"type": "object"}))
        def get(self):
            """The event types a subscription can name (v2: with the resource versions)."""
            meta = {"orgId": _org()}
            if version == "v2":
                meta["resourceVersionList"] = catalogue.resource_versions()
            return json_response({"data": catalogue.rows(), "meta": meta})

    return blp
