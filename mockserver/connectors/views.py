"""HTTP layer of the simulated Control Hub connector API: each view checks the role table, then calls the service."""
from __future__ import annotations

from flask import Response, g, request
from flask.views import MethodView

from ..auth import access
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response
from ..runtime import current
from . import schemas, service
from .access import allow

# Differs from Webex: Control Hub has no public connector API; this one is the mock's, under a prefix that says
# what it simulates, in the configuration API's conventions.
blp = Blueprint("simulated-controlhub", __name__, url_prefix="/controlhub/organization/<orgId>",
                description="Simulated Control Hub (not part of the public Webex API): Webex Contact Center "
                            "connectors, their admin roles (R3-R5), Flex 3 licensing (R2) and lifecycle (R7-R15).")
access.declare(blp, "controlhub", vendor=False)
_ERRORS = {"400": "Invalid input", "403": "Role, scope, organisation or licence refused",
           "404": "No such connector", "409": "Duplicate name, or not allowed in the current state"}


def _doc(**ok):
    return blp.doc(responses={**{k: {"description": v} for k, v in _ERRORS.items()}, **ok}, security=[{"bearer": []}])


@blp.route("/connectors")
class Connectors(MethodView):
    """The organisation's connectors."""

    @allow("list")
    @blp.arguments(schemas.ConnectorPageArgs, location="query")
    @blp.response(200, schemas.ConnectorPage)
    @_doc()
    def get(self, args, orgId):
        """List connectors (paged): read/write and read-only admin roles."""
        return json_response(service.page(current(), orgId, service.KIND, args["page"], args["pageSize"],
                                          request.path))

    @allow("create")
    @blp.arguments(schemas.ConnectorCreate)
    @blp.response(201, schemas.Connector)
    @_doc()
    def post(self, args, orgId):
        """Create a connector (R2, R7-R10): starts active; read/write admin roles only."""
        return json_response(service.create(current(), orgId, g.claims, args), 201)


@blp.route("/connectors/audit-log")
class AuditLog(MethodView):
    """Every connector change in the organisation."""

    @allow("audit")
    @blp.arguments(schemas.ConnectorAuditArgs, location="query")
    @blp.response(200, schemas.ConnectorAuditPage)
    @_doc()
    def get(self, args, orgId):
        """The audit log (who, what, when, before/after), oldest first; optionally for one connector."""
        rt = current()
        docs = rt.store.lookup(orgId, service.AUDIT, "connectorId", args["connectorId"]) \
            if args.get("connectorId") else None
        return json_response(service.page(rt, orgId, service.AUDIT, args["page"], args["pageSize"], request.path,
                                          docs))


@blp.route("/connectors/<connectorId>")
class ConnectorItem(MethodView):
    """One connector."""

    @allow("get")
    @blp.response(200, schemas.Connector)
    @_doc()
    def get(self, orgId, connectorId):
        """Get a connector by id."""
        return json_response(service.find(current(), orgId, connectorId))

    @allow("update")
    @blp.arguments(schemas.ConnectorUpdate)
    @blp.response(200, schemas.Connector)
    @_doc()
    def put(self, args, orgId, connectorId):
        """Update an inactive connector's name or access level (R10a, R11); the id never changes."""
        return json_response(service.update(current(), orgId, connectorId, g.claims, args))

    @allow("delete")
    @blp.response(204)
    @_doc()
    def delete(self, orgId, connectorId):
        """Delete an inactive connector (R15); its id is never reused."""
        service.delete(current(), orgId, connectorId, g.claims)
        return Response(status=204)


def _lifecycle(org: str, connector_id: str, active: bool):
    doc, changed = service.set_active(current(), org, connector_id, g.claims, active)
    word = "active" if active else "inactive"
    message = (f"Connector is now {word}." if changed else f"Connector was already {word}; nothing changed.")
    if not active and changed:
        message += " Flows using it have routing paused until it is reactivated."
    return json_response({"changed": changed, "message": message, "connector": doc})


@blp.route("/connectors/<connectorId>/deactivate")
class Deactivate(MethodView):
    """Deactivate (R12, R13)."""

    @allow("deactivate")
    @blp.response(200, schemas.ConnectorLifecycleResult)
    @_doc()
    def post(self, orgId, connectorId):
        """Deactivate a connector: settings are kept; flows using it pause. Idempotent."""
        return _lifecycle(orgId, connectorId, False)


@blp.route("/connectors/<connectorId>/reactivate")
class Reactivate(MethodView):
    """Reactivate (R14)."""

    @allow("reactivate")
    @blp.response(200, schemas.ConnectorLifecycleResult)
    @_doc()
    def post(self, orgId, connectorId):
        """Reactivate a connector: flows using it work again. Idempotent."""
        return _lifecycle(orgId, connectorId, True)
