"""Mock-only Flow Designer controls under ``/_mock/flows``: run HTTP Request activities, show flow status."""
from __future__ import annotations

from flask.views import MethodView

from ..auth import access
from ..http.errors import ApiError, OrgNotFound
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response
from ..runtime import current
from . import activity, runner, schemas, store

blp = Blueprint("mock-flows", __name__, url_prefix="/_mock/flows",
                description="Mock controls (not part of Webex): run Flow Designer HTTP Request activities "
                            "in-process against the mock's API, and show each flow's routing status.")
access.declare(blp, "mock", vendor=False)



_ROUTING = {"type": "string", "enum": ["live", "paused", "broken"]}
#: The status document (store.status), as JSON Schema for the OpenAPI document.
FLOW_STATUS = {"type": "object", "required": ["flowId", "name", "routing", "activities"], "properties": {
    "flowId": {"type": "string"}, "projectId": {"type": "string"}, "name": {"type": "string"}, "routing": _ROUTING,
    "notSimulated": {"type": "array", "items": {"type": "object"}},
    "activities": {"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "connectorId": {"type": "string", "nullable": True},
        "connectorName": {"type": "string", "nullable": True}, "connectorState": {"type": "string", "nullable": True},
        "routing": _ROUTING, "requestUrl": {"type": "string"}, "note": {"type": "string"}}}}}}


def _status_doc(schema: dict) -> dict:
    return {"responses": {"200": {"description": "Routing status",
                                  "content": {"application/json": {"schema": schema}}}}}


def _org(org: str) -> None:
    if current().org(org) is None:
        raise OrgNotFound(org)


def _flow(org: str, flow_id: str) -> dict:
    _org(org)
    doc = current().store.get(org, store.KIND, flow_id)
    if doc is None:
        raise ApiError(404, f"Flow {flow_id} not found in organization {org}.")
    return doc


def _defaults(version: dict) -> dict:
    """The flow's variables with their default values."""
    rows = version.get("variables") if isinstance(version.get("variables"), list) else []
    return {v["name"]: v["value"] for v in rows if isinstance(v, dict) and v.get("name") and v.get("value") is not None}


@blp.route("/<orgId>/run-activity")
class RunActivity(MethodView):
    """One activity."""

    @blp.arguments(schemas.RunActivity)
    @blp.response(200, schemas.RunResult)
    def post(self, args, orgId):
        """Run one HTTP Request activity given inline (exported property names)."""
        _org(orgId)
        props = args["activity"]
        act = activity.parse("inline", str(props.get("name") or "HTTPRequest"), props)
        return json_response(runner.run_flow(current(), orgId, [act], dict(args["variables"])))


@blp.route("/<orgId>/<flowId>/run")
class RunFlow(MethodView):
    """A stored flow."""

    @blp.arguments(schemas.RunFlow)
    @blp.response(200, schemas.RunResult)
    def post(self, args, orgId, flowId):
        """Run a stored flow's HTTP Request activities in flow order; outputs feed the next activity."""
        version = _flow(orgId, flowId)["flowVersion"]
        http, _ = activity.activities(version)
        variables = {**_defaults(version), **args["variables"]}
        return json_response(runner.run_flow(current(), orgId, http, variables))


@blp.route("/<orgId>/<flowId>/status")
class FlowStatus(MethodView):
    """One flow's status."""

    @blp.doc(**_status_doc(FLOW_STATUS))
    def get(self, orgId, flowId):
        """Routing per HTTP Request activity: live, paused (connector inactive, R13) or broken (deleted, R15)."""
        return json_response(store.status(current(), orgId, _flow(orgId, flowId)))


@blp.route("/<orgId>/status")
class OrgFlowStatus(MethodView):
    """Every flow's status."""

    @blp.doc(**_status_doc({"type": "array", "items": FLOW_STATUS}))
    def get(self, orgId):
        """Routing status of every flow of the organisation, computed now."""
        _org(orgId)
        rt = current()
        return json_response([store.status(rt, orgId, d) for d in rt.store.list(orgId, store.KIND)])
