"""Request and response schemas of the simulated Control Hub connector API (validation and OpenAPI only)."""
from __future__ import annotations

import marshmallow as ma

from ..http.paging import INT32_MAX
from ..resources.docs import PagingMeta

ACCESS_LEVELS = ("READ_ONLY", "READ_WRITE")


class ConnectorCreate(ma.Schema):
    """A new Webex Contact Center connector: a name, an access level or scope list, and the admin's consent."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=80),
                            metadata={"description": "Unique in the organisation (case-insensitive, trimmed): R7."})
    accessLevel = ma.fields.String(metadata={"description": "READ_ONLY or READ_WRITE (R8). Or give `scopes`."})
    scopes = ma.fields.List(ma.fields.String(), metadata={
        "description": "The scopes of one access level, `cjp:config_read` or `cjp_config_read` spelling (R8)."})
    consent = ma.fields.Boolean(required=True, metadata={
        "description": "The \"I authorize\" tick: must be true (R9)."})
    type = ma.fields.String(metadata={"description": "Only WEBEX_CONTACT_CENTER."})


class ConnectorUpdate(ma.Schema):
    """Changes to an inactive connector (R10a, R11): name and access level. Read-only fields are ignored."""

    class Meta:
        unknown = ma.EXCLUDE  # a client may PUT back what it GOT; server-owned fields are ignored

    id = ma.fields.String(metadata={"description": "If sent, must be the connector's id (it never changes: R10)."})
    version = ma.fields.Integer(metadata={"description": "If sent, must be the current version (else 409)."})
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=80))
    accessLevel = ma.fields.String()
    scopes = ma.fields.List(ma.fields.String())
    type = ma.fields.String()


class ConnectorPageArgs(ma.Schema):
    """Paging as in the configuration API (page from 0; pageSize clamped)."""

    page = ma.fields.Integer(load_default=0, validate=ma.validate.Range(min=0, max=INT32_MAX))
    pageSize = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=INT32_MAX))


class ConnectorAuditArgs(ConnectorPageArgs):
    """Audit log paging, optionally for one connector."""

    connectorId = ma.fields.String()


class Connector(ma.Schema):
    """A connector as the API returns it."""

    id = ma.fields.String()
    organizationId = ma.fields.String()
    name = ma.fields.String()
    type = ma.fields.String(metadata={"description": "WEBEX_CONTACT_CENTER"})
    accessLevel = ma.fields.String(metadata={"enum": list(ACCESS_LEVELS)})
    scopes = ma.fields.List(ma.fields.String())
    allowedMethods = ma.fields.List(ma.fields.String())
    consent = ma.fields.Boolean()
    active = ma.fields.Boolean()
    createdBy = ma.fields.String()
    createdTime = ma.fields.Integer()
    lastUpdatedBy = ma.fields.String()
    lastUpdatedTime = ma.fields.Integer()
    version = ma.fields.Integer()


class ConnectorPage(ma.Schema):
    """A page of connectors."""

    meta = ma.fields.Nested(PagingMeta)
    data = ma.fields.List(ma.fields.Nested(Connector))


class ConnectorLifecycleResult(ma.Schema):
    """The outcome of deactivate/reactivate: whether anything changed, and the connector."""

    changed = ma.fields.Boolean()
    message = ma.fields.String()
    connector = ma.fields.Nested(Connector)


class ConnectorAuditEntry(ma.Schema):
    """One recorded change: who, what, when, before and after."""

    id = ma.fields.String()
    connectorId = ma.fields.String()
    action = ma.fields.String()
    by = ma.fields.String()
    time = ma.fields.Integer()
    before = ma.fields.Dict(allow_none=True)
    after = ma.fields.Dict(allow_none=True)


class ConnectorAuditPage(ma.Schema):
    """A page of the audit log."""

    meta = ma.fields.Nested(PagingMeta)
    data = ma.fields.List(ma.fields.Nested(ConnectorAuditEntry))
