"""Subscription records: validation of create and PATCH bodies (runtime facts 3.2), storage in the
configuration store (so ``--storage FILE`` keeps them), and the public view without the secret."""
from __future__ import annotations

import re
import uuid

from ..http.errors import ApiError
from . import catalogue, urls

#: One table per API version: v1 and v2 subscriptions are isolated (facts 3.1).
KINDS = {"v1": "webhook-subscription", "v2": "webhook-subscription-v2"}
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_VERSION = re.compile(r"^([a-z][a-z-]*):(\d+\.\d+\.\d+)$")
CREATE_FIELDS = {"name", "description", "eventTypes", "destinationUrl", "secret", "orgId"}
PATCH_FIELDS = {"description", "eventTypes", "destinationUrl", "status", "secret", "orgId"}


def _string(body: dict, name: str, low: int, high: int) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"{name}: must be a string.")
    if not low <= len(value) <= high:
        raise ApiError(400, f"{name}: size must be between {low} and {high}.")
    return value


def _event_types(body: dict, resource_version: str | None) -> list[str] | None:
    value = body.get("eventTypes")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(400, "eventTypes: must be a list of event type names.")
    if not 1 <= len(value) <= 32:
        raise ApiError(400, "eventTypes: size must be between 1 and 32.")
    unknown = [v for v in value if v not in catalogue.NAMES]
    if unknown:
        raise ApiError(400, f"eventTypes: unknown event type(s) {', '.join(unknown)}; GET /v1/event-types lists them.")
    if resource_version:  # v2: one resource (and version) per subscription (facts 3.2)
        resource, _, version = resource_version.partition(":")
        wrong = [v for v in value if v.partition(":")[0] != resource or version not in catalogue.versions_of(v)]
        if wrong:
            raise ApiError(400, f"eventTypes: {', '.join(wrong)} not in resource version {resource_version}.")
    return list(dict.fromkeys(value))


def _resource_version(body: dict) -> str:
    value = _string(body, "resourceVersion", 1, 50)
    if value is None:
        raise ApiError(400, "resourceVersion: is required (e.g. \"agent:1.0.0\").")
    m = _VERSION.match(value)
    if not m or {"resource": m.group(1), "version": m.group(2)} not in catalogue.resource_versions():
        known = ", ".join(f"{r['resource']}:{r['version']}" for r in catalogue.resource_versions())
        raise ApiError(400, f"resourceVersion: {value!r} is not a supported resource version ({known}).")
    return value


def _url(body: dict, extra_hosts) -> str | None:
    value = body.get("destinationUrl")
    if value is None:
        return None
    if not isinstance(value, str) or not re.match(r"^(https?)://", value) or len(value) > 2048:
        raise ApiError(400, "destinationUrl: must be an http(s) URL of at most 2048 characters.")
    try:
        urls.check(value, extra_hosts)
    except urls.RefusedUrl as exc:
        raise ApiError(400, str(exc)) from None
    return value


def _fields(body, allowed: set[str], version: str) -> dict:
    if not isinstance(body, dict):
        raise ApiError(400, "Body is invalid JSON: expected an object.")
    allowed = allowed | ({"resourceVersion"} if version == "v2" else set())
    if "name" in body and "name" not in allowed:
        raise ApiError(400, "name: cannot be changed after creation (create a new subscription).")
    return body


def org_of(body: dict, token_org: str, query_org: str | None) -> str:
    """The organisation of a request: ``orgId`` from the query or body, else the token's (403 for another)."""
    for where, value in (("orgId", query_org), ("orgId", body.get("orgId") if isinstance(body, dict) else None)):
        if value is None:
            continue
        if not isinstance(value, str) or not _UUID.match(value):
            raise ApiError(400, f"{where}: must be a UUID.")
        if value != token_org:
            raise ApiError(403, f"The token has no permission on organization {value}.")
    return token_org


def create(body, version: str, extra_hosts, actor: str, now_ms: int) -> dict:
    """A new stored record from a create body (400 naming the field on bad input)."""
    body = _fields(body, CREATE_FIELDS, version)
    resource_version = _resource_version(body) if version == "v2" else None
    record = {
        "id": str(uuid.uuid4()),
        "name": _string(body, "name", 4, 64),
        "description": _string(body, "description", 0, 1024),
        "eventTypes": _event_types(body, resource_version),
        "destinationUrl": _url(body, extra_hosts),
        "status": "active",
        "createdTime": now_ms, "createdBy": actor, "lastUpdatedTime": now_ms, "lastUpdatedBy": actor,
    }
    for required in ("name", "eventTypes", "destinationUrl"):
        if record[required] is None:
            raise ApiError(400, f"{required}: is required.")
    if record["description"] is None:
        del record["description"]
    if resource_version:
        record["resourceVersion"] = resource_version
    secret = _string(body, "secret", 32, 256)
    if secret is not None:
        record["secret"] = secret
    return record


def patch(record: dict, body, version: str, extra_hosts, actor: str, now_ms: int) -> dict:
    """The record changed by a PATCH body (only the fields sent)."""
    body = _fields(body, PATCH_FIELDS, version)
    resource_version = record.get("resourceVersion")
    if version == "v2" and "resourceVersion" in body:
        resource_version = _resource_version(body)
        if "eventTypes" not in body:  # the kept types must still belong to the new version
            _event_types({"eventTypes": record["eventTypes"]}, resource_version)
    out = dict(record)
    changes = {
        "description": _string(body, "description", 0, 1024),
        "eventTypes": _event_types(body, resource_version),
        "destinationUrl": _url(body, extra_hosts),
        "secret": _string(body, "secret", 32, 256),
    }
    status = body.get("status")
    if status is not None and status not in ("active", "inactive"):
        raise ApiError(400, "status: must be \"active\" or \"inactive\".")
    changes["status"] = status
    out.update({k: v for k, v in changes.items() if v is not None})
    if resource_version:
        out["resourceVersion"] = resource_version
    out["lastUpdatedTime"], out["lastUpdatedBy"] = now_ms, actor
    return out


def public(record: dict) -> dict:
    """What a client sees: everything but the secret, which is write-only (facts 3.2)."""
    return {k: v for k, v in record.items() if k != "secret"}
