"""``/v1/agents/*``: login, logout, state, reload, buddy list (202, facts 5.1), and activities and statistics
computed from the simulated sessions (facts 5.3)."""
from __future__ import annotations

import marshmallow as ma
from flask import g
from flask.views import MethodView

from ..activity.machine import Refused
from ..auth import access
from ..auth.policy import CONFIG_READ_ROLES
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response
from . import reports
from .common import ERRORS, CsvList, OrgQuery, StrictBool, accepted, activity, caller, org_id, refused_response

blp = Blueprint("agents", __name__, url_prefix="/v1/agents", description="Agent sessions, activities, statistics.")
access.declare(blp, "agent")
blp.app_errorhandler(Refused)(refused_response)
_Str = lambda n, **kw: ma.fields.String(validate=ma.validate.Length(min=1, max=n), **kw)  # noqa: E731


class AgentLogin(ma.Schema):
    dialNumber = _Str(43, required=True)
    roles = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(["agent", "supervisor", "Agent",
                                                                         "Supervisor"])), required=True)
    teamId = _Str(64)
    isExtension = StrictBool()
    deviceType = ma.fields.String(validate=ma.validate.OneOf(["AGENT_DN", "EXTENSION", "BROWSER"]))
    deviceId = _Str(128)
    siteId, teamName, auxCodeId, skillProfileId = _Str(64), _Str(128), _Str(64), _Str(64)  # the SDK sends these
    usesOtherDN = StrictBool()


class AgentLogout(ma.Schema):
    logoutReason = _Str(128, required=True)
    agentId = _Str(64)


class AgentState(ma.Schema):
    state = ma.fields.String(required=True, validate=ma.validate.OneOf(["Available", "Idle"]))
    auxCodeId = _Str(64, required=True)
    lastStateChangeReason = ma.fields.String(validate=ma.validate.Length(max=128))
    agentId = _Str(64)


class AgentBuddy(ma.Schema):
    agentProfileId = _Str(64, required=True)
    mediaType = ma.fields.String(required=True, validate=ma.validate.OneOf(
        ["telephony", "chat", "social", "email", "workItem"]))
    state = ma.fields.String(validate=ma.validate.OneOf(["Available", "Idle"]))


def _on_behalf(agent_id: str | None) -> str:
    """An agent acts for itself; a supervisor or administrator may name another agent (facts 5.1)."""
    if agent_id and agent_id != caller():
        if not set(g.claims.get("roles") or []) & CONFIG_READ_ROLES:
            raise Refused(403, "NOT_TASK_OWNER", "agentId: only a supervisor or administrator acts for another agent.")
        return agent_id
    return caller()


@blp.route("/login")
class LoginView(MethodView):
    """Login."""

    @blp.arguments(AgentLogin)
    @blp.response(202)
    @blp.doc(responses=ERRORS)
    def post(self, body):
        """Log the calling agent in on a team with a dial number (202; then Idle with the default idle code)."""
        with activity().center(org_id()) as c:
            c.login(caller(), body.get("teamId"), body["dialNumber"],
                    roles=[r.lower() for r in body["roles"]], deviceType=body.get("deviceType"),
                    auxCodeId=body.get("auxCodeId"))
        return accepted()


@blp.route("/logout")
class LogoutView(MethodView):
    """Logout."""

    @blp.arguments(AgentLogout)
    @blp.response(202)
    @blp.doc(responses=ERRORS)
    def put(self, body):
        """Log an agent out (refused while it still holds contacts)."""
        with activity().center(org_id()) as c:
            c.logout(_on_behalf(body.get("agentId")), body["logoutReason"])
        return accepted()


@blp.route("/session/state")
class StateView(MethodView):
    """State."""

    @blp.arguments(AgentState)
    @blp.response(202)
    @blp.doc(responses=ERRORS)
    def put(self, body):
        """Set Available, or Idle with an idle code."""
        with activity().center(org_id()) as c:
            c.set_state(_on_behalf(body.get("agentId")), body["state"], body["auxCodeId"],
                        body.get("lastStateChangeReason", ""))
        return accepted()


@blp.route("/reload")
class ReloadView(MethodView):
    """Reload."""

    @blp.response(202)
    @blp.doc(responses=ERRORS)
    def post(self):
        """Re-announce the session and its contacts (refused when not logged in)."""
        with activity().center(org_id()) as c:
            s = c.session_of(caller())
            activity().desktop.publish(c.org_id, "AgentReloginSuccess", c.time, {
                "agentId": s.agent.id, "agentSessionId": s.id, "teamId": s.team_id, "status": "LoggedIn",
                "subStatus": s.state, "auxCodeId": s.aux, "dn": s.dn, "interactionIds": sorted(s.tasks)})
        return accepted()


@blp.route("/buddyList")
class BuddyView(MethodView):
    """Buddy list."""

    @blp.arguments(AgentBuddy)
    @blp.response(202)
    @blp.doc(responses=ERRORS)
    def post(self, body):
        """Agents one could consult or transfer to (announced on the websocket as ``BuddyAgents``)."""
        with activity().center(org_id()) as c:
            s = c.session_of(caller())
            channel = body["mediaType"] if body["mediaType"] != "workItem" else "social"
            buddies = [{"agentId": o.agent.id, "state": o.state, "teamId": o.team_id, "dn": o.dn,
                        "agentName": o.agent.name, "siteId": o.site_id}
                       for o in c.sessions.values() if o is not s and o.agent.limits.get(channel)
                       and (not body.get("state") or o.state == body["state"])]
            activity().desktop.publish(c.org_id, "BuddyAgents", c.time, {"agentId": s.agent.id,
                                                                         "agentList": buddies})
        return accepted()


class AgentActivitiesQuery(OrgQuery):
    agentIds = CsvList(max_items=100)
    teamIds = CsvList(max_items=100)
    channelTypes = CsvList(choices=("email", "chat", "telephony", "social"))
    to = ma.fields.Integer(strict=False, validate=ma.validate.Range(min=0))
    pageSize = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=1000))
    page = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=1_000_000))
    from_ = ma.fields.Integer(data_key="from", required=True, validate=ma.validate.Range(min=0))


class AgentStatisticsQuery(OrgQuery):
    to = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0))
    interval = ma.fields.Integer(load_default=15, validate=ma.validate.OneOf([15, 30, 60]))
    agentIds = CsvList(max_items=100)
    from_ = ma.fields.Integer(data_key="from", required=True, validate=ma.validate.Range(min=0))


@blp.route("/activities")
@access.rule("runtime-read")
class ActivitiesView(MethodView):
    """Activities."""

    @blp.arguments(AgentActivitiesQuery, location="query")
    @blp.doc(responses={**ERRORS, "200": {"description": "AgentActivitiesApiResponse"}})
    def get(self, args):
        """Agent activity spans in a window under 24 hours (paged from 0)."""
        org = org_id(args)
        with activity().center(org) as c:
            return json_response({"meta": {"orgId": org}, "data": reports.activities(c, args)})


@blp.route("/statistics")
@access.rule("runtime-read")
class StatisticsView(MethodView):
    """Statistics."""

    @blp.arguments(AgentStatisticsQuery, location="query")
    @blp.doc(responses={**ERRORS, "200": {"description": "AgentApiResponse"}})
    def get(self, args):
        """Per-interval, per-channel agent statistics from the sessions and tasks."""
        org = org_id(args)
        with activity().center(org) as c:
            return json_response({"meta": {"orgId": org}, "data": reports.agent_statistics(c, args)})
