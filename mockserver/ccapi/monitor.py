"""Supervisor monitoring (``/v1/monitor``...): requests, barge-in, hold, unhold, end on live tasks (202, or 412
when the task is not live or not monitored: facts 7)."""
from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from ..activity import machine
from ..activity.machine import Refused
from ..auth import access
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response
from .common import ERRORS, StrictBool, accepted, activity, caller, org_id

blp = Blueprint("monitor", __name__, url_prefix="/v1/monitor", description="Supervisor call monitoring.")
access.declare(blp, "monitor")
_ERR = {**ERRORS, "412": {"description": "Precondition Failed"}}
_Ids = lambda n: ma.fields.List(ma.fields.String(validate=ma.validate.Length(max=64)),  # noqa: E731
                                validate=ma.validate.Length(max=n))


class MonitorRequest(ma.Schema):
    id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    monitorType = ma.fields.String(required=True, validate=ma.validate.OneOf(["midcall", "adhoc", "continuous"]))
    taskId = ma.fields.String(validate=ma.validate.Length(max=64))
    queueIds, teams, sites, agents = _Ids(250), _Ids(100), _Ids(20), _Ids(500)
    trackingId = ma.fields.String(validate=ma.validate.Length(max=64))
    invisibleMode = StrictBool(load_default=True)

    @ma.validates_schema
    def _midcall(self, data, **kw):
        if data["monitorType"] == "midcall" and not data.get("taskId"):
            raise ma.ValidationError("required for a midcall monitoring request.", "taskId")


def _book(c) -> dict:
    return c.extras.setdefault("monitor", {})


def _live(c, task_id: str):
    task = c.tasks.get(task_id)
    if task is None or task.state not in machine.LIVE:
        raise Refused(412, "TASK_NOT_LIVE", f"taskId: {task_id} is not a live task of this organization.")
    return task


@blp.route("")
class Monitor(MethodView):
    """Monitoring requests."""

    @blp.arguments(MonitorRequest)
    @blp.response(202)
    @blp.doc(responses=_ERR)
    def post(self, body):
        """Start monitoring: one live task (midcall), or what a queue/team/site/agent filter matches."""
        with activity().center(org_id()) as c:
            if body["id"] in _book(c):
                raise Refused(412, "DUPLICATE_REQUEST", f"id: monitoring request {body['id']} exists.")
            if body["monitorType"] == "midcall":
                task = _live(c, body["taskId"])
                task.monitored = {"by": caller(), "request": body["id"], "state": "monitoring"}
                task.count("silentMonitoringCount")
                c.dirty_tasks.add(task.id)  # no event: the vendor names none for monitoring (facts 3.4)
            _book(c)[body["id"]] = {**body, "supervisor": caller(), "createdTime": c.time}
        return accepted()


@blp.route("/sessions")
class Sessions(MethodView):
    """Monitoring sessions."""

    @blp.doc(responses={**_ERR, "202": {"description": "The caller's monitoring requests"}})
    def get(self):
        """The monitoring requests of the calling supervisor ([U] the spec documents 202 and no body)."""
        with activity().center(org_id()) as c:
            mine = [v for v in _book(c).values() if v["supervisor"] == caller()]
        return json_response({"data": mine}, 202)


@blp.route("/<requestId>")
class MonitorItem(MethodView):
    """One monitoring request."""

    @blp.response(202)
    @blp.doc(responses=_ERR)
    def delete(self, requestId):
        """Stop a monitoring request."""
        with activity().center(org_id()) as c:
            req = _book(c).pop(requestId, None)
            if req is None:
                raise Refused(412, "UNKNOWN_REQUEST", f"requestId: no monitoring request {requestId}.")
            task = c.tasks.get(req.get("taskId") or "")
            if task is not None and task.monitored:
                task.monitored = None
                c.dirty_tasks.add(task.id)
        return accepted()


_STEPS = {"bargeIn": ("monitoring", "barged"), "hold": ("monitoring", "held"), "unhold": ("held", "monitoring"),
          "end": (None, None)}


def _step_view(step: str):
    def post(self, taskId):
        with activity().center(org_id()) as c:
            task = _live(c, taskId)
            mon = task.monitored
            want, new = _STEPS[step]
            if not mon or mon["by"] != caller() or (want and mon["state"] != want):
                raise Refused(412, "NOT_MONITORING", f"{step}: the caller does not monitor task {taskId} in a state "
                                                     "that allows it.")
            if step == "end":
                task.monitored = None
            else:
                mon["state"] = new
                if step == "bargeIn":
                    task.count("bargedInCount")
            c.dirty_tasks.add(task.id)
        return accepted()

    post.__doc__ = f"Monitoring {step} on a task the caller monitors (202; 412 otherwise)."
    post = blp.doc(responses=_ERR)(blp.response(202)(post))
    return type(f"Monitor_{step}", (MethodView,), {"post": post, "__doc__": f"{step}."})


for _step in _STEPS:
    blp.route(f"/<taskId>/{_step}", endpoint=f"step_{_step}")(_step_view(_step))
