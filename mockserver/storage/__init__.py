"""The only importer of TinyDB: every table of every organisation, under one lock.

TinyDB (in memory) is the system of record. Two things are ours:

* Tables are read and updated in place, keyed by the documents' Webex ``id``, through TinyDB's public
  storage API (``compat.store.live_tables``): TinyDB's ``Table`` copies the whole table on every write
  (O(n)); in place, a write costs the same with 200 or 100,000 documents in the table.
* Persistence (``storage=<path>``) is an append-only log beside a snapshot (``wal.py``): a write appends
  one line, never rewrites the file, and a crash at any moment leaves a state that loads.

Documents are stored in wire format (exactly the JSON a client receives). Documents handed out by
``list``/``scan``/``lookup`` are the stored objects: callers must copy before changing them (the store
itself never mutates a stored document, it replaces it). A table seeded from a large fixture file keeps its
documents compact, as their serialised bytes (``compact.py``), and hands out a new dict per read.

A module may hold its writes to some tables back (``defer``: webhook delivery's state, written per delivery): the
store has it write them before any read of those tables and before any read of the whole store (export, kinds,
compaction), so no reader ever sees them missing.
"""
from __future__ import annotations

import itertools
import threading
import zlib
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

import orjson
from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from ..compat.store import live_tables
from .blobs import BlobStore
from .wal import WriteAheadLog

SYSTEM = "_system"  # pseudo-organisation holding orgs and integrations


def _copy(doc: dict) -> dict:
    """Deep copy of a JSON document (faster than copy.deepcopy)."""
    return orjson.loads(orjson.dumps(doc))


def _doc(value) -> dict:
    """The document of a stored value: the stored dict itself, or a compact one parsed (a new dict)."""
    return value if type(value) is dict else _parse(value)


def _fresh(value) -> dict:
    """A private copy of a stored document."""
    return _copy(value) if type(value) is dict else _parse(value)


def _parse(value) -> dict:
    from .compact import parse  # only a tenant with a large fixture file has compact values

    return parse(value)


def serialised(value):
    """orjson's ``default`` for compact values (their bytes as they are) and compact files (their documents)."""
    from .compact import fragment

    return fragment(value)


def _field(value, name: str):
    from .compact import field  # one field of a compact document, the others skipped (an index is built)

    return field(value, name)


def _records(docs) -> dict:
    """``{id: value}`` of a bulk load's documents (a list of dicts, or a compact file's records)."""
    return docs.records if hasattr(docs, "records") else {d["id"]: d for d in docs}  # the last of an id wins


