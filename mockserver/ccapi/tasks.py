"""``/v1/tasks``: the task list, outdial/callback creation, CAD updates and every task action (202, facts 4)."""
from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from ..activity.machine import TASK_ACTIONS
from ..auth import access
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response, raw_response
from . import reports
from .common import ERRORS, CsvList, OrgQuery, StrictBool, accepted, activity, caller, org_id

blp = Blueprint("tasks", __name__, url_prefix="/v1/tasks", description="Tasks: list, create, update, actions.")
access.declare(blp, "agent")
_Str = lambda n, **kw: ma.fields.String(validate=ma.validate.Length(min=1, max=n), **kw)  # noqa: E731


class TaskListQuery(OrgQuery):
    from_ = ma.fields.Integer(data_key="from", required=True, validate=ma.validate.Range(min=0))
    to = ma.fields.Integer(validate=ma.validate.Range(min=0))
    channelTypes = CsvList(choices=("email", "chat", "telephony", "social"))
    pageSize = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=1000))


class TaskCallback(ma.Schema):
    callbackOrigin = ma.fields.String(required=True, validate=ma.validate.OneOf(["web"]))
    callbackType = ma.fields.String(required=True, validate=ma.validate.OneOf(["immediate"]))


def _attributes(value: dict) -> None:
    if len(value) > 30:
        raise ma.ValidationError("at most 30 attributes.")
    for key, val in value.items():
        if len(str(key).encode()) > 200 or not isinstance(val, (str, int, float, bool)) \
                or len(str(val).encode()) > 1024:
            raise ma.ValidationError(f"{key}: keys up to 200 bytes, values scalars up to 1024 bytes.")


class TaskCreate(ma.Schema):
    destination = _Str(36, required=True)
    entryPointId = _Str(36, required=True)
    mediaType = ma.fields.String(required=True, validate=ma.validate.OneOf(["telephony"]))
    outboundType = ma.fields.String(load_default="OUTDIAL",
                                    validate=ma.validate.OneOf(["CALLBACK", "OUTDIAL", "EXECUTE_FLOW"]))
    origin = _Str(36)
    attributes = ma.fields.Dict(keys=ma.fields.String(), validate=_attributes, load_default=dict)
    callback = ma.fields.Nested(TaskCallback)
    customAttributes = ma.fields.Dict(validate=lambda d: len(d) <= 20 or ma.ValidationError("at most 20."))

    @ma.validates_schema
    def _needs(self, data, **kw):
        if data["outboundType"] == "CALLBACK" and "callback" not in data:
            raise ma.ValidationError("required for outboundType CALLBACK.", "callback")
        if data["outboundType"] in ("OUTDIAL", "EXECUTE_FLOW") and not data.get("origin"):
            raise ma.ValidationError(f"required for outboundType {data['outboundType']}.", "origin")


class TaskPatch(ma.Schema):
    attributes = ma.fields.Dict(keys=ma.fields.String(), required=True, validate=_attributes)


@blp.route("")
@access.rule("tasks")
class Tasks(MethodView):
    """Tasks."""

    # One schema for every request (a class given here is instantiated per request: a third of the list's time at
    # the default page size, cProfile; a schema's ``load`` keeps no state between calls).
    @blp.arguments(TaskListQuery(), location="query")
    @blp.doc(responses={**ERRORS, "200": {"description": "TaskApiResponse"}})
    def get(self, args):
        """Tasks created in a window (at most 184 days, from at most 12 months back), oldest first."""
        org = org_id(args)
        with activity().center(org) as c:
            return raw_response(reports.task_page(c, org, args, c.time))

    @blp.arguments(TaskCreate)
    @blp.doc(responses={**ERRORS, "201": {"description": "CreateTaskResponse"}})
    def post(self, body):
        """Create an outdial (rings the calling agent), an immediate callback or a flow execution."""
        org = org_id()
        with activity().center(org) as c:
            task = c.outbound(caller(), body["entryPointId"], body["destination"], body.get("origin"),
                              body["outboundType"], body["attributes"])
        return json_response({"meta": {"orgId": org}, "data": {"id": task.id}}, 201)


@blp.route("/<taskId>")
class TaskItem(MethodView):
    """One task."""

    @blp.arguments(TaskPatch)
    @blp.response(202)
    @blp.doc(responses=ERRORS)
    def patch(self, body, taskId):
        """Update a task's CAD variables (attributes)."""
        with activity().center(org_id()) as c:
            c.patch(taskId, body["attributes"])
        return accepted()


_DEST = ["agent", "queue", "dialNumber", "entrypointDialNumber"]
_BODIES = {
    "reject": {"mediaResourceId": _Str(64, required=True)},
    "hold": {"mediaResourceId": _Str(64, required=True)},
    "unhold": {"mediaResourceId": _Str(64, required=True)},
    "wrapup": {"auxCodeId": _Str(64, required=True), "wrapUpReason": _Str(128, required=True)},
    "transfer": {"to": _Str(43, required=True),
                 "destinationType": ma.fields.String(required=True, validate=ma.validate.OneOf(_DEST))},
    "consult": {"to": _Str(43, required=True), "holdParticipants": StrictBool(),
                "destinationType": ma.fields.String(required=True, validate=ma.validate.OneOf(
                    ["agent", "queue", "entryPoint", "dialNumber"]))},
    "consult/end": {"queueId": _Str(64)},
    "consult/transfer": {"to": _Str(43, required=True),
                         "destinationType": ma.fields.String(required=True, validate=ma.validate.OneOf(
                             ["agent", "queue", "entryPoint", "dialNumber"]))},
    "consult/conference": {"to": _Str(43, required=True), "agentId": _Str(64),
                           "destinationType": ma.fields.String(validate=ma.validate.OneOf(
                               ["agent", "queue", "entryPoint", "dialNumber"]))},
    "record/resume": {"autoResumed": StrictBool(required=True)},
}


def _action_view(action: str):
    """A view for ``POST /v1/tasks/{taskId}/<action>``: the body checked, then the table decides."""
    fields = _BODIES.get(action)
    schema = ma.Schema.from_dict(fields, name="".join(p.title() for p in action.replace("/", " ").split())
                                 + "Body") if fields else None

    def post(self, *args, taskId):
        body = args[0] if args else {}
        with activity().center(org_id()) as c:
            c.act(caller(), taskId, action, body)
        return accepted()

    post.__doc__ = f"Task action {action} (202; refused with 400/403/404 when the task's state or owner forbids it)."
    post = blp.doc(responses=ERRORS)(blp.response(202)(post))
    if schema is not None:
        post = blp.arguments(schema)(post)
    return type(f"Task_{action.replace('/', '_')}", (MethodView,), {"post": post, "__doc__": f"{action}."})


for _action in TASK_ACTIONS:
    blp.route(f"/<taskId>/{_action}", endpoint=f"action_{_action.replace('/', '_')}")(_action_view(_action))
