"""Flow store state: import, list, export, publish, and each flow's live routing status (R13, R15).

Stored per organisation as kind ``flow``: the BasicFlowDTO fields plus ``projectId``, ``flowVersions`` and the
imported ``flowVersion`` (a FlowVersionRes, returned as it is by export).
"""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

import orjson

from .. import connectors
from ..http.errors import ApiError
from .activity import activities

KIND = "flow"
FLOW_TYPES = ("FLOW", "SUBFLOW")
TAGS = ("Live", "Test", "Dev", "Latest")
_PRIVATE = ("flowVersion", "flowVersions", "projectId")
#: connector state -> routing of an HTTP Request activity through it.
ROUTING = {"active": "live", "inactive": "paused", "deleted": "broken", "unknown": "broken"}


def _iso(rt) -> str:
    return datetime.fromtimestamp(rt.clock.now(), timezone.utc).isoformat(timespec="milliseconds")[:-6] + "Z"


def _object_id() -> str:
    return secrets.token_hex(12)  # flow ids are 24-hex object ids in Flow Designer


def basic(doc: dict) -> dict:
    """The BasicFlowDTO view of a stored flow."""
    return {k: v for k, v in doc.items() if k not in _PRIVATE}


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def find(rt, org: str, project: str, flow_id: str) -> dict:
    """A stored flow of the project, or 404."""
    doc = rt.store.get(org, KIND, flow_id)
    if doc is None or doc.get("projectId") != project:
        raise ApiError(404, f"Flow {flow_id} not found in project {project}.")
    return doc


def parse_file(raw: bytes) -> dict:
    """The uploaded FlowVersionRes, or 400 (file parse error)."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, f"file: File parse error: not JSON ({exc}).") from None
    if not isinstance(data, dict):
        raise ApiError(400, "file: File parse error: a FlowVersionRes object is expected.")
    return data


def import_flow(rt, org, project, data: dict, flow_type, overwrite: bool, by: str) -> dict:
    """Import a FlowVersionRes (201 BasicFlowDTO); 409 on a duplicate name unless ``overwrite``."""
    name = data.get("name").strip() if isinstance(data.get("name"), str) else ""
    if not name:
        raise ApiError(400, "name: Flow name is empty.")
    ftype = str(flow_type or data.get("flowType") or "FLOW").upper()
    if ftype not in FLOW_TYPES:
        raise ApiError(400, f"flowType: Invalid flow type {ftype!r}; use FLOW or SUBFLOW.")
    activities(data)  # 400 on an invalid activity (bad property, invalid JSONPath)
    with rt.store.atomic():
        same = [d for d in rt.store.lookup(org, KIND, "name", name) if d.get("projectId") == project]
        if same and not overwrite:
            raise ApiError(409, f"name: A flow/subflow with the same name ({name}) already exists.")
        now = _iso(rt)
        old = same[0] if same else None
        doc = {"id": old["id"] if old else _object_id(), "orgId": org, "projectId": project, "name": name,
               "description": _text(data.get("description")), "flowType": ftype, "status": "Draft",
               "version": (old["version"] + 1) if old else 1, "tags": [], "assignedRS": [],
               "createdBy": old["createdBy"] if old else by, "createdDate": old["createdDate"] if old else now,
               "lastModifiedBy": by, "lastModifiedDate": now, "flowVersions": old["flowVersions"] if old else []}
        version = {**data, "orgId": org, "flowId": doc["id"], "id": _object_id(), "name": name, "flowType": ftype,
                   "version": doc["version"], "createdBy": by, "createdDate": now, "lastModifiedBy": by,
                   "lastModifiedDate": now}
        doc["flowVersion"] = version
        rt.store.put(org, KIND, doc)
    return basic(doc)


def list_flows(rt, org, project, args) -> list[dict]:
    """Flows of the project filtered like the vendor's list (type, ids, partial name); the view pages them."""
    ftype = args["flowType"].upper()
    ids = {i for v in args.get("ids") or [] for i in v.split(",") if i}
    part = (args.get("partialNameSearch") or "").lower()
    return [basic(d) for d in rt.store.scan(org, KIND, lambda d: d.get("projectId") == project
                                             and d.get("flowType") == ftype and (not ids or d["id"] in ids)
                                             and part in d.get("name", "").lower())]


def export(rt, org, project, flow_id, version: str) -> dict:
    """The flow's FlowVersionRes (``version``: ``latest`` or its number)."""
    doc = find(rt, org, project, flow_id)
    if version not in ("latest", str(doc["version"])):
        raise ApiError(404, f"version: flow {flow_id} has no version {version}.")
    return doc["flowVersion"]


def publish(rt, org, project, flow_id, args: dict, by: str) -> dict:
    """Publish (FlowRes); refused while an HTTP Request activity's connector is gone (R15)."""
    bad = [t for t in args.get("tagIds") or [] if t not in TAGS]
    if bad:
        raise ApiError(400, f"tagIds: {', '.join(bad)} not one of {', '.join(TAGS)}.")
    with rt.store.atomic():
        doc = find(rt, org, project, flow_id)
        # Differs from Webex: Flow Designer validates far more on publish; the mock checks connectors only.
        broken = [a for a in status(rt, org, doc)["activities"] if a["routing"] == "broken"]
        if broken:
            names = ", ".join(f"{a['name']} (connector {a['connectorId']})" for a in broken)
            raise ApiError(400, f"Invalid activity: the connector of {names} no longer exists.")
        version = doc["flowVersion"]
        tags = sorted(set(args.get("tagIds") or []) | {"Latest"})
        doc.update(status="Published", lastModifiedBy=by, lastModifiedDate=_iso(rt),
                   flowVersions=[*doc["flowVersions"], version["id"]],
                   tags=[{"id": t, "displayName": t, "default": False, "flowVersionId": version["id"],
                          "versionNumber": doc["version"]} for t in tags])
        doc["flowVersion"] = {**version, **({"comment": args["comment"]} if args.get("comment") else {})}
        rt.store.put(org, KIND, doc)
    return {**basic(doc), "projectId": project, "flowVersions": doc["flowVersions"], "latestVersion":
            doc["flowVersion"]}


def status(rt, org: str, doc: dict) -> dict:
    """Routing per HTTP Request activity, computed now from each connector's state (R13, R15)."""
    http, other = activities(doc["flowVersion"])
    rows = []
    for act in http:
        if act.connector_id:
            state = connectors.state(rt, org, act.connector_id)
            conn = rt.store.get(org, "connector", act.connector_id) or {}
            rows.append({"id": act.id, "name": act.name, "connectorId": act.connector_id,
                         "connectorName": conn.get("name"), "connectorState": state, "routing": ROUTING[state]})
        else:
            row = {"id": act.id, "name": act.name, "connectorId": None, "connectorName": None,
                   "connectorState": None, "routing": "live", "requestUrl": act.url}
            if not act.url.startswith(rt.base_url() + "/"):
                row["note"] = "Calls a URL outside the mock: the mock's runner refuses it (no outbound requests)."
            rows.append(row)
    worst = next((r for r in ("broken", "paused") if any(a["routing"] == r for a in rows)), "live")
    return {"flowId": doc["id"], "projectId": doc.get("projectId"), "name": doc["name"], "routing": worst,
            "activities": rows, "notSimulated": other}
