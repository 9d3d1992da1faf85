"""Data sources (``/dataSources``): where Webex sends a tenant's data (BYODS), registered by a Service App.

Scopes as the spec names them: ``spark-admin:datasource_read`` to read, ``spark-admin:datasource_write`` to
register, change and delete; the schemas need only a valid token. A data source belongs to the organisation
of the token that registered it (the path names none).

Differs from Webex: errors come in the Contact Center body (``trackingId`` + ``error``), not the developer
API's ``{message, errors}``; ``jwsToken`` (the token Webex would present to the data source) is not minted.
"""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlparse

from flask import Response, g
from flask.views import MethodView

from ..auth import access
from ..clock import new_id
from ..http.apidoc import Blueprint
from ..http.errors import ApiError
from ..http.jsonutil import json_response
from ..runtime import current
from .crud import json_body

KIND = "data-source"
#: The schemas Webex offers data sources (the spec's own example first).
SCHEMAS = [
    {"id": "78efc775-dccb-45ca-9acf-989a4a59f788", "appType": "serviceApp", "serviceType": "webService",
     "protocol": "gRPC", "url": "/path/to/definition/file3", "createdAt": "2024-09-05T01:35:04.772Z"},
    {"id": "5397013b-7920-4ffc-807c-e8a3e0a18f43", "appType": "serviceApp", "serviceType": "contactCenter",
     "protocol": "https", "url": "/path/to/definition/virtual-agent", "createdAt": "2024-09-05T01:35:04.772Z"},
]
FIELDS = {"schemaId": str, "url": str, "audience": str, "subject": str, "nonce": str,
          "tokenLifetimeMinutes": (int, float), "status": str, "errorMessage": str}
CREATE_REQUIRED = ("schemaId", "url", "audience", "subject", "nonce", "tokenLifetimeMinutes")
MAX_LIFETIME = 1440  # "Must be equal or less to 1440" (spec)
MAX_TEXT = 1024

_OBJ = {"type": "object"}
_ITEMS = {"type": "object", "properties": {"items": {"type": "array", "items": _OBJ}}}


def _ok(summary: str, schema: dict | None = _OBJ, status: str = "200") -> dict:
    """The documented success response (flask-smorest documents none for views that return a Response)."""
    body = {"content": {"application/json": {"schema": schema}}} if schema else {}
    return {"summary": summary, "responses": {status: {"description": summary, **body}}}


blp = access.declare(Blueprint("dataSources", __name__, url_prefix="/dataSources",
                               description="Data sources (BYODS): where Webex sends a tenant's data."), "datasource")


def _store():
    return current().store


def _org() -> str:
    return g.claims["org_id"]


def _valid(body, required) -> dict:
    """The fields of a request, checked; a 400 names the first problem."""
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object.")
    unknown = sorted(set(body) - set(FIELDS) - {"id"})
    if unknown:
        raise ApiError(400, f"{unknown[0]}: Unknown field.")
    for name in required:
        if body.get(name) is None:
            raise ApiError(400, f"{name}: is required.")
    data = {k: v for k, v in body.items() if k in FIELDS and v is not None}
    for name, value in data.items():
        if not isinstance(value, FIELDS[name]) or isinstance(value, bool) or (isinstance(value, str)
                                                                               and len(value) > MAX_TEXT):
            raise ApiError(400, f"{name}: must be a {'number' if name == 'tokenLifetimeMinutes' else 'string'}"
                                f"{'' if name == 'tokenLifetimeMinutes' else f' of at most {MAX_TEXT} characters'}.")
    if "tokenLifetimeMinutes" in data and not 0 < data["tokenLifetimeMinutes"] <= MAX_LIFETIME:
        raise ApiError(400, f"tokenLifetimeMinutes: must be more than 0 and at most {MAX_LIFETIME}.")
    if "schemaId" in data and not any(s["id"] == data["schemaId"] for s in SCHEMAS):
        raise ApiError(400, f"schemaId: unknown schema {data['schemaId'][:60]} (see GET /dataSources/schemas).")
    if "url" in data and urlparse(data["url"]).scheme != "https":
        raise ApiError(400, "url: must be an https URL.")
    if "status" in data and data["status"] not in ("active", "disabled"):
        raise ApiError(400, "status: must be active or disabled.")
    return data


