"""``GET /health``: liveness for humans, load balancers and the Docker HEALTHCHECK."""
from __future__ import annotations

import time

from flask.views import MethodView

from . import __version__
from .auth import access
from .http.apidoc import Blueprint
from .http.jsonutil import json_response
from .runtime import current

blp = access.declare(Blueprint("health", __name__, description="Health of the mock (not part of Webex)."), "public",
                     vendor=False)


@blp.route("/health")
class Health(MethodView):
    """Health."""

    @blp.doc(summary="Status, version and the fixtures loaded",
             responses={"200": {"description": "The server answers", "content": {"application/json": {"schema": {
                 "type": "object", "required": ["status", "version"], "properties": {
                     "status": {"type": "string", "enum": ["ok"]}, "version": {"type": "string"},
                     "uptimeSeconds": {"type": "number"}, "storage": {"type": "string"},
                     "fixtures": {"type": "object"}}}}}}})
    def get(self):
        """Always 200 while the server answers."""
        rt = current()
        return json_response({"status": "ok", "version": __version__,
                              "uptimeSeconds": round(time.time() - rt.started, 3),
                              "storage": rt.config.storage, "fixtures": rt.fixtures_summary})


def register(api, rt) -> None:
    """Attach /health."""
    api.register_blueprint(blp)
