"""``GET /v1/queues/statistics`` and ``GET /v1/ewt``: computed from the simulated contacts (facts 7)."""
from __future__ import annotations

import marshmallow as ma
from flask import Response
from flask.views import MethodView

from ..auth import access
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response
from . import reports
from .common import ERRORS, CsvList, OrgQuery, activity, org_id

blp = Blueprint("queues", __name__, url_prefix="/v1", description="Queue statistics and estimated wait time.")
access.declare(blp, "runtime-read")


class StatsQueueStatsQuery(OrgQuery):
    from_ = ma.fields.Integer(data_key="from", required=True, validate=ma.validate.Range(min=0))
    to = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0))
    interval = ma.fields.Integer(load_default=15, validate=ma.validate.OneOf([15, 30, 60]))
    queueIds = CsvList(max_items=100)


class StatsEwtQuery(OrgQuery):
    queueId = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    lookbackMinutes = ma.fields.Integer(required=True, validate=ma.validate.Range(min=5, max=240))
    maxCV = ma.fields.Integer(load_default=40, validate=ma.validate.Range(min=1, max=100))
    minValidSamples = ma.fields.Integer(load_default=40, validate=ma.validate.Range(min=1, max=100))


@blp.route("/queues/statistics")
class QueueStatistics(MethodView):
    """Queue statistics."""

    @blp.arguments(StatsQueueStatsQuery, location="query")
    @blp.doc(responses={**ERRORS, "200": {"description": "QueueApiResponse"}})
    def get(self, args):
        """Per-interval statistics of each queue and channel (window under 24 hours, 15/30/60-minute intervals)."""
        org = org_id(args)
        with activity().center(org) as c:
            return json_response({"meta": {"orgId": org}, "data": reports.queue_statistics(c, args)})


@blp.route("/ewt")
class Ewt(MethodView):
    """Estimated wait time."""

    @blp.arguments(StatsEwtQuery, location="query")
    @blp.doc(responses={**ERRORS, "200": {"description": "EWTApiResponse"},
                        "204": {"description": "Not enough valid samples, or an unknown queue"}})
    def get(self, args):
        """The estimated wait of a queue in ms; 204 when the samples do not allow an estimate."""
        with activity().center(org_id(args)) as c:
            value = reports.ewt(c, args["queueId"], args["lookbackMinutes"], args["maxCV"], args["minValidSamples"])
        if value is None:
            return Response(status=204)
        return json_response({"estimatedWaitTime": value})
