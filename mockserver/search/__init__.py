"""The Search API: a GraphQL schema over the activity history and its ``POST /search`` route."""
from __future__ import annotations


def register(api, rt) -> None:
    """Attach ``/search``; the history is the runtime's (the simulation's), created here when absent.

    The GraphQL machinery (``engine``) is imported and built by the first search, not here.
    """
    from . import views
    from .index import IndexedHistory

    # The runtime builds an IndexedHistory; a plain one (a caller's own) is searched without the SQLite view.
    rt.history = getattr(rt, "history", None) or IndexedHistory()
    api.register_blueprint(views.blp)
