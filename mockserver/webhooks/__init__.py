"""Webhooks: the vendor's subscriptions and event types, and a delivery worker subscribed to the event bus."""
from __future__ import annotations


def register(api, rt) -> None:
    """Attach the subscription routes, the delivery log and the dispatcher (a subscriber of ``rt.bus``)."""
    from ..activity.bus import EventBus
    from . import delivery, mockviews, views

    rt.bus = getattr(rt, "bus", None) or EventBus()  # the runtime's: the simulation publishes there
    rt.webhooks = delivery.Dispatcher(rt.config, rt.store, rt.clock)
    rt.bus.subscribe(rt.webhooks.on_event)
    rt.reset_hooks.append(rt.webhooks.load)  # the reset store holds no delivery state for the org: none is kept
    api.register_blueprint(views.make("v1"))
    api.register_blueprint(views.make("v2"))
    api.register_blueprint(mockviews.blp)
