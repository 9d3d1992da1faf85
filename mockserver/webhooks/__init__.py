"""Webhooks: the vendor's subscriptions and event types, and a delivery worker subscribed to the event bus."""
from __future__ import annotations


def register(api, rt) -> None:
    """Attach the subscription routes and the delivery log (the runtime built the dispatcher, ``rt.webhooks``)."""
    from . import mockviews, views

    api.register_blueprint(views.make("v1"))
    api.register_blueprint(views.make("v2"))
    api.register_blueprint(mockviews.blp)
