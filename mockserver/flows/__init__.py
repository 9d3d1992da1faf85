"""Flow Designer: the vendor's flow store, flow status (R13, R15) and the mock's HTTP Request runner (R16-R18)."""
from __future__ import annotations


def register(api, rt) -> None:
    """Attach the flow store and the runner (under /_mock/flows) to the app."""
    from . import mockviews, views

    api.register_blueprint(views.blp)
    api.register_blueprint(mockviews.blp)
