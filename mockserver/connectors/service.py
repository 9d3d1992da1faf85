"""Connector state and lifecycle (R7-R15), the audit log, and the credentials a flow uses (R1, R16).

Stored per organisation: kind ``connector`` (wire format), ``connector-deleted`` (tombstones: a deleted id is
never reused and flows can tell "deleted" from "never existed"), ``connector-audit`` (every change).
"""
from __future__ import annotations

from flask import has_request_context

from ..auth.policy import CONFIG, READ, USER, WRITE, normalise_scope
from ..clock import new_id
from ..http import paging
from ..http.errors import ApiError, StaleVersion
from ..http.paging import clamp, paged_meta

KIND, TOMBSTONES, AUDIT = "connector", "connector-deleted", "connector-audit"
TYPE = "WEBEX_CONTACT_CENTER"
#: R8: the two access levels, their scopes (colon spelling, as issued) and the calls they allow.
LEVELS = {
    "READ_ONLY": {"scopes": [CONFIG, READ], "methods": ["GET"]},
    "READ_WRITE": {"scopes": [CONFIG, READ, WRITE, USER], "methods": ["GET", "POST", "PUT", "PATCH", "DELETE"]},
}
_LEVEL_ALIASES = {"READ_ONLY": "READ_ONLY", "READONLY": "READ_ONLY", "READ": "READ_ONLY",
                  "READ_WRITE": "READ_WRITE", "READWRITE": "READ_WRITE"}
# Differs from Webex: Cisco's credential service manages connector tokens; here a flow run mints fresh ones, short
# lived, and they are not revoked when the connector is deactivated later (the runner checks the state per call).
CREDENTIAL_TTL = 300  # seconds
CREDENTIAL_CLIENT = "webex-cc-connector"


class ConnectorUnavailable(ApiError):
    """The connector cannot supply credentials; ``state`` is inactive, deleted or unknown."""

    def __init__(self, status: int, reason: str, state: str):
        super().__init__(status, reason)
        self.state = state


# -- reading --------------------------------------------------------------------------------------
def state(rt, org: str, connector_id: str) -> str:
    """``active``, ``inactive``, ``deleted`` (R15) or ``unknown``: computed now, never cached."""
    doc = rt.store.get(org, KIND, connector_id)
    if doc is not None:
        return "active" if doc.get("active") else "inactive"
    return "deleted" if rt.store.exists(org, TOMBSTONES, connector_id) else "unknown"


def find(rt, org: str, connector_id: str) -> dict:
    """The connector, or 404 (saying so when it was deleted)."""
    doc = rt.store.get(org, KIND, connector_id)
    if doc is None:
        gone = rt.store.exists(org, TOMBSTONES, connector_id)
        raise ApiError(404, f"Connector {connector_id} " + ("was deleted." if gone else "not found for given orgId."))
    return doc


def page(rt, org: str, kind: str, page_no: int, size: int, path: str, docs: list | None = None) -> dict:
    """The configuration API's list envelope (meta + data) over a table or a given list."""
    size = clamp(size)  # the vendor clamps large page sizes silently
    total = rt.store.count(org, kind) if docs is None else len(docs)
    start = page_no * size
    data = rt.store.list(org, kind, start, start + size) if docs is None else paging.window(docs, page_no, size)
    return {"meta": paged_meta(org, path, page_no, size, total), "data": list(data)}


# -- validation -------------------------------------------------------------------------------------
def access_level(level: str | None, scopes: list | None) -> str:
    """R8: the access level from a level name or a scope list (either spelling); 400 naming what is wrong."""
    from_level = from_scopes = None
    if level is not None:
        from_level = _LEVEL_ALIASES.get(level.strip().upper().replace("-", "_").replace("/", "_").replace(" ", "_"))
        if from_level is None:
            raise ApiError(400, f"accessLevel: {level!r} is not an access level; use READ_ONLY or READ_WRITE.")
    if scopes is not None:
        from_scopes = _level_of(scopes)
    if from_level and from_scopes and from_level != from_scopes:
        raise ApiError(400, f"scopes: they grant {from_scopes} but accessLevel says {from_level}.")
    if not (from_level or from_scopes):
        raise ApiError(400, "accessLevel: required; give accessLevel (READ_ONLY or READ_WRITE) or scopes.")
    return from_level or from_scopes


