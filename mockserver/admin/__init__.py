"""The mock's own control API under ``/_mock/`` (a prefix the real API never uses)."""
from __future__ import annotations

import marshmallow as ma

from ..auth import access
from ..http.inputs import Blueprint

#: Every control endpoint hangs off this blueprint; the OpenAPI tag says they are the mock's own.
blp = Blueprint("mock-controls", __name__, url_prefix="/_mock",
                description="Mock controls (not part of Webex): organisations, reset, snapshots, tokens and keys, "
                            "journal, faults, rate limits, clock.")
access.declare(blp, "mock", vendor=False)


class StrictBoolean(ma.fields.Boolean):
    """Only JSON ``true``/``false`` (marshmallow's Boolean also takes 0, 1, "yes"...: a typo must not switch a
    control)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def register(api, rt) -> None:
    """Attach the control API to an app."""
    from . import (  # noqa: F401 (routes)
        clock,
        faults,
        journal,
        keys,
        orgs,
        ratelimits,
        snapshots,
        state,
        tokens,
    )

    api.register_blueprint(blp)
