"""The mock's own control API under ``/_mock/`` (a prefix the real API never uses)."""
from __future__ import annotations

from flask_smorest import Blueprint

#: Every control endpoint hangs off this blueprint; the OpenAPI tag says they are the mock's own.
blp = Blueprint("mock-controls", __name__, url_prefix="/_mock",
                description="Mock controls (not part of Webex): tokens, reset, organisations, journal, faults, clock.")


def register(api, rt) -> None:
    """Attach the control API to an app."""
    from . import tokens, state  # noqa: F401  (modules add their routes to ``blp``)

    api.register_blueprint(blp)