def _level_of(scopes: list) -> str:
    given = []
    for s in scopes:
        norm = normalise_scope(str(s).strip())
        if norm not in given:
            given.append(norm)
    for name, spec in LEVELS.items():
        if set(given) == set(spec["scopes"]):
            return name
    known = set(LEVELS["READ_WRITE"]["scopes"])
    bad = [s for s in given if s not in known] or given
    raise ApiError(400, f"scopes: {' '.join(bad) or '(none)'} do not form an access level; read-only is "
                        f"{' '.join(LEVELS['READ_ONLY']['scopes'])}, read/write is "
                        f"{' '.join(LEVELS['READ_WRITE']['scopes'])}.", badScopes=bad)


def _name(rt, org: str, name: str, self_id: str | None = None) -> str:
    """R7: trimmed, non-empty, unique in the organisation ignoring case."""
    clean = name.strip()
    if not clean:
        raise ApiError(400, "name: must not be blank.")
    for other in rt.store.lookup(org, KIND, "name", clean):
        if other["id"] != self_id:
            raise ApiError(409, f"name: a connector named {other['name']!r} already exists in this organization.")
    return clean


def _type(value: str | None) -> str:
    if value is not None and value.strip().upper().replace(" ", "_") != TYPE:
        raise ApiError(400, f"type: {value!r} is not supported; the only connector type is {TYPE}.")
    return TYPE


def _actor(rt, org: str, claims: dict) -> str:
    person = rt.store.get(org, "people", claims.get("sub", ""))
    return (person or {}).get("email") or claims.get("sub", "unknown")


def _audit(rt, org, action, by, before, after):
    doc = {"id": new_id(), "connectorId": (after or before)["id"], "action": action, "by": by,
           "time": rt.clock.now_ms(), "before": before, "after": after}
    rt.store.insert(org, AUDIT, doc)


def _new_id(rt, org: str) -> str:
    for _ in range(5):  # UUID4 collisions are theoretical; the bound keeps the loop honest
        cid = new_id()
        if not rt.store.exists(org, KIND, cid) and not rt.store.exists(org, TOMBSTONES, cid):
            return cid
    raise ApiError(500, "Could not assign a new connector id.")


# -- changes ----------------------------------------------------------------------------------------
def create(rt, org: str, claims: dict, args: dict) -> dict:
    """R2, R7-R10: a new active connector."""
    if "FLEX3" not in ((rt.org(org) or {}).get("licenses") or []):
        raise ApiError(403, f"Organization {org} has no Flex 3 (FLEX3) licences: Webex Contact Center "
                            "connectors need Flex 3 licensing.")
    if not args["consent"]:
        raise ApiError(400, "consent: tick \"I authorize\" (consent=true) to let this connector read, write, "
                            "change and delete data in the contact center.")
    kind, level = _type(args.get("type")), access_level(args.get("accessLevel"), args.get("scopes"))
    with rt.store.atomic():
        name, by, now = _name(rt, org, args["name"]), _actor(rt, org, claims), rt.clock.now_ms()
        doc = {"id": _new_id(rt, org), "organizationId": org, "name": name, "type": kind, **_level_fields(level),
               "consent": True, "active": True, "createdBy": by, "createdTime": now, "lastUpdatedBy": by,
               "lastUpdatedTime": now, "version": 0}
        rt.store.insert(org, KIND, doc)
        _audit(rt, org, "create", by, None, doc)
    return doc


def _level_fields(level: str) -> dict:
    return {"accessLevel": level, "scopes": list(LEVELS[level]["scopes"]),
            "allowedMethods": list(LEVELS[level]["methods"])}


