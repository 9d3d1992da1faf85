"""Mock-only: the delivery log of a subscription under ``/_mock/webhooks`` (what was sent, when, with what result)."""
from __future__ import annotations

from flask.views import MethodView

from ..auth import access
from ..http.apidoc import Blueprint
from ..http.errors import ApiError
from ..http.jsonutil import json_response
from ..runtime import current
from . import subscriptions

blp = Blueprint("mock-webhooks", __name__, url_prefix="/_mock/webhooks",
                description="Mock controls (not part of Webex): the delivery log of each webhook subscription.")
access.declare(blp, "mock", vendor=False)


@blp.route("/<orgId>/<version>/subscriptions/<subscriptionId>/deliveries")
class Deliveries(MethodView):
    """Delivery log."""

    @blp.doc(responses={"200": {"description": "Attempts, oldest first: eventId, eventType, eventTime, attempt, "
                                               "outcome (delivered, retrying, failed, dropped), httpStatus, error, "
                                               "latencyMs, at, nextRetryTime (the last ones, "
                                               "MOCKSERVER_WEBHOOK_LOG_SIZE); "
                                               "the deliveries still queued; totals per outcome."},
                        "404": {"description": "No such subscription"}})
    def get(self, orgId, version, subscriptionId):
        """The delivery log of one subscription (``version``: v1 or v2)."""
        rt = current()
        kind = subscriptions.KINDS.get(version)
        if kind is None or rt.store.get(orgId, kind, subscriptionId) is None:
            raise ApiError(404, f"No {version} subscription {subscriptionId} in organization {orgId}.")
        hooks = rt.webhooks
        return json_response({"subscriptionId": subscriptionId,
                              "pending": hooks.pending(orgId, version, subscriptionId),
                              "totals": hooks.totals(orgId, version, subscriptionId),
                              "deliveries": hooks.history(orgId, version, subscriptionId)})
