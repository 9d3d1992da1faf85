"""Simulated Control Hub: Webex Contact Center connectors (R1-R15) and the credentials flows use."""
from __future__ import annotations

from .service import ConnectorUnavailable, credentials, state  # noqa: F401  (used by flows)


def register(api, rt) -> None:
    """Attach the connector API to the app."""
    from .views import blp

    api.register_blueprint(blp)
