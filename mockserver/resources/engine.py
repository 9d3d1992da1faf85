"""The generic engine: create, get, replace, patch, delete and bulk for any declared resource.

Every write validates with marshmallow on the way in, then checks references, uniqueness and version
under ``store.atomic()`` so that concurrent writers cannot break an invariant between check and write.
Documents are stored in wire format (nulls omitted) and returned as stored: no serialisation on the way out.
"""
from __future__ import annotations

import os
import random
from functools import cached_property

import marshmallow as ma

from ..clock import uuid4_text
from ..http.errors import (
    ApiError,
    EntityNotFound,
    Referenced,
    StaleVersion,
    error_body,
    validation_descriptions,
)
from . import constraints, fastload, live
from .spec import Resource

MAX_BULK_ITEMS = 1000
SYSTEM_REASON = "Cannot Update/Delete system generated Entities."


def strip_nulls(value):
    """Null or unset fields are omitted, never ``null`` (webex-cc-facts.md 3.2)."""
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value if v is not None]
    return value


#: The ids of created objects: a generator of the engine's own, seeded from the system's randomness once (no one
#: else's ``random.seed`` reaches it). ``uuid.uuid4`` reads ``os.urandom`` per id, a system call that lets go of
#: the GIL; a create held the store's lock across it, and under load every other writer queued behind the
#: milliseconds it took to get the GIL back (docs/performance.md, "Writes").
_IDS = random.Random(os.urandom(32))
if hasattr(os, "register_at_fork"):  # a forked process (a server's worker) draws a sequence of its own
    os.register_at_fork(after_in_child=lambda: _IDS.seed(os.urandom(32)))


def new_id() -> str:
    """A new object's id: a version-4 UUID in its text form, as ``str(uuid.uuid4())`` (unique, not secret)."""
    return uuid4_text(_IDS.getrandbits(128))


def _child_ids(schema, data) -> None:
    """Sub-entities (skill-profile ``activeSkills``, outdial ANI entries...) get a server id when they have none.

    The vendor keeps a child whose ``id`` is sent back on PUT and replaces the others; ids make that visible.
    """
    for name, child_schema, is_dto in _nested_fields(schema):
        value = data.get(name)
        if value is None:
            continue
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict):
                if is_dto and not child.get("id"):
                    child["id"] = new_id()
                _child_ids(child_schema, child)


def _nested_fields(schema) -> tuple:
    """``(field, nested schema, whether it is a DTO)`` of a schema's nested fields, found once per schema."""
    found = schema.__dict__.get("_wxcc_nested")
    if found is None:
        from .spec import DTO

        nested = [(name, getattr(field, "inner", field)) for name, field in schema.fields.items()]
        found = schema._wxcc_nested = tuple((name, f.schema, isinstance(f.schema, DTO)) for name, f in nested
                                            if isinstance(f, ma.fields.Nested))
    return found


