"""``POST /v1/notification/subscribe`` and ``/v1/realtime/subscribe`` (a websocket URL, facts 6), Agent
Wellbeing's ``/v1/agentburnout/*`` and Agent Summaries' ``/generated-summaries/search``."""
from __future__ import annotations

import uuid

import marshmallow as ma
from flask import g, request
from flask.views import MethodView

from ..activity.ended import Ended
from ..auth import access
from ..http.errors import ApiError
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response
from ..runtime import current
from .common import ERRORS, StrictBool, activity, caller, org_id

blp = Blueprint("notification", __name__, url_prefix="/v1", description="Agent and supervisor notifications.")
access.declare(blp, "agent")
extra = Blueprint("wellbeing", __name__, url_prefix="", description="Agent wellbeing and summaries.")
access.declare(extra, "campaign")
MAX_SUBSCRIPTIONS = 10_000  # bounded: old subscriptions are forgotten first


class NotifySubscribe(ma.Schema):
    isKeepAliveEnabled = StrictBool(load_default=False)
    clientType = ma.fields.String(load_default="DefaultClient", validate=ma.validate.Regexp(
        r"^[A-Za-z0-9_-]{1,20}$", error="1 to 20 letters, digits, - or _."))
    allowMultiLogin = StrictBool(load_default=False)
    force = StrictBool(load_default=False)


def subscribe(kind: str, body: dict):
    rt = current()
    org = org_id()
    hub = rt.activity.hub
    sid = f"{body['clientType']}-{uuid.uuid4()}"
    hub.add(sid, {"org": org, "user": caller(), "kind": kind, "keepalive": body["isKeepAliveEnabled"],
                  "clientType": body["clientType"], "multi": body["allowMultiLogin"], "force": body["force"]})
    # The vendor answers wss://...cisco.com; the mock's own host serves the socket (facts 6, differences.md).
    return json_response({"webSocketUrl": f"{hub.base_url(request.host)}/v1/{kind}/subscription/{sid}",
                          "subscriptionId": sid})


@blp.route("/notification/subscribe")
class Notification(MethodView):
    """Notification."""

    @blp.arguments(NotifySubscribe, required=False)
    @blp.doc(responses={**ERRORS, "200": {"description": "NotificationResponse"}})
    def post(self, body):
        """A websocket URL on which the caller's agent and task events arrive."""
        return subscribe("notification", body)


@blp.route("/realtime/subscribe")
class Realtime(MethodView):
    """Realtime."""

    @blp.arguments(NotifySubscribe, required=False)
    @blp.doc(responses={**ERRORS, "200": {"description": "NotificationResponse"}})
    def post(self, body):
        """A websocket URL for the organisation's realtime agent and task events."""
        return subscribe("realtime", body)


class NotifyBurnoutSubscription(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=4, max=64))
    description = ma.fields.String(validate=ma.validate.Length(max=1024))
    eventTypes = ma.fields.List(ma.fields.String(validate=ma.validate.Length(max=64)), required=True,
                                validate=ma.validate.Length(min=1, max=32))
    destinationUrl = ma.fields.Url(required=True, require_tld=False, schemes={"http", "https"})
    secret = ma.fields.String(validate=ma.validate.Length(min=32, max=256))
    orgId = ma.fields.String(validate=ma.validate.Length(max=64))


class NotifyBurnoutAction(ma.Schema):
    interactionId = ma.fields.String(validate=ma.validate.Length(max=64))
    agentId = ma.fields.String(validate=ma.validate.Length(max=64))
    clientId = ma.fields.String(validate=ma.validate.Length(max=128))
    actionType = ma.fields.String(validate=ma.validate.Length(max=64))
    actionDateType = ma.fields.Dict()


def _header_org() -> str:
    sent = request.headers.get("X-ORGANIZATION-ID")
    if not sent:
        raise ApiError(400, "X-ORGANIZATION-ID: the header is required.")
    return org_id(header=sent)


def _who() -> str:
    person = current().store.get(g.claims.get("org_id", ""), "people", caller())
    return (person or {}).get("email") or "unknown@example.com"


