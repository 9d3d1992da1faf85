"""Reset: back to the seed, for one organisation or the whole server."""
from __future__ import annotations

import marshmallow as ma
from flask import Response
from flask.views import MethodView

from ..runtime import current
from . import blp
from .orgs import reset_all, reset_org


class ResetArgs(ma.Schema):
    """Which organisation to reset (all when absent)."""

    orgId = ma.fields.String()


@blp.route("/reset")
class Reset(MethodView):
    """Reset state."""

    @blp.arguments(ResetArgs, location="query")
    @blp.doc(responses={"204": {"description": "Reset done"}})
    def post(self, args):
        """Reset one organisation (``?orgId=``) to its seed, or the whole server (journal, limits, clock too)."""
        rt = current()
        if args.get("orgId") is not None:
            reset_org(rt, args["orgId"])
        else:
            reset_all(rt)
        return Response(status=204)
