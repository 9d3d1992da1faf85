"""List views: query parameters, RSQL filter, search, sort, paging, projection, and a cache of serialised pages.

A page is computed once per (org, route, normalised query, table version) and kept as JSON bytes in a bounded
LRU; any write to the table bumps ``store.version`` and so retires every cached page of that table.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime, timezone
from functools import cached_property

import marshmallow as ma

from ..http.errors import ApiError
from ..http.jsonutil import dumps
from ..http.paging import paged_meta, paging, query_extra
from . import rsql

CACHE_SIZE = 512  # pages
CACHE_BYTES = 64 * 1024 * 1024


class PageCache:
    """A small thread-safe LRU of ``key -> (table version, bytes)``, bounded in entries and in bytes."""

    def __init__(self, size: int = CACHE_SIZE, max_bytes: int = CACHE_BYTES):
        self.size, self.max_bytes, self.bytes = size, max_bytes, 0
        self.data, self.lock = OrderedDict(), threading.Lock()

    def get(self, key, version):
        with self.lock:
            hit = self.data.get(key)
            if hit is None or hit[0] != version:
                return None
            self.data.move_to_end(key)
            return hit[1]

    def put(self, key, version, body: bytes) -> None:
        if len(body) > self.max_bytes // 8:
            return  # a huge v1 list is cheaper to rebuild than to let it evict everything else
        with self.lock:
            old = self.data.pop(key, None)
            self.bytes += len(body) - (len(old[1]) if old else 0)
            self.data[key] = (version, body)
            while len(self.data) > self.size or self.bytes > self.max_bytes:
                self.bytes -= len(self.data.popitem(last=False)[1][1])


def envelope_meta(org: str, path: str, page: int, size: int, total: int, extra: str | None = None) -> dict:
    """``meta`` of a configuration API list (``path`` relative to ``/organization/{org}/``)."""
    return paged_meta(org, f"/organization/{org}/{path}", page, size, total, extra)


class Lister:
    """List behaviour of one resource (bound to its engine)."""

    def __init__(self, engine):
        self.engine, self.spec = engine, engine.spec
        self.drop = set(self.spec.list_drop) | engine.private
        self.attributes_ok = set(self.spec.fields) - self.drop - {"links"}

    @cached_property
    def text_fields(self) -> set[str]:
        """The string fields (and lists of strings) a keyword search compares (made on the first search)."""
        fields = self.engine.schema.fields
        return {n for n, f in fields.items() if isinstance(f, ma.fields.String)
                or (isinstance(f, ma.fields.List) and isinstance(f.inner, ma.fields.String))}

    # -- query parsing ---------------------------------------------------------------------------------
    def parse_filter(self, text: str | None):
        if text is None:
            return None
        node = rsql.parse(text)
        allowed = self.spec.filterable()
        for name in rsql.fields(node):
            if name in self.spec.filter_excluded:
                raise ApiError(400, f"filter: field {name!r} is not supported in filters for {self.spec.title}.")
            if name not in allowed:
                raise ApiError(400, f"filter: unknown field {name!r} for {self.spec.title}.")
        return rsql.rename(node, self.spec.filter_alias)

    def parse_attributes(self, text: str | None):
        if text is None:
            return None
        names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
        bad = [n for n in names if n not in self.attributes_ok]
        if bad or not names:
            raise ApiError(400, f"attributes: unsupported attribute(s) {', '.join(bad) or '(none given)'} "
                                f"for {self.spec.title}.")
        return names

    def parse_search(self, text: str | None):
        """Plain keyword over the vendor's columns, or ``field==x;value==y`` / ``fields=in=(..);value==y``."""
        if text is None:
            return None
        columns, term = self.spec.search, text
        if "value==" in text:
            node = rsql.parse(text, "search")
            parts = node.parts if isinstance(node, rsql.Bool) and node.op == "and" else (node,)
            picked = {p.field: p.values for p in parts if isinstance(p, rsql.Cmp)}
            if "value" not in picked or not (set(picked) - {"value"}) <= {"field", "fields"}:
                raise ApiError(400, "search: expected field==<column>;value==<text> or fields=in=(..);value==<text>.")
            columns = picked.get("field") or picked.get("fields") or columns
            term = picked["value"][0]
            bad = [c for c in columns if c not in self.spec.search]
            if bad:
                raise ApiError(400, f"search: column(s) {', '.join(bad)} not searchable "
                                    f"(supported: {', '.join(self.spec.search)}).")
        term = term.strip().strip('"').lower()
        return lambda d: any(term in str(d.get(c, "")).lower() for c in columns)

    def parse_sort(self, text: str | None):
        if text is None:
            return None
        if not self.spec.sortable:
            return None  # the vendor has no sort on this list: ignored like any unknown parameter
        prop, _, direction = text.partition(",")
        direction = direction.strip().lower() or "asc"
        if prop not in self.spec.fields or prop in self.drop or direction not in ("asc", "desc"):
            raise ApiError(400, f"sort: expected <property>,asc|desc with a property of {self.spec.title}.")
        return prop, direction == "desc"

    # -- the page ----------------------------------------------------------------------------------------
    def respond(self, org: str, path: str, paged: bool, args, parent_id: str | None, cache: PageCache) -> bytes:
        """The serialised list (envelope for v2/v3, bare array for v1), from cache when the table is unchanged."""
        names = ("filter", "attributes", "search", "sort", "singleObjectResponse")
        raw = {n: args.get(n) for n in names if args.get(n) is not None}
        page, size = paging(args)
        if not paged and "page" not in args and "pageSize" not in args:
            page, size = 0, None  # v1 lists are bare arrays of everything
        extra = query_extra(args) if paged else ""  # the links keep every parameter, so the key holds them all
        key = (org, path, parent_id, page, size, tuple(sorted(raw.items())), extra)
        store = self.engine.store
        if parent_id is not None:
            self.engine.check_parent(org, parent_id)  # the entries of a missing book: 404, not an empty page
        body = cache.get(key, store.version(org, self.spec.kind))
        if body is not None:
            return body
        node = self.parse_filter(raw.get("filter"))
        attributes = self.parse_attributes(raw.get("attributes"))
        search = self.parse_search(raw.get("search"))
        sort = self.parse_sort(raw.get("sort"))
        with store.atomic():
            version = store.version(org, self.spec.kind)
            if node is None and not (search or sort or parent_id) and size:
                # A plain page: slice the table instead of listing all of it (100,000 users).
                total = store.count(org, self.spec.kind)
                window = store.list(org, self.spec.kind, page * size, (page + 1) * size)
            else:
                docs = self.candidates(org, node, parent_id)
                if search:
                    docs = [d for d in docs if search(d)]
                if sort:
                    docs.sort(key=lambda d: _sort_key(d.get(sort[0])), reverse=sort[1])
                total = len(docs)
                window = docs[page * size:(page + 1) * size] if size else docs
            flag = raw.get("singleObjectResponse", "false").lower()
            if flag not in ("true", "false"):
                raise ApiError(400, "singleObjectResponse: must be true or false.")
            single = flag == "true"
            if single and total > 1:
                raise ApiError(400, "singleObjectResponse: only for a list with a single result "
                                    f"(this one has {total}).")
            data = [self.project(d, attributes, keep_arrays=single) for d in window]
        if paged:
            body = dumps({"meta": envelope_meta(org, path, page, size, total, extra), "data": data})
        else:
            body = dumps(data)
        cache.put(key, version, body)
        return body

    def candidates(self, org: str, node, parent_id: str | None) -> list[dict]:
        """Matching documents; an exact ``field==value`` (or the parent) is answered from the store's index."""
        store, kind = self.engine.store, self.spec.kind
        eq = rsql.single_equality(node) if node is not None else None
        if parent_id is not None:
            docs = store.lookup(org, kind, self.engine.parent_field, parent_id)
        elif eq and eq[0] in self.text_fields:
            docs = store.lookup(org, kind, eq[0], eq[1])
        else:
            docs = store.list(org, kind)
        return [d for d in docs if node.matches(d)] if node is not None else list(docs)

    def project(self, doc: dict, attributes, keep_arrays: bool = False) -> dict:
        """List view of a document: array fields dropped (facts 3.2), or only the requested attributes.

        ``singleObjectResponse=true`` keeps the array fields when the list has one result, as the vendor does.
        """
        if attributes:
            return {k: doc[k] for k in attributes if k in doc}
        drop = self.engine.private if keep_arrays else self.drop
        return {k: v for k, v in doc.items() if k not in drop}

    # -- incoming references -------------------------------------------------------------------------------
    def references(self, org: str, id: str, args) -> dict:
        """EntityReferenceInfoDTO: who points at this object, paged.

        ``type=<kind>`` answers the rows of that one kind, and ``meta.currentEntity`` names the kind of the rows
        returned (webex-cc-facts.md 3.7: the admin tool walks ``type=`` per kind and labels each answer by it).
        ``referencedEntities`` lists every kind that references the object. Without ``type`` every row comes
        back; ``currentEntity`` is then the rows' kind when they are of one kind, and absent otherwise ([U]).
        """
        page, size = paging(args)
        asked = args.get("type") or None
        kind = self._kind_named(asked) if asked else None
        with self.engine.store.atomic():
            self.engine.existing(org, id)
            everyone = self.engine.referrers(org, id)
        found = [(k, d) for k, d in everyone if asked is None or _norm(k) == _norm(asked)]
        infos = [_entity_info(self.engine.catalog.specs.get(k), k, d) for k, d in found]
        meta = envelope_meta(org, self.spec.references_path.replace("<id>", id), page, size, len(infos))
        meta["referencedEntities"] = sorted({k for k, _ in everyone})
        kinds = {k for k, _ in found}
        if asked:
            current = next(iter(kinds)) if kinds else (kind or asked)
        else:
            current = next(iter(kinds)) if len(kinds) == 1 else None
        if current:
            meta["currentEntity"] = current
        return {"description": f"Entities referencing {self.spec.title} {id}.", "meta": meta,
                "data": infos[page * size:(page + 1) * size]}

    def _kind_named(self, asked: str) -> str | None:
        """A resource kind from a ``type`` value: ``entry-point``, or the vendor's ``entrypoint`` / ``EntryPoint``."""
        return next((k for k in self.engine.catalog.specs if _norm(k) == _norm(asked)), None)


def _norm(kind: str) -> str:
    """A kind as ``type=`` may spell it: ``entry-point``, ``entrypoint``, ``EntryPoint``."""
    return kind.replace("-", "").replace("_", "").lower()


def _sort_key(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    if value is None:
        return (2, 0, "")
    return (1, 0, str(value).lower())


def _iso(ms) -> str | None:
    if not isinstance(ms, int):
        return None
    return datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat().replace("+00:00", "Z")


def _entity_info(spec, kind: str, doc: dict) -> dict:
    """EntityInfo of a referrer (``spec`` None: an object outside the engine, such as a flow)."""
    info = {"id": doc["id"], "name": spec.display(doc) if spec else doc.get("name"),
            "additionalAttributes": {"type": kind},
            "createdDate": _iso(doc.get("createdTime")) or (doc.get("createdDate") if not spec else None),
            "lastModifiedDate": _iso(doc.get("lastUpdatedTime")) or (doc.get("lastModifiedDate") if not spec else None),
            "version": doc.get("version")}
    return {k: v for k, v in info.items() if v is not None}
