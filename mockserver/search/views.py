"""``POST /search``: the GraphQL reporting API (runtime facts 2)."""
from __future__ import annotations

import gzip

from flask import g, request
from flask.views import MethodView

from ..auth import access
from ..http import inputs
from ..http.apidoc import Blueprint
from ..http.errors import ApiError, tracking_id
from ..http.jsonutil import json_response
from ..runtime import current

GZIP_ABOVE = 1 << 20
blp = Blueprint("search", __name__, url_prefix="/search", description="The GraphQL Search API (reporting).")
access.declare(blp, "search")

_BODY = {"type": "object", "required": ["query"], "properties": {
    "query": {"type": "string", "description": "A GraphQL document (task, taskDetails, agentSession, taskLegDetails, "
                                                 "flowInteractions, flowTraceEvents)."},
    "variables": {"type": "object"}}}
_ANSWER = {"type": "object", "properties": {"data": {"type": "object"}, "errors": {"type": "array",
                                                                                  "items": {"type": "object"}}}}


@blp.route("")
class Search(MethodView):
    """Search."""

    @blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": _BODY}}},
             parameters=[{"name": "orgId", "in": "query", "required": False, "schema": {"type": "string"}}],
             responses={"200": {"description": "The GraphQL answer", "content": {"application/json": {
                 "schema": _ANSWER}}}, "400": {"description": "A query the schema rejects or a window outside "
                                                              "the limits (ApiErrorResponse plus GraphQL errors)"},
                 "413": {"description": "A query or a result over the limits"}})
    def post(self):
        """Run a GraphQL reporting query over the organisation's contacts, legs, agent sessions and flows."""
        rt = current()
        org = request.args.get("orgId") or g.claims["org_id"]
        if org != g.claims["org_id"]:
            raise ApiError(403, f"Access denied: the token belongs to organization {g.claims['org_id']}, "
                                f"not to organization {org}.")
        body = inputs.json_body()  # parsed once by the request pipeline
        if not isinstance(body, dict):
            raise ApiError(400, "Request body must be an object with 'query' (and 'variables').")
        cfg = rt.config
        ctx = {"org": org, "history": rt.history, "now": rt.clock.now_ms(), "store": rt.store, "bounds": {
            "depth": cfg.search_max_depth, "aliases": cfg.search_max_aliases, "values": cfg.search_max_values}}
        name = body.get("operationName")
        from . import engine  # graphql-core: imported by the first search, not at start

        status, answer = engine.run(body.get("query"), body.get("variables"), ctx, tracking_id(),
                                    name if isinstance(name, str) and name else None)
        resp = json_response(answer, status)
        if len(resp.get_data()) > GZIP_ABOVE and _accepts_gzip():  # the spec: gzip above 1 MB when asked
            resp.set_data(gzip.compress(resp.get_data(), compresslevel=5))
            resp.headers["Content-Encoding"] = "gzip"
            resp.headers["Vary"] = "Accept-Encoding"
        return resp


def _accepts_gzip() -> bool:
    offered = [part.split(";")[0].strip().lower() for part in request.headers.get("Accept-Encoding", "").split(",")]
    return "gzip" in offered
