"""``/v1/tasks``: the task list, outdial/callback creation, CAD updates and every task action (202, facts 4)."""
from __future__ import annotations

import functools
import inspect

import marshmallow as ma
from flask import request
from flask.views import MethodView

from ..activity.machine import TASK_ACTIONS
from ..auth import access
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response, raw_response
from . import reports
from .common import ERRORS, CsvList, OrgQuery, StrictBool, accepted, activity, caller, csv_list, org_id

blp = Blueprint("tasks", __name__, url_prefix="/v1/tasks", description="Tasks: list, create, update, actions.")
access.declare(blp, "agent")
_Str = lambda n, **kw: ma.fields.String(validate=ma.validate.Length(min=1, max=n), **kw)  # noqa: E731


class TaskListQuery(OrgQuery):
    from_ = ma.fields.Integer(data_key="from", required=True, validate=ma.validate.Range(min=0))
    to = ma.fields.Integer(validate=ma.validate.Range(min=0))
    channelTypes = CsvList(choices=("email", "chat", "telephony", "social"))
    pageSize = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=1000))


_CHANNELS = frozenset(TaskListQuery._declared_fields["channelTypes"].choices)
_LIST_KEYS = ("from", "to", "channelTypes", "pageSize", "orgId")


def _number(value: str) -> int | None:
    """An integer as ``TaskListQuery`` reads it when it is plain ASCII digits (then ``Range(min=0)`` holds)."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def list_query(query) -> dict | None:
    """``GET /v1/tasks``'s query as ``TaskListQuery().load`` gives it, for a query it would take as it is; None
    for anything else (a missing or non-digit number, a page size off 1..1000, an unknown channel, a long orgId,
    a parameter given twice), which then goes through the schema and gets its answer, refusals included.

    The schema's path (webargs' parser, then marshmallow) cost about a third of the list's own time at the
    default page (cProfile); this reads the few parameters from the query's dict directly."""
    seen = {k: query.getlist(k) for k in _LIST_KEYS if k in query}
    if any(len(v) != 1 for v in seen.values()):
        return None
    first = seen.get("from")
    start = _number(first[0]) if first else None
    if start is None:
        return None
    args = {"from_": start, "pageSize": 100}
    if "to" in seen:
        end = _number(seen["to"][0])
        if end is None:
            return None
        args["to"] = end
    if "pageSize" in seen:
        size = _number(seen["pageSize"][0])
        if size is None or not 1 <= size <= 1000:
            return None
        args["pageSize"] = size
    if "channelTypes" in seen:
        kinds = csv_list(seen["channelTypes"][0])
        if not _CHANNELS.issuperset(kinds):
            return None
        args["channelTypes"] = kinds
    if "orgId" in seen:
        if len(seen["orgId"][0]) > 64:
            return None
        args["orgId"] = seen["orgId"][0]
    return args


def _list_query_first(slow):
    """The list's view taking ``list_query(request.args)`` when it gives arguments, else its schema path
    (``blp.arguments`` below it: the same refusals; the OpenAPI document reads the wrapped view's ``_apidoc``).
    ``list_query`` is looked up at each call (a test compares both paths by replacing it)."""
    view = inspect.unwrap(slow)

    @functools.wraps(slow)
    def wrapper(self, *a, **kw):
        args = list_query(request.args)
        return slow(self, *a, **kw) if args is None else view(self, args, *a, **kw)
    return wrapper


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
    @_list_query_first
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
