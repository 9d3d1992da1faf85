"""The Search API: a GraphQL schema over the activity history and its ``POST /search`` route."""
from __future__ import annotations


def register(api, rt) -> None:
    """Attach ``/search``; the history is the runtime's (the simulation's), created here when absent."""
    from . import engine, views
    from .index import IndexedHistory

    # The runtime builds an IndexedHistory; a plain one (a caller's own) is searched without the SQLite view.
    rt.history = getattr(rt, "history", None) or IndexedHistory(rt.config.activity_history_size)
    engine.install_resolvers()
    api.register_blueprint(views.blp)