@extra.route("/v1/agentburnout/subscribe")
class BurnoutSubscribe(MethodView):
    """Agent burnout subscription."""

    @extra.arguments(NotifyBurnoutSubscription)
    @extra.doc(responses={**ERRORS, "200": {"description": "SubscriptionResponse"}})
    def post(self, body):
        """Subscribe a partner to burnout-index events (recorded; the mock computes no burnout index)."""
        org = _header_org()
        with activity().center(org) as c:
            now = c.time
            sub = {"id": c.new_id(), "name": body["name"], "description": body.get("description", ""),
                   "eventTypes": body["eventTypes"], "destinationUrl": body["destinationUrl"], "createdTime": now,
                   "createdBy": _who(), "status": "active", "lastUpdatedTime": now, "lastUpdatedBy": _who()}
            c.extras.setdefault("burnout", {})[sub["id"]] = sub
        return json_response(sub)


@extra.route("/v1/agentburnout/action")
class BurnoutActionView(MethodView):
    """Agent burnout action."""

    @extra.arguments(NotifyBurnoutAction)
    @extra.doc(responses={**ERRORS, "200": {"description": "ActionResponse"}})
    def post(self, body):
        """Record a partner's action on an agent (e.g. a wellness break)."""
        org = _header_org()
        with activity().center(org) as c:
            if body.get("agentId") and body["agentId"] not in c.tenant.agents \
                    and body["agentId"] not in c.tenant.by_ci:
                raise ApiError(400, f"agentId: {body['agentId']} is not an agent of this organization.")
            actions = c.extras.setdefault("burnoutActions", [])
            if len(actions) >= MAX_SUBSCRIPTIONS:
                del actions[0]
            actions.append({**body, "time": c.time})
        return json_response({"data": {**body, "status": "accepted"}, "trackingId": request.headers.get(
            "TrackingId") or g.get("tracking_id") or ""})


class NotifySummarySearch(ma.Schema):
    orgId = ma.fields.String(validate=ma.validate.Length(max=64))
    interactionId = ma.fields.String(validate=ma.validate.Length(max=64))
    agentCiUserId = ma.fields.String(validate=ma.validate.Length(max=64))
    queueId = ma.fields.String(validate=ma.validate.Length(max=64))
    searchType = ma.fields.String(validate=ma.validate.OneOf(["ORGANIZATION", "INTERACTION", "AGENT"]))

    class Meta:
        unknown = ma.EXCLUDE


@extra.route("/generated-summaries/search")
class Summaries(MethodView):
    """Generated summaries."""

    @extra.arguments(NotifySummarySearch, required=False)
    @extra.doc(responses={**ERRORS, "200": {"description": "SummaryListResponse"}})
    def post(self, body):
        """Summaries of an ended interaction: the mock writes one plain summary per handled task it knows."""
        org = org_id(body)
        with activity().center(org) as c:
            task = c.tasks.get(body.get("interactionId") or "")
            summaries = {}
            origin, ended, handled = None, None, False
            if type(task) is Ended:  # a row beside its history record (activity/ended.py): the rest is there
                rec = c.history.task(c.org_id, task.id)
                if rec is not None:
                    origin, ended, handled = rec["origin"], rec["endedTime"], rec["isContactHandled"]
            elif task is not None:
                origin, ended, handled = task.origin, task.ended, task.handled
            if handled and ended is not None:
                queue = c.tenant.name("queue", task.queue)
                summaries = {task.id: {"summary": f"{task.channel.title()} contact from {origin} handled in "
                                       f"{queue or 'no queue'}; wrap-up "
                                       f"{(c.tenant.wrapup_codes.get(task.wrapup_code) or {}).get('name', 'pending')}.",
                                       "createdTime": ended}}
        return json_response({"orgId": org, "agentCiUserId": body.get("agentCiUserId", ""),
                              "interactionId": body.get("interactionId", ""), "queueId": body.get("queueId", ""),
                              "searchType": body.get("searchType") or ("INTERACTION" if body.get("interactionId")
                                                                       else "AGENT" if body.get("agentCiUserId")
                                                                       else "ORGANIZATION"),
                              "summaries": summaries})
