"""``/_mock/activity/{orgId}``: drive the simulation (traffic generator, entry point -> queue routes, state)."""
from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from ..activity import generator, machine
from ..auth import access
from ..http.errors import ApiError
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response
from ..runtime import current
from .common import activity

blp = Blueprint("mock-activity", __name__, url_prefix="/_mock/activity",
                description="The mock's own: simulated traffic and the state of the simulation.")
access.declare(blp, "mock", vendor=False)

_DIST = ma.fields.Dict(keys=ma.fields.String(validate=ma.validate.OneOf(
    ["distribution", "mean", "sd", "min", "max"])), values=ma.fields.Raw())


class MockActivityTraffic(ma.Schema):
    """A window of traffic: arrival rates per entry point (per hour), a daily curve, durations (seconds)."""

    from_ = ma.fields.Integer(data_key="from", required=True, validate=ma.validate.Range(min=0))
    to = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0))
    seed = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=0, max=2**63))
    rate = ma.fields.Float(validate=ma.validate.Range(min=0, max=100_000))
    entryPoints = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(
        validate=ma.validate.Range(min=0, max=100_000)))
    curve = ma.fields.List(ma.fields.Float(validate=ma.validate.Range(min=0, max=1000)),
                           validate=ma.validate.Length(equal=24))
    agents = ma.fields.Raw(metadata={"description": '"all", a count, or a list of user ids'})
    handleTime = ma.fields.Dict(keys=ma.fields.String(validate=ma.validate.OneOf(
        ["telephony", "chat", "email", "social"])), values=_DIST)
    wrapupTime, ivrTime, ringTime, patience = _DIST, _DIST, _DIST, _DIST

    @ma.validates_schema
    def _shape(self, data, **kw):
        agents = data.get("agents", "all")
        if not (agents == "all" or (isinstance(agents, int) and not isinstance(agents, bool) and agents >= 0)
                or (isinstance(agents, list) and len(agents) <= 100_000 and all(isinstance(a, str) for a in agents))):
            raise ma.ValidationError('"all", a count, or a list of user ids.', "agents")
        for name in ("wrapupTime", "ivrTime", "ringTime", "patience", *data.get("handleTime", {}).values()):
            dist = data.get(name, {}) if isinstance(name, str) else name
            for key, value in (dist or {}).items():
                ok = value in ("exponential", "lognormal", "fixed", "uniform") if key == "distribution" \
                    else isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 86_400
                if not ok:
                    raise ma.ValidationError(f"{key}: a distribution name, or seconds from 0 to 86400.")


class MockActivityRoutes(ma.Schema):
    routes = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)


def _known(org: str) -> None:
    rt = current()
    if rt.org(org) is None and org not in rt.store.orgs():
        raise ApiError(404, f"orgId: organization {org} does not exist.")


@blp.route("/<orgId>")
class ActivityView(MethodView):
    """The simulation of one organisation."""

    @blp.doc(responses={"200": {"description": "Counts of tasks by state, sessions, pending events, routes"}})
    def get(self, orgId):
        """What the simulation holds now."""
        _known(orgId)
        with activity().center(orgId) as c:
            states: dict = {}
            for task in c.tasks.values():
                states[task.state] = states.get(task.state, 0) + 1
            return json_response({"orgId": orgId, "time": c.time, "tasks": states, "sessions": len(c.sessions),
                                  "pendingEvents": len(c.heap), "routes": c.tenant.routes})

    @blp.arguments(MockActivityTraffic)
    @blp.doc(responses={"200": {"description": "What was scheduled"}, "400": {"description": "Bad window"}})
    def post(self, body, orgId):
        """Generate traffic for a window: the past part runs at once, the rest as the mock clock advances."""
        _known(orgId)
        spec = {**body, "from": body.pop("from_")}
        with activity().center(orgId) as c:
            result = generator.generate(c, spec, current().clock.now_ms())
        from ..search.release import AFTER_RECORDS, release  # ctypes: not imported at start

        if result.get("scheduledContacts", 0) >= AFTER_RECORDS:
            # The run's last objects (the window's arrivals, its events, the last flush's records) were freed
            # after the history's last trim (search/release.py): their holes go back to the system too. Measured
            # over 30 days of the generated 600-user tenant: 65 bytes of resident memory a contact less.
            release()
        return json_response(result)


@blp.route("/<orgId>/routes")
class RoutesView(MethodView):
    """Entry point -> queue mapping."""

    @blp.arguments(MockActivityRoutes)
    @blp.doc(responses={"200": {"description": "The routes in force"}})
    def put(self, body, orgId):
        """Override where entry points lead (the rest stay as derived from the configuration)."""
        _known(orgId)
        with activity().center(orgId) as c:
            for ep, queue in body["routes"].items():
                if ep not in c.tenant.entry_points or queue not in c.tenant.queues:
                    raise machine.Refused(400, "INVALID_ROUTE", f"routes.{ep}: an entry point and a queue of "
                                          "this organization are required.")
        activity().set_routes(orgId, body["routes"])
        with activity().center(orgId) as c:
            return json_response({"routes": c.tenant.routes})


class MockActivityContact(ma.Schema):
    """One inbound contact, now."""

    entryPointId = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    origin = ma.fields.String(load_default="+19195550000", validate=ma.validate.Length(min=1, max=64))
    patience = ma.fields.Integer(validate=ma.validate.Range(min=0, max=86_400),
                                 metadata={"description": "seconds before the customer abandons"})
    ivr = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=86_400),
                            metadata={"description": "seconds in the entry point's flow before queueing"})


@blp.route("/<orgId>/contacts")
class ContactView(MethodView):
    """Inject a contact."""

    @blp.arguments(MockActivityContact)
    @blp.doc(responses={"201": {"description": "`{id}` of the new task"}})
    def post(self, body, orgId):
        """A contact arrives now at an inbound entry point (routed to its queue at once)."""
        _known(orgId)
        with activity().center(orgId) as c:
            if body["entryPointId"] not in c.tenant.routes:
                raise machine.Refused(400, "ENTRY_POINT_NOT_FOUND", "entryPointId: not an inbound entry point "
                                      "that leads to a queue.")
            sim = {"ivr": body["ivr"] * 1000}
            if "patience" in body:
                sim["patience"] = body["patience"] * 1000
            task = c.inbound(body["entryPointId"], body["origin"], sim=sim)
            c.advance(c.time)  # route now
            return json_response({"id": task.id, "state": task.state, "queueId": task.queue}, 201)
