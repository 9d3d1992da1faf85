"""The Search API: a GraphQL schema over the activity history and its ``POST /search`` route."""
from __future__ import annotations


def register(api, rt) -> None:
    """Attach ``/search``; the history is the runtime's (the simulation's), created here when absent."""
    from ..activity.history import History
    from . import engine, views

    rt.history = getattr(rt, "history", None) or History()
    engine.install_resolvers()
    api.register_blueprint(views.blp)
