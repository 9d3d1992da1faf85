"""Schemas of the flow store (the vendor's parameters) and the mock's flow runner (validation and OpenAPI)."""
from __future__ import annotations

import marshmallow as ma

from ..http.paging import INT32_MAX


class ImportQuery(ma.Schema):
    """``flows:import`` query parameters."""

    overwrite = ma.fields.String(metadata={"description": "`true`: replace a flow of the same name."})
    flowType = ma.fields.String(metadata={"description": "FLOW or SUBFLOW (default: the file's, else FLOW)."})


class ImportFile(ma.Schema):
    """The multipart upload."""

    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                                  "description": "A file containing a `FlowVersionRes` object."})


class ListQuery(ma.Schema):
    """``GET .../flows`` query parameters (vendor names and defaults)."""

    flowType = ma.fields.String(load_default="FLOW", validate=ma.validate.OneOf(["FLOW", "SUBFLOW", "flow",
                                                                                   "subflow"]))
    ids = ma.fields.List(ma.fields.String())
    page = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=INT32_MAX))
    size = ma.fields.Integer(load_default=10, validate=ma.validate.Range(min=1, max=INT32_MAX))
    partialNameSearch = ma.fields.String()
    includePagination = ma.fields.Boolean(load_default=False)


class ExportQuery(ma.Schema):
    """``:export`` query parameters."""

    version = ma.fields.String(load_default="latest")


class PublishParameters(ma.Schema):
    """Metadata for the published version."""

    comment = ma.fields.String()
    tagIds = ma.fields.List(ma.fields.String(), metadata={"description": "Live, Test, Dev or Latest."})


class BasicFlow(ma.Schema):
    """BasicFlowDTO."""

    class Meta:
        unknown = ma.INCLUDE

    id = ma.fields.String()
    orgId = ma.fields.String()
    name = ma.fields.String()
    description = ma.fields.String()
    flowType = ma.fields.String()
    status = ma.fields.String()
    version = ma.fields.Integer()
    createdBy = ma.fields.String()
    createdDate = ma.fields.String()
    lastModifiedBy = ma.fields.String()
    lastModifiedDate = ma.fields.String()
    tags = ma.fields.List(ma.fields.Dict())
    assignedRS = ma.fields.List(ma.fields.String())


class RunActivity(ma.Schema):
    """Run one HTTP Request activity given inline."""

    activity = ma.fields.Dict(required=True, metadata={
        "description": "The activity's properties, as exported (`authenticated`, `connectorId`, `httpRequestPath`, "
                       "`httpRequestMethod`, `outputVariableArray`, ...); optional `name` is its label."})
    variables = ma.fields.Dict(load_default=dict, metadata={"description": "Flow variables for `{{name}}`."})


class RunFlow(ma.Schema):
    """Run a stored flow's HTTP Request activities in order."""

    variables = ma.fields.Dict(load_default=dict, metadata={"description": "Flow variables (override defaults)."})


class ActivityResult(ma.Schema):
    """What one HTTP Request activity produced."""

    class Meta:
        unknown = ma.INCLUDE

    activity = ma.fields.String()
    outcome = ma.fields.String(metadata={"description": "completed, paused (R13), failed (R15 or transport)."})
    exit = ma.fields.String(metadata={"description": "default for every completed request (R18)."})
    httpStatusCode = ma.fields.Integer()
    httpResponseBody = ma.fields.String()
    httpResponseHeaders = ma.fields.Dict()
    outputs = ma.fields.Dict()
    attempts = ma.fields.Integer()
    timeMs = ma.fields.Float()


class RunResult(ma.Schema):
    """A flow run: each activity's result, the final variables, and the global error if any."""

    results = ma.fields.List(ma.fields.Nested(ActivityResult))
    variables = ma.fields.Dict()
    globalError = ma.fields.Dict(allow_none=True)
