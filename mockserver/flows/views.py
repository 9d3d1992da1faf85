"""The vendor's flow-store endpoints: import (multipart FlowVersionRes), list, export, publish."""
from __future__ import annotations

from flask import g
from flask.views import MethodView

from ..auth import access
from ..http import paging
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response
from ..runtime import current
from . import schemas, store

blp = Blueprint("flow-store", __name__, url_prefix="/flow-store/<orgId>/project/<projectId>",
                description="Flow Designer flows (import, list, export, publish).")
access.declare(blp, "flow-store")
_ERR = {"400": {"description": "Bad request"}, "401": {"description": "Unauthorized"},
        "403": {"description": "Forbidden"}, "404": {"description": "Not Found"}}


def _by() -> str:
    claims = g.claims
    person = current().store.get(claims.get("org_id", ""), "people", claims.get("sub", ""))
    return (person or {}).get("email") or claims.get("sub", "unknown")


@blp.route("/flows:import")
@access.rule("flow-import")
class Import(MethodView):
    """Import."""

    @blp.arguments(schemas.ImportQuery, location="query")
    @blp.arguments(schemas.ImportFile, location="files")
    @blp.response(201, schemas.BasicFlow)
    @blp.doc(responses={**_ERR, "409": {"description": "A flow/subflow with the same name already exists."}})
    def post(self, query, files, orgId, projectId):
        """Import a Flow or Subflow from a file holding a FlowVersionRes."""
        data = store.parse_file(files["file"].read())
        overwrite = str(query.get("overwrite", "")).lower() == "true"
        return json_response(store.import_flow(current(), orgId, projectId, data, query.get("flowType"),
                                               overwrite, _by()), 201)


@blp.route("/flows")
class Flows(MethodView):
    """List."""

    @blp.arguments(schemas.ListQuery, location="query")
    @blp.response(200, schemas.BasicFlow(many=True))
    @blp.doc(responses=_ERR)
    def get(self, args, orgId, projectId):
        """List Flows or Subflows (page from 0, `size` per page)."""
        hits = store.list_flows(current(), orgId, projectId, args)
        size = paging.clamp(args["size"])
        page = paging.window(hits, args["page"], size)
        if not args["includePagination"]:
            return json_response(page)
        # The parameter's own text names the page metadata: currentPage, totalRecords, pageSize, totalPages,
        # the flows in "data". Where they sit (a "meta" object) is [U]: the spec documents no schema for it.
        return json_response({"meta": paging.flow_store_meta(orgId, args["page"], size, len(hits)), "data": page})


@blp.route("/flows/<flowId>:export")
class Export(MethodView):
    """Export."""

    @blp.arguments(schemas.ExportQuery, location="query")
    @blp.doc(responses={**_ERR, "200": {"description": "The FlowVersionRes"}})
    def get(self, args, orgId, projectId, flowId):
        """Export a Flow or Subflow (the FlowVersionRes, as imported)."""
        return json_response(store.export(current(), orgId, projectId, flowId, args["version"]))


@blp.route("/flows/<flowId>:publish")
class Publish(MethodView):
    """Publish."""

    @blp.arguments(schemas.PublishParameters)
    @blp.doc(responses={**_ERR, "200": {"description": "The FlowRes"}})
    def post(self, args, orgId, projectId, flowId):
        """Publish a Flow or Subflow (refused while an HTTP Request activity's connector is deleted)."""
        return json_response(store.publish(current(), orgId, projectId, flowId, args, _by()))
