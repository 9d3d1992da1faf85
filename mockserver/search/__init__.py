"""The Search API: a GraphQL schema over the activity history and its ``POST /search`` route."""
from __future__ import annotations


def register(api, rt) -> None:
    """Attach ``/search`` over the runtime's history (an ``IndexedHistory``, built with the runtime)."""
    from . import engine, views

    engine.install_resolvers()
    api.register_blueprint(views.blp)