class Engine:
    """The operations of one resource kind (one per resource per app)."""

    def __init__(self, spec: Resource, catalog, rt):
        self.spec, self.catalog, self.rt = spec, catalog, rt
        self.kind = spec.kind
        self.parent_field = spec.parent[1] if spec.parent else None
        self.private = {self.parent_field} if self.parent_field else set()

    # The schema instance and its compiled plan are made by the first request that validates or lists with them:
    # 32 resources' schemas and plans were a tenth of building an app, and most resources see no write in a run.
    # (Two threads making one at once make equal objects; either is kept.)
    @cached_property
    def schema(self):
        """The resource's marshmallow schema (one instance per engine)."""
        return self.spec.schema()

    @cached_property
    def _fast(self):
        """``schema.load``'s result for a valid body, quicker (``fastload.py``; None when it has no plan)."""
        return fastload.compile_schema(self.schema)

    # -- helpers ---------------------------------------------------------------------------------------
    @property
    def store(self):
        return self.rt.store

    def load(self, payload, old: dict | None = None) -> tuple[dict, int | None]:
        """Validate a client document: ``(data without server-owned fields, version sent or None)``.

        Three layers: live defaults for the fields live does not require (``live.py``), the spec's own
        constraints (``constraints.py``, generated from the spec), then the schema (types, required, enums).
        Unknown properties are dropped by the schema, as live ignores them (webex-cc-facts.md 3.7).
        """
        if not isinstance(payload, dict):
            raise ApiError(400, f"Request body must be a JSON object ({self.spec.title}).")
        payload = live.fill(self.kind, payload, old)
        lines = constraints.check(self.spec.vendor_schema, payload)  # the body's depth is bounded (inputs.py)
        try:
            data = self._schema_load(payload)
        except ma.ValidationError as exc:
            lines = list(dict.fromkeys(validation_descriptions(exc.messages) + lines))
        if lines:
            raise ApiError(400, "; ".join(lines), descriptions=lines)
        version = data.get("version")
        data = strip_nulls({k: v for k, v in data.items() if k not in self.spec.dropped})
        _child_ids(self.schema, data)
        return data, version

    def _schema_load(self, payload: dict) -> dict:
        """``schema.load``: through the compiled plan when it vouches for the body, else marshmallow itself."""
        if self._fast is not None:
            try:
                return self._fast(payload)
            except fastload.Fallback:
                pass
        return self.schema.load(payload)

    def public(self, doc: dict) -> dict:
        """The document as a client sees it (private bookkeeping fields removed)."""
        return {k: v for k, v in doc.items() if k not in self.private} if self.private else doc

    def existing(self, org: str, id: str, parent_id: str | None = None) -> dict:
        """The stored document (a copy) or a 404 (children must belong to the parent in the path)."""
        return self._found(self.store.get(org, self.kind, id), id, parent_id)

    def _stored(self, org: str, id: str, parent_id: str | None = None) -> dict:
        """``existing`` without the copy, for the engine's own reads (it never changes the document)."""
        return self._found(self.store.peek(org, self.kind, id), id, parent_id)

    def _found(self, doc: dict | None, id: str, parent_id: str | None) -> dict:
        if doc is None or (self.parent_field and doc.get(self.parent_field) != parent_id):
            raise EntityNotFound(self.spec.title, id)
        return doc

    def check_parent(self, org: str, parent_id: str | None) -> None:
        """Sub-collections live under an existing parent."""
        if self.parent_field and not self.store.exists(org, self.spec.parent[0], parent_id):
            raise ApiError(404, f"{self.parent_field}: {parent_id} not found for given orgId.")

    def check_refs(self, org: str, doc: dict) -> None:
        """Every id a document points at must exist in the same organisation."""
        for ref in self.spec.refs:
            for value in ref.values(doc):
                if not self.store.exists(org, ref.kind, value):
                    raise ApiError(400, f"{ref.label}: not found for given orgId.",
                                   descriptions=[f"{ref.label}: {value} not found for given orgId."])

    def check_unique(self, org: str, doc: dict, own_id: str | None, parent_id: str | None) -> None:
        """Unique fields (names, case-insensitively) -> 409, as the vendor does for duplicates."""
        for name in self.spec.unique:
            value = doc.get(name)
            if value is None:
                continue
            for other in self.store.lookup(org, self.kind, name, value):
                if other["id"] != own_id and (not self.parent_field or other.get(self.parent_field) == parent_id):
                    raise ApiError(409, f"Similar entity is already present: {name} {value!r} is already used "
                                        f"by {self.spec.title} {other['id']}.")

    def referrers(self, org: str, id: str, kind: str | None = None) -> list[tuple[str, dict]]:
        """``(kind, document)`` of every object that references ``id`` (through any declared reference)."""
        out, seen = [], set()
        for spec, ref in self.catalog.incoming.get(self.kind, ()):
            if kind and spec.kind != kind:
                continue
            if ref.indexed:
                docs = self.store.lookup(org, spec.kind, ref.top, id)
            else:
                docs = self.store.scan(org, spec.kind, lambda d, r=ref: id in r.values(d))
            for doc in docs:
                if (spec.kind, doc["id"]) not in seen and id in ref.values(doc):
                    seen.add((spec.kind, doc["id"]))
                    out.append((spec.kind, doc))
        if self.spec.more_referrers:  # referrers no declaration names (flows play prompts by id or name)
            own = self.store.get(org, self.kind, id)
            out += [(k, d) for k, d in self.spec.more_referrers(self.store, org, own)
                    if own and (not kind or k == kind)]
        return out

    def refuse_if_referenced(self, org: str, id: str) -> None:
        """412 with ``referencedEntities`` while others still point at the object."""
        kinds = sorted({kind for kind, _ in self.referrers(org, id)})
        if kinds:
            raise Referenced(kinds)

    def derive(self, org: str, doc: dict) -> None:
        """Response-only names copied from what the document points at (team and user ``siteName``)."""
        for id_field, kind, name_field, *source in self.spec.derived:
            target = self.store.peek(org, kind, doc[id_field]) if doc.get(id_field) else None  # read only
            value = target.get(source[0] if source else "name") if target else None
            if value is not None:
                doc[name_field] = value
            else:
                doc.pop(name_field, None)
        if self.spec.computed:
            self.spec.computed(doc)

    def refuse_system(self, old: dict) -> None:
        """``systemDefault`` objects cannot be changed or deleted (webex-cc-facts.md 3.5)."""
        if old.get("systemDefault") is True:
            raise ApiError(400, f"systemDefault: {SYSTEM_REASON}")

    # -- operations ------------------------------------------------------------------------------------
    def get(self, org: str, id: str, parent_id: str | None = None) -> dict:
        """One object or 404."""
        return self.public(self.existing(org, id, parent_id))

    def create(self, org: str, payload, parent_id: str | None = None, server: dict | None = None) -> dict:
        """A new object: server-set id, organizationId, version 0 and timestamps (``server``: other fields the
        server owns, e.g. an upload's ``blobId``).

        Differs from Webex (unknown there): a client ``id``/``version`` in the body is ignored, not refused.
        """
        if not self.spec.can_create:
            raise ApiError(400, f"{self.spec.title} cannot be created through the API.")
        data, _ = self.load(payload)
        now = self.rt.clock.now_ms()
        id = new_id()  # before the lock, as everything that needs no stored state
        with self.store.atomic():
            self.check_parent(org, parent_id)
            self.check_refs(org, data)
            self.check_unique(org, data, None, parent_id)
            doc = {"organizationId": org, "id": id, "version": 0, **data, **(server or {}),
                   "createdTime": now, "lastUpdatedTime": now}
            if "systemDefault" in self.spec.fields:  # objects created through the API are never system ones
                doc["systemDefault"] = False
            self.derive(org, doc)
            if self.parent_field:
                doc[self.parent_field] = parent_id
            self.store.insert(org, self.kind, doc)
        return self.public(doc)

    def replace(self, org: str, id: str, payload, parent_id: str | None = None, partial: bool = False,
                server: dict | None = None) -> dict:
        """PUT (full replace) or PATCH (merge): version + 1, lastUpdatedTime moves.

        The body is read and validated against the stored object before the store's lock is taken (the
        slowest part of a write, which eight request threads would otherwise queue behind); if the table was
        written meanwhile, the stored object is read again under the lock, and the body validated again only
        when what it loaded came from the stored object (a merge, a live default kept), so the checks and the
        write still see one state. Writers of one object (a client's retries, the suite's replace row) find
        the table moved at almost every write.
        """
        seen = self.store.version(org, self.kind)
        old, data, version = self._read_replace(org, id, payload, parent_id, partial)
        with self.store.atomic():
            if self.store.version(org, self.kind) != seen:
                if partial or live.reads_old(self.kind, payload):
                    old, data, version = self._read_replace(org, id, payload, parent_id, partial)
                else:  # the body's load did not read the stored object: only the object itself is read again
                    old = self._stored(org, id, parent_id)
                    self.refuse_system(old)
            current = old.get("version", 0)
            # Optimistic concurrency: the vendor does not document it (webex-cc-facts.md 3.5, 6.4); a stale
            # version is refused, a missing one accepted (as live).
            if version is not None and version != current:
                raise StaleVersion(version, self.spec.title, current)
            for name in self.spec.immutable:
                if name in old and name in data and data[name] != old[name]:
                    raise ApiError(400, f"{name}: This configuration cannot be changed. Original value is {old[name]}")
                if name in old:
                    data[name] = old[name]
            self.check_refs(org, data)
            self.check_unique(org, data, id, parent_id)
            if old.get("active") is True and data.get("active") is False:
                # The vendor documents 412 for PUTs that break references without saying which; the mock's
                # reading: deactivating an object others point at.
                self.refuse_if_referenced(org, id)
            kept = {k: old[k] for k in (*self.spec.readonly, "systemDefault", self.parent_field) if k and k in old}
            doc = {"organizationId": org, "id": id, "version": current + 1, **data, **kept, **(server or {}),
                   "createdTime": old.get("createdTime", self.rt.clock.now_ms()),
                   "lastUpdatedTime": self.rt.clock.now_ms()}
            self.derive(org, doc)
            self.store.put(org, self.kind, doc)
        return self.public(doc)

    def _read_replace(self, org: str, id: str, payload, parent_id, partial: bool) -> tuple[dict, dict, int | None]:
        """``(stored object, loaded body, version sent)`` of a replace, or the 4xx it answers."""
        old = self._stored(org, id, parent_id)  # read only: the new document is built beside it
        self.refuse_system(old)
        if partial:
            payload = self.merge(old, payload)
        data, version = self.load(payload, old)
        sent_id = payload.get("id")
        if sent_id is not None and sent_id != id:
            raise ApiError(400, f"id: {sent_id} does not match the id in the path ({id}).")
        return old, data, version

    def merge(self, old: dict, patch) -> dict:
        """JSON merge patch at the top level: sent fields replace, ``null`` removes."""
        if not isinstance(patch, dict):
            raise ApiError(400, f"Request body must be a JSON object ({self.spec.title}).")
        merged = {k: v for k, v in old.items() if k in self.spec.fields and k not in self.spec.dropped}
        merged.update(patch)
        if "version" not in patch:
            merged.pop("version", None)
        return {k: v for k, v in merged.items() if v is not None}

    def delete(self, org: str, id: str, parent_id: str | None = None) -> None:
        """Remove an object nobody references (its own sub-collection goes with it)."""
        if not self.spec.can_delete:
            raise ApiError(400, f"{self.spec.title} cannot be deleted through the API.")
        with self.store.atomic():
            old = self.existing(org, id, parent_id)
            self.refuse_system(old)
            self.refuse_if_referenced(org, id)
            for child in self.catalog.children.get(self.kind, ()):
                for doc in list(self.store.lookup(org, child.kind, child.parent[1], id)):
                    self.store.delete(org, child.kind, doc["id"])
            self.store.delete(org, self.kind, id)

    # -- bulk --------------------------------------------------------------------------------------------
    def bulk(self, org: str, body, method: str, href, parent_id: str | None = None) -> dict:
        """Each item on its own: one bad item never stops the others (207)."""
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise ApiError(400, "items: required, a list of {itemIdentifier, requestAction, item}.")
        # Other envelope keys are ignored, as unknown properties of any DTO are (webex-cc-facts.md 3.7).
        if len(items) > MAX_BULK_ITEMS:
            raise ApiError(400, f"items: at most {MAX_BULK_ITEMS} items per request.")
        return {"items": [self.bulk_item(org, item, method, href, parent_id) for item in items]}

    def bulk_item(self, org: str, item, method: str, href, parent_id: str | None) -> dict:
        """One bulk item -> ``{itemIdentifier, status, operationType, href | apiError}``."""
        item = item if isinstance(item, dict) else {}
        ident = item.get("itemIdentifier")
        ident = ident if isinstance(ident, int) and not isinstance(ident, bool) else None
        action, obj = item.get("requestAction"), item.get("item")
        op = "DELETE" if action == "DELETE" else ("UPDATE" if method == "PATCH" else "CREATE")
        out = {"itemIdentifier": ident, "operationType": op} if ident is not None else {"operationType": op}
        try:
            status, id = self._bulk_apply(org, action, obj, method, parent_id)
            out.update(status=status, href=href(id))
        except ApiError as exc:
            out.update(status=exc.status, apiError=error_body(exc.status, exc.reason, exc.descriptions, **exc.extra))
        return out

    def _bulk_apply(self, org, action, obj, method, parent_id) -> tuple[int, str]:
        if action not in ("SAVE", "DELETE"):
            raise ApiError(400, "requestAction: must be SAVE or DELETE.")
        if not isinstance(obj, dict):
            raise ApiError(400, "item: required, a JSON object.")
        if action == "DELETE":
            if not self.spec.can_delete or method == "PATCH":
                raise ApiError(400, f"requestAction: DELETE is not supported here for {self.spec.title}.")
            if not obj.get("id"):
                raise ApiError(400, "id: required to delete an item.")
            if set(obj) <= {"id"}:  # live quirk (webex-cc-facts.md 3.4): deletes need the full object
                raise ApiError(400, SYSTEM_REASON)
            self.load(obj)
            self.delete(org, obj["id"], parent_id)
            return 204, obj["id"]
        if method == "PATCH":
            if not obj.get("id"):
                raise ApiError(400, "id: required to update an item.")
            return 200, self.replace(org, obj["id"], obj, parent_id, partial=True)["id"]
        if obj.get("id"):  # live quirk (webex-cc-facts.md 3.4): no update through POST bulk
            raise ApiError(400, "New configuration cannot have an id.")
        return 201, self.create(org, obj, parent_id)["id"]
