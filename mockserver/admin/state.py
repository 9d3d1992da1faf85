"""Reset: back to the fixtures, for one organisation or the whole server."""
from __future__ import annotations

import marshmallow as ma
from flask import Response
from flask.views import MethodView

from ..errors import ApiError
from ..runtime import current
from . import blp


class ResetArgs(ma.Schema):
    """Which organisation to reset (all when absent)."""

    orgId = ma.fields.String()


@blp.route("/reset")
class Reset(MethodView):
    """Reset state."""

    @blp.arguments(ResetArgs, location="query")
    @blp.doc(responses={"204": {"description": "Reset done"}})
    def post(self, args):
        """Reset one organisation (``?orgId=``) or everything to the seed."""
        rt = current()
        org = args.get("orgId")
        if org is not None and org not in rt.store.seed_orgs() and org not in rt.store.orgs():
            raise ApiError(404, f"orgId: organization {org} does not exist.")
        rt.store.reset(org)
        for hook in getattr(rt, "reset_hooks", []):
            hook(org)
        return Response(status=204)