def update(rt, org: str, connector_id: str, claims: dict, args: dict) -> dict:
    """R10, R10a, R11: rename or change the access level of an inactive connector; the id never changes."""
    if "id" in args and args["id"] != connector_id:
        raise ApiError(400, f"id: a connector id never changes; this is connector {connector_id}, not {args['id']}.")
    _type(args.get("type"))
    with rt.store.atomic():
        before = find(rt, org, connector_id)
        if before["active"]:  # Differs from Webex: Control Hub disables the controls; an API needs a status
            raise ApiError(409, f"Connector {before['name']!r} is active: deactivate it before changing its "
                                "settings, then reactivate it.")
        if args.get("version") is not None and args["version"] != before["version"]:  # as the config API does
            raise StaleVersion(args['version'], 'connector', before['version'])
        after = dict(before)
        if "name" in args:
            after["name"] = _name(rt, org, args["name"], connector_id)
        if "accessLevel" in args or "scopes" in args:
            after.update(_level_fields(access_level(args.get("accessLevel"), args.get("scopes"))))
        return _save(rt, org, "update", claims, before, after)


def set_active(rt, org: str, connector_id: str, claims: dict, active: bool) -> tuple[dict, bool]:
    """R12, R14: (de)activate, keeping every setting; doing it twice changes nothing and says so."""
    with rt.store.atomic():
        before = find(rt, org, connector_id)
        if before["active"] == active:
            return before, False
        after = {**before, "active": active}
        return _save(rt, org, "reactivate" if active else "deactivate", claims, before, after), True


def _save(rt, org, action, claims, before, after) -> dict:
    by = _actor(rt, org, claims)
    after.update(lastUpdatedBy=by, lastUpdatedTime=rt.clock.now_ms(), version=before["version"] + 1)
    rt.store.put(org, KIND, after)
    _audit(rt, org, action, by, before, after)
    return after


def delete(rt, org: str, connector_id: str, claims: dict) -> None:
    """R15: only an inactive connector can be deleted; its id is remembered and never reused."""
    with rt.store.atomic():
        before = find(rt, org, connector_id)
        if before["active"]:
            raise ApiError(409, f"Connector {before['name']!r} is active: only an inactive connector can be "
                                "deleted; deactivate it first.")
        by = _actor(rt, org, claims)
        rt.store.delete(org, KIND, connector_id)
        rt.store.put(org, TOMBSTONES, {"id": connector_id, "name": before["name"], "deletedBy": by,
                                       "deletedTime": rt.clock.now_ms()})
        _audit(rt, org, "delete", by, before, None)


# -- credentials for flows ------------------------------------------------------------------------
def credentials(rt, org: str, connector_id: str, issuer: str | None = None) -> str:
    """An access token for the connector's organisation with exactly its scopes (R1, R8, R16).

    Inactive (R13) or deleted (R15) connectors mint nothing. The token carries ``connector_id``; the guard
    then skips the user-role check but still applies scopes and organisation, as the real API would.
    """
    found = state(rt, org, connector_id)
    if found != "active":
        reasons = {"inactive": (409, f"Connector {connector_id} is inactive: routing through it is paused "
                                     "until it is reactivated."),
                   "deleted": (404, f"Connector {connector_id} was deleted: flows using it no longer work."),
                   "unknown": (404, f"Connector {connector_id} not found for given orgId.")}
        raise ConnectorUnavailable(*reasons[found], state=found)
    doc = rt.store.get(org, KIND, connector_id)
    if issuer is None:
        issuer = rt.base_url() if has_request_context() else (rt.config.public_base_url or "http://127.0.0.1")
    token, _ = rt.tokens.mint(issuer=issuer, sub=f"connector-{connector_id}", org_id=org,
                              client_id=CREDENTIAL_CLIENT, scopes=doc["scopes"], roles=(), ttl=CREDENTIAL_TTL,
                              extra={"connector_id": connector_id})
    return token