class Store:
    """Tables per (organisation, resource kind); every method holds the one lock."""

    def __init__(self, path: str | None = None):
        self.lock = threading.RLock()
        self._db = TinyDB(storage=MemoryStorage)
        self._versions: dict[tuple[str, str], int] = {}
        self._indexes: dict[tuple[str, str], dict[str, dict]] = {}
        self._seed: dict[str, dict[str, bytes]] = {}  # {org: {kind: serialised docs}}: a private copy per loads
        self._seed_orgs: list[str] = []
        self._wal = WriteAheadLog(path) if path and path != "memory" else None
        self._deferred: dict[str, Callable[[], None]] = {}  # kind -> what writes its held-back documents
        self._on_drop: list[Callable[[str], None]] = []  # told of an organisation whose tables are dropped
        self.blobs = BlobStore(path)  # uploaded bytes, beside the log (never in it)
        if self._wal:
            self._replay(self._wal.load())

    def _replay(self, ops: Iterable[dict]) -> None:
        """Apply logged operations, consecutive puts to one table as one bulk put (same result, far faster)."""
        batch = None
        for op in ops:
            if op["op"] == "put" and batch and batch["org"] == op["org"] and batch["kind"] == op["kind"]:
                batch["docs"].append(op["doc"])
                continue
            if batch:
                self._apply(batch)
                batch = None
            if op["op"] == "put":
                batch = {"op": "putmany", "org": op["org"], "kind": op["kind"], "docs": [op["doc"]]}
            else:
                self._apply(op)
        if batch:
            self._apply(batch)

    @property
    def persistent(self) -> bool:
        """Whether writes go to a file (``storage=<path>``) and so survive the process."""
        return self._wal is not None

    def defer(self, kinds: Iterable[str], flush: Callable[[], None], drop: Callable[[str], None]) -> None:
        """``flush()`` writes what a module holds back for ``kinds``; the store calls it before those tables (or the
        whole store) are read. It must take the store's lock before its own (the store's callers may hold it).
        ``drop(org)``: the organisation's tables were dropped (reset, restore): what is held of it is void."""
        self._deferred = {**self._deferred, **{kind: flush for kind in kinds}}
        self._on_drop.append(drop)

    def _settle(self, kind: str | None = None) -> None:
        """Have held-back writes written before a read of ``kind`` (None: of every table)."""
        deferred = self._deferred
        if not deferred:
            return
        if kind is None:
            for flush in dict.fromkeys(deferred.values()):
                flush()
        elif kind in deferred:
            deferred[kind]()

    # -- basic access ------------------------------------------------------------------------
    def _raw(self, org: str, kind: str) -> dict:
        """The stored ``{id: document}`` of a table, read only (a table never written: a new empty dict)."""
        return live_tables(self._db).get(f"{org}/{kind}") or {}

    def _writable(self, org: str, kind: str) -> dict:
        """The stored ``{id: document}`` of a table, made when it is first written."""
        return live_tables(self._db).setdefault(f"{org}/{kind}", {})

    def get(self, org: str, kind: str, id: str) -> dict | None:
        """One document (a copy), or None (also for an id that is not a string: ids from clients are untrusted)."""
        if not isinstance(id, str):
            return None
        self._settle(kind)
        with self.lock:
            doc = self._raw(org, kind).get(id)
        return _fresh(doc) if doc is not None else None  # copied outside the lock: stored documents never change

    def peek(self, org: str, kind: str, id: str) -> dict | None:
        """One document as stored (not a copy: do not mutate), or None; a compact one parsed (a new dict)."""
        if not isinstance(id, str):
            return None
        self._settle(kind)
        with self.lock:
            doc = self._raw(org, kind).get(id)
        return _doc(doc) if doc is not None else None

    def exists(self, org: str, kind: str, id: str) -> bool:
        """Whether a document with that id exists."""
        if not isinstance(id, str):
            return False
        self._settle(kind)
        with self.lock:
            return id in self._raw(org, kind)

    def count(self, org: str, kind: str) -> int:
        """How many documents the table holds."""
        self._settle(kind)
        with self.lock:
            return len(self._raw(org, kind))

    def list(self, org: str, kind: str, start: int = 0, stop: int | None = None) -> list[dict]:
        """Documents in insertion order (stored objects: do not mutate)."""
        self._settle(kind)
        with self.lock:
            values = list(itertools.islice(self._raw(org, kind).values(), start, stop))
        return [_doc(v) for v in values]  # compact ones parsed outside the lock (immutable bytes)

    def scan(self, org: str, kind: str, predicate: Callable[[dict], bool] | None = None) -> list[dict]:
        """Every document matching ``predicate`` (stored objects: do not mutate)."""
        self._settle(kind)
        with self.lock:
            values = list(self._raw(org, kind).values())
        docs = map(_doc, values)  # compact ones parsed outside the lock (immutable bytes)
        return [d for d in docs if predicate(d)] if predicate else list(docs)

    def lookup(self, org: str, kind: str, field: str, value) -> list[dict]:
        """Documents whose top-level ``field`` equals ``value``, through an index kept up to date on writes.

        List values are indexed by each element (``teamIds`` contains X). Strings compare case-insensitively.
        """
        self._settle(kind)
        with self.lock:
            index = self._index(org, kind, field)
            raw = self._raw(org, kind)
            values = [raw[i] for i in index.get(_key(value), ()) if i in raw]
        return [_doc(v) for v in values]

    def version(self, org: str, kind: str) -> int:
        """A counter bumped on every write to the table (for caches keyed by content)."""
        return self._versions.get((org, kind), 0)

    def kinds(self, org: str) -> list[str]:
        """The resource kinds an organisation has tables for."""
        prefix = f"{org}/"
        self._settle()
        with self.lock:
            return sorted(n[len(prefix):] for n in self._db.tables() if n.startswith(prefix))

    def orgs(self) -> list[str]:
        """Every organisation with at least one table (the system pseudo-org excluded)."""
        self._settle()
        with self.lock:
            return sorted({n.split("/", 1)[0] for n in self._db.tables()} - {SYSTEM})

    @contextmanager
    def atomic(self) -> Iterator["Store"]:
        """Hold the lock across several calls (check-then-write)."""
        with self.lock:
            yield self

    # -- writes --------------------------------------------------------------------------------
    def insert(self, org: str, kind: str, doc: dict) -> dict:
        """Add a document; ``doc['id']`` must be new. Returns the stored copy."""
        with self.lock:
            if doc["id"] in self._raw(org, kind):
                raise KeyError(f"{kind} {doc['id']} exists")
            return self._write({"op": "put", "org": org, "kind": kind, "doc": _copy(doc)})

    def put(self, org: str, kind: str, doc: dict, copy: bool = True) -> dict:
        """Insert or replace by ``doc['id']`` (``copy=False``: the caller hands a document it built over and never
        changes it or what it holds; the JSON round trip of the copy was a third of a small write)."""
        with self.lock:
            return self._write({"op": "put", "org": org, "kind": kind, "doc": _copy(doc) if copy else doc})

    def delete(self, org: str, kind: str, id: str) -> bool:
        """Remove one document; False when there was none."""
        if not isinstance(id, str):
            return False
        with self.lock:
            if id not in self._raw(org, kind):
                return False
            self._write({"op": "del", "org": org, "kind": kind, "id": id})
            return True

    def drop_org(self, org: str) -> None:
        """Remove every table of one organisation."""
        with self.lock:
            self._write({"op": "drop", "org": org})
            self.blobs.drop_org(org)

    def _write(self, op: dict):
        """Apply an operation in memory, then log it (a failed log write raises: the write is not acknowledged)."""
        result = self._apply(op)
        if self._wal:
            self._wal.append(op)
            if self._wal.needs_compaction():
                self._wal.compact(self._all_ops())
        return result

    def _apply(self, op: dict):
        kind_op = op["op"]
        if kind_op == "drop":
            org = op["org"]
            for forget in self._on_drop:
                forget(org)
            for name in [n for n in self._db.tables() if n.split("/", 1)[0] == org]:
                self._db.drop_table(name)
                key = tuple(name.split("/", 1))
                self._versions[key] = self._versions.get(key, 0) + 1
                self._indexes.pop(key, None)
            return None
        org, kind = op["org"], op["kind"]
        raw = self._raw(org, kind)
        key = (org, kind)
        self._versions[key] = self._versions.get(key, 0) + 1
        if kind_op == "put":
            doc = op["doc"]
            old = raw.get(doc["id"])
            if old is not None:
                self._unindex(key, old)
            # A new object under the key (never a mutation): readers holding the old one keep a consistent view.
            self._writable(org, kind)[doc["id"]] = doc
            self._reindex(key, doc)
            return doc
        if kind_op == "putmany":  # a bulk load (seed, reset, restore): one log line, one table update
            fresh = _records(op["docs"])  # the last put of an id wins
            if not raw and not self._indexes.get(key):  # into an empty table (the start): nothing to unindex
                self._writable(org, kind).update(fresh)  # a third of the general path
                return None
            for id in fresh:
                old = raw.get(id)
                if old is not None:
                    self._unindex(key, old)
            self._writable(org, kind).update(fresh)
            if self._indexes.get(key):
                for doc in fresh.values():
                    self._reindex(key, doc)
            return None
        if kind_op == "del":
            old = raw.get(op["id"])
            if old is not None:
                self._unindex(key, old)
                del raw[op["id"]]
            return None
        raise ValueError(f"unknown storage operation {kind_op!r}")

    # -- secondary indexes --------------------------------------------------------------------
    def _index(self, org: str, kind: str, field: str) -> dict:
        per_table = self._indexes.setdefault((org, kind), {})
        index = per_table.get(field)
        if index is None:
            index = per_table[field] = {}
            for id, doc in self._raw(org, kind).items():
                _add(index, id, doc.get(field) if type(doc) is dict else _field(doc, field))
        return index

    def _reindex(self, key, doc):
        indexes = self._indexes.get(key)
        doc = _doc(doc) if indexes else doc
        for field, index in (indexes or {}).items():
            _add(index, doc["id"], doc.get(field))

    def _unindex(self, key, doc):
        indexes = self._indexes.get(key)
        doc = _doc(doc) if indexes else doc
        for field, index in (indexes or {}).items():
            for value in _values(doc.get(field)):
                ids = index.get(value)
                if ids is not None:
                    ids.pop(doc["id"], None)
                    if not ids:
                        del index[value]

    # -- seed, reset, snapshots ---------------------------------------------------------------
    def seed(self, data: dict[str, dict[str, list]], load: bool = True, owned: bool = False,
             raw: dict[str, dict[str, bytes]] | None = None) -> None:
        """Remember ``{org: {kind: [docs]}}`` as the seed; load it unless the file already held state.

        ``owned=True``: the caller hands ``data`` over (keeps no reference), so it is loaded without a copy.
        ``raw``: ``{org: {kind: bytes}}`` already serialising some of those lists (the fixture files as
        read), kept as they are instead of serialised again. A compact file's documents (``compact.Compact``)
        are their own reset copy: immutable slices of the file's bytes.
        """
        with self.lock:
            raw = raw or {}
            self._seed = {org: {kind: docs if hasattr(docs, "records") else
                                raw.get(org, {}).get(kind) or orjson.dumps(docs) for kind, docs in kinds.items()}
                          for org, kinds in data.items()}
            self._seed_orgs = sorted(set(data) - {SYSTEM})
            if load:
                self.restore(data if owned else self._seed_copy(), copy=False)

    def _seed_copy(self, org: str | None = None) -> dict[str, dict[str, list]]:
        """A fresh copy of the seed (one organisation's, or all of it)."""
        return {o: {kind: b if hasattr(b, "records") else orjson.loads(_Packed.unpack(b)) for kind, b in kinds.items()}
                for o, kinds in self._seed.items() if org is None or o == org}

    def pack_seed(self, min_bytes: int = 1 << 20) -> int:
        """Compress the reset copy's large tables (zlib, fast level); returns the bytes saved.

        Run in a background thread once the server listens (``mockserver serve`` does): 100,000 users keep a
        92 MB ``user.json`` as the reset copy, 17 MB packed, and zlib releases the GIL while it works. A reset
        then unpacks it (about a second at that size).
        """
        saved = 0
        for org, kinds in list(self._seed.items()):
            for kind, raw in list(kinds.items()):
                if type(raw) is not bytes or len(raw) < min_bytes:
                    continue
                packed = _Packed(zlib.compress(raw, 1))
                with self.lock:
                    if self._seed.get(org, {}).get(kind) is raw:  # not re-seeded meanwhile
                        self._seed[org][kind] = packed
                        saved += len(raw) - len(packed.data)
        return saved

    def is_empty(self) -> bool:
        """True when no table holds a document (a new file, or memory)."""
        self._settle()
        with self.lock:
            return not any(live_tables(self._db).values())

    def seed_orgs(self) -> list[str]:
        """Organisations that come from the seed."""
        return list(self._seed_orgs)

    def reset(self, org: str | None = None) -> None:
        """Back to the seed: one organisation, or everything (orgs not in the seed disappear)."""
        with self.lock:
            if org is None:
                for name in list(self._db.tables()):
                    self._write({"op": "drop", "org": name.split("/", 1)[0]})
                    self.blobs.drop_org(name.split("/", 1)[0])
                self.restore(self._seed_copy(), copy=False)
                if self._wal:
                    self.compact()
            else:
                self.blobs.drop_org(org)  # uploads go with the state; the seed's prompts are built-in blobs
                self.restore({org: self._seed_copy(org).get(org, {})}, copy=False)

    def export(self, org: str | None = None) -> dict[str, dict[str, list]]:
        """``{org: {kind: [docs]}}`` for one organisation or all (the system tables included when all)."""
        self._settle()
        with self.lock:
            names = self._db.tables()
            out: dict[str, dict[str, list]] = {}
            for name in sorted(names):
                o, kind = name.split("/", 1)
                if org is not None and o != org:
                    continue
                docs = list(self._raw(o, kind).values())
                if docs:
                    out.setdefault(o, {})[kind] = orjson.loads(orjson.dumps(docs, default=serialised))
            if org is not None:
                out.setdefault(org, {})
            return out

    def restore(self, data: dict[str, dict[str, list]], copy: bool = True) -> None:
        """Replace each organisation named in ``data`` by exactly that content (``copy=False``: data is ours)."""
        with self.lock:
            for org, kinds in data.items():
                self._write({"op": "drop", "org": org})
                for kind, docs in kinds.items():
                    if docs:  # a compact file's records are immutable: never copied
                        mine = docs if not copy or hasattr(docs, "records") else _copy(docs)
                        self._write({"op": "putmany", "org": org, "kind": kind, "docs": mine})

    def compact(self) -> None:
        """Rewrite the snapshot from memory and empty the log (atomic; file persistence only)."""
        self._settle()
        with self.lock:
            if self._wal:
                self._wal.compact(self._all_ops())

    def _all_ops(self) -> Iterable[dict]:
        for name in self._db.tables():
            org, kind = name.split("/", 1)
            for doc in self._raw(org, kind).values():
                yield {"op": "put", "org": org, "kind": kind, "doc": doc}

    def close(self) -> None:
        """Flush and close the file (if any)."""
        with self.lock:
            if self._wal:
                self._wal.close()


class _Packed:
    """A zlib-compressed serialised table of the reset copy."""

    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = data

    @staticmethod
    def unpack(raw) -> bytes:
        return zlib.decompress(raw.data) if type(raw) is _Packed else raw


def _key(value):
    return value.lower() if isinstance(value, str) else value


def _values(value):
    if isinstance(value, list):
        return [_key(v) for v in value if isinstance(v, (str, int, float, bool))]
    if isinstance(value, (str, int, float, bool)):
        return [_key(value)]
    return []


def _add(index: dict, id, value) -> None:
    for one in _values(value):
        index.setdefault(one, {})[id] = None