def _existing(id: str) -> dict:
    doc = _store().get(_org(), KIND, id)
    if doc is None:
        raise ApiError(404, f"Data source {id} not found.")
    return doc


def _refuse_duplicate(data: dict, own: str | None) -> None:
    for other in _store().lookup(_org(), KIND, "url", data.get("url")):
        if other["id"] != own and other.get("schemaId") == data.get("schemaId"):
            raise ApiError(409, f"A data source for {data['url']} with schema {data['schemaId']} is already "
                                f"registered ({other['id']}).")


def _now_iso() -> str:
    ms = current().clock.now_ms()
    return datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@blp.route("", strict_slashes=False)
class DataSources(MethodView):
    """The organisation's data sources."""

    @blp.doc(**_ok("Retrieve All Data Sources", _ITEMS))
    def get(self):
        """Every data source of the token's organisation."""
        return json_response({"items": _store().list(_org(), KIND)})

    @blp.doc(**_ok("Register a Data Source"))
    def post(self):
        """A new data source (status ``active``)."""
        data = _valid(json_body(), CREATE_REQUIRED)
        data.pop("status", None)
        claims, store = g.claims, _store()
        with store.atomic():
            _refuse_duplicate(data, None)
            doc = {"id": new_id(), "orgId": _org(), **data, "status": "active", "createdAt": _now_iso(),
                   "createdBy": claims.get("sub"), "applicationId": claims.get("client_id")}
            store.insert(_org(), KIND, {k: v for k, v in doc.items() if v is not None})
        return json_response(doc, 200)


@blp.route("/<dataSourceId>")
class DataSource(MethodView):
    """One data source."""

    @blp.doc(**_ok("Retrieve Data Source Details"))
    def get(self, dataSourceId):
        """One data source of the token's organisation."""
        return json_response(_existing(dataSourceId))

    @blp.doc(**_ok("Update a Data Source"))
    def put(self, dataSourceId):
        """Change a data source (``status: disabled`` with an ``errorMessage`` shows in Control Hub)."""
        data = _valid(json_body(), ())
        store = _store()
        with store.atomic():
            old = _existing(dataSourceId)
            new = {**old, **data, "updatedAt": _now_iso()}
            if new.get("status") == "active" and "errorMessage" not in data:
                new.pop("errorMessage", None)
            _refuse_duplicate(new, dataSourceId)
            store.put(_org(), KIND, new)
        return json_response(new)

    @blp.doc(**_ok("Delete a Data Source", None, "204"))
    def delete(self, dataSourceId):
        """Remove a data source (204)."""
        with _store().atomic():
            _existing(dataSourceId)
            _store().delete(_org(), KIND, dataSourceId)
        return Response(status=204)


@blp.route("/schemas")
@access.rule("identity")
class Schemas(MethodView):
    """The schemas a data source may use."""

    @blp.doc(**_ok("Retrieve Data Source Schemas", _ITEMS))
    def get(self):
        """Every schema (any valid token)."""
        return json_response({"items": SCHEMAS})


@blp.route("/schemas/<schemaId>")
@access.rule("identity")
class Schema(MethodView):
    """One schema."""

    @blp.doc(**_ok("Retrieve Details of a Specific Data Source Schema"))
    def get(self, schemaId):
        """One schema by id."""
        for schema in SCHEMAS:
            if schema["id"] == schemaId:
                return json_response(schema)
        raise ApiError(404, f"Schema {schemaId} not found.")


def register(api, rt) -> None:
    """Attach /dataSources."""
    api.register_blueprint(blp)
