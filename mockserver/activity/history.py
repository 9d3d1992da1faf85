"""The record of what happened: task (CSR) and agent-session (ASR) records per organisation, read by
``/v1/tasks``, the statistics views and ``/search``.

Records are plain dicts with the field names of the Search API's data dictionary (webex-cc-runtime-facts.md 2.9):
a task has ``id``, ``createdTime``, ``endedTime`` (None while active), ``channelType``, ``status``, ``isActive``,
``lastQueue {id name}``, ``lastAgent {...}``, durations in ms and so on; an agent session has ``agentSessionId``,
``agentId``, ``startTime``, ``endTime``, ``isActive``, ``teamId``, ``siteId``, ``channelInfo [...]``. The simulation
writes them (``put_task`` replaces a record by id as the task moves on); readers get copies, never the live dicts.

Each organisation keeps at most ``max_records`` records of each kind (``MOCKSERVER_ACTIVITY_HISTORY_SIZE``): past
it, the oldest (by time) go, one percent of the bound at once, with a warning line saying how many and from when.
The newest ``(time, id)`` dropped is the kind's ``horizon``: the center follows it (``activity/bound.py``). A
record the bound is sure to drop before anyone reads it need not be built: ``spare`` holds its place instead.

Records are kept as compact JSON bytes: a copy in and out for free (parsing makes new objects), a third of the
memory of the dicts, and several times faster than ``copy.deepcopy`` (measured on a day of the demo tenant); the
records that are over are compressed together, 32 at a time (``blocks.py``): a sixth of their JSON.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import orjson

from .blocks import Block, Reader
from .keys import Keys
from .packing import DICTIONARIES

log = logging.getLogger("mockserver.activity")


class _Series:
    """Records of one kind, ordered by a time field, replaceable by id.

    ``by_id`` holds a finished record's block (``blocks.py``: compressed with the records put beside it), or a
    live record's JSON behind its time (8 bytes, little-endian: ``_stored``), one object rather than a ``(time,
    bytes)`` tuple (64 bytes a record less); a place held for a record sure to be dropped (``History.spare``) is
    the time alone. ``keys`` is the index, ``(time, id)`` sorted, in two columns (``keys.py``)."""

    def __init__(self, id_field: str, time_field: str, zdict: bytes):
        self.id_field, self.time_field, self.zdict = id_field, time_field, zdict
        self.by_id: dict[str, bytes | Block] = {}  # id -> its block, or time (8 bytes) + JSON
        self.open, self.reader = Block(), Reader(zdict)  # the block being filled; blocks read, one inflated
        self.keys = Keys()  # (time, id), sorted
        self.horizon: tuple[int, str] | None = None  # the newest record the bound dropped
        self.late = False  # a record older than the horizon arrived since the last drop (logged once)

    def put(self, record: dict) -> bool:
        """Add or replace a record; False when it is older than what the bound already dropped (not kept)."""
        rid, t = record[self.id_field], int(record[self.time_field])
        old = self.by_id.get(rid)
        if old is not None and self._time(rid, old) == t:
            self._store(rid, t, record)
            return True
        if old is None and self.horizon is not None and (t, rid) <= self.horizon:
            return False
        if old is not None:
            i = self.keys.find(self._time(rid, old), rid)
            if i >= 0:  # always found: every record has its key
                del self.keys[i]
        self._store(rid, t, record)
        self.keys.add(t, rid)  # the usual case, records in time order, is an append
        return True

    def hold(self, t: int, rid: str) -> None:
        """A place for a record sure to be dropped (``History.spare``): a key without a record."""
        self.by_id[rid] = _stored(t, b"")
        self.keys.append((t, rid))

    def _store(self, rid: str, t: int, record: dict) -> None:
        raw = orjson.dumps(record)
        if record.get("isActive") is not False:  # replaced at every change: its JSON as it is (``packing.py``)
            self.by_id[rid] = _stored(t, raw)
            return
        block = self.by_id[rid] = self.open
        block.put(rid, t, raw)
        if block.full:
            block.seal(self.zdict)
            self.open = Block()

    @staticmethod
    def _time(rid: str, entry) -> int:
        return _time(entry) if type(entry) is bytes else entry.time_of(rid)

    def time_of(self, rid: str) -> int:
        return self._time(rid, self.by_id[rid])

    def read(self, rid: str, entry) -> dict | None:
        """The record of an entry of ``by_id`` (None: a place held by ``History.spare``)."""
        if type(entry) is bytes:
            return orjson.loads(memoryview(entry)[8:]) if len(entry) > 8 else None  # a live record's JSON
        return self.reader.record(entry, rid)

    def get(self, rid: str) -> dict | None:
        found = self.by_id.get(rid)
        return self.read(rid, found) if found is not None else None

    def window(self, start: int, end: int) -> Iterator[dict]:
        keys = self.keys
        lo, hi = keys.left(start), keys.left(end)
        by_id = self.by_id
        for rid in keys.ids[lo:hi]:
            record = self.read(rid, by_id[rid])
            if record is not None:  # else a place held for a record sure to be dropped (``History.spare``)
                yield record

    def drop_oldest(self, n: int) -> tuple[list[tuple[int, str]], list[str]]:
        """Forget the ``n`` oldest records; their ``(time, id)``, oldest first, and the ids of those that were
        records (not places held by ``History.spare``)."""
        gone = self.keys[:n]
        pop = self.by_id.pop
        real = [rid for _, rid in gone if not _held(pop(rid))]
        del self.keys[:n]
        self.horizon, self.late = gone[-1], False
        return gone, real

    def cut(self, horizon: tuple[int, str]) -> list[str]:
        """Forget every record at or before ``horizon`` (which becomes the horizon); their ids."""
        n = self.keys.right(*horizon)
        gone = self.keys.ids[:n]
        for rid in gone:
            del self.by_id[rid]
        del self.keys[:n]
        if self.horizon is None or self.horizon < horizon:
            self.horizon = horizon
        return gone

    def drop_before(self, t: int) -> int:
        cut = self.keys.left(t)
        for rid in self.keys.ids[:cut]:
            del self.by_id[rid]
        del self.keys[:cut]
        return cut


def _stored(t: int, packed: bytes) -> bytes:
    return t.to_bytes(8, "little", signed=True) + packed


def _time(stored: bytes) -> int:
    return int.from_bytes(stored[:8], "little", signed=True)


def _held(entry) -> bool:
    """Whether an entry of ``by_id`` is a place held for a record (``History.spare``), not a record."""
    return type(entry) is bytes and len(entry) == 8


class History:
    """Task and agent-session records of every organisation (thread-safe; copies out)."""

    def __init__(self, max_records: int = 100_000):
        self._lock = threading.Lock()
        self._orgs: dict[str, dict[str, _Series]] = {}
        self.max_records = max_records  # per organisation and kind
        self._unbounded: set[str] = set()  # organisations being restored: their horizon is given, not reached

    def _put(self, org_id: str, kind: str, record: dict) -> None:
        """Keep a record within the bound. Past it the oldest go (a batch of 1 % of it: one log line per batch, not
        per record); a record older than those dropped is not kept either (one log line until the next drop)."""
        series = self._series(org_id, kind)
        if not series.put(record):
            self._dropped(org_id, kind, [record[series.id_field]])
            if not series.late:
                series.late = True
                log.warning("activity history of organization %s: a %s record of time %d is older than the records "
                            "already dropped (MOCKSERVER_ACTIVITY_HISTORY_SIZE=%d): not kept, nor any older one "
                            "until the next drop", org_id, kind, int(record[series.time_field]), self.max_records)
            return
        self._bound(org_id, kind, series)

    def _bound(self, org_id: str, kind: str, series: _Series) -> None:
        if len(series.keys) <= self.max_records or org_id in self._unbounded:
            return
        gone, real = series.drop_oldest(len(series.keys) - (self.max_records - self.max_records // 100))
        self._dropped(org_id, kind, real)
        log.warning("activity history of organization %s: %d oldest %s records dropped (times %d to %d); it keeps "
                    "MOCKSERVER_ACTIVITY_HISTORY_SIZE=%d per kind", org_id, len(gone), kind, gone[0][0], gone[-1][0],
                    self.max_records)

    def _dropped(self, org_id: str, kind: str, ids: list[str]) -> None:
        """Records the bound dropped (a subclass keeping other views of them forgets them too)."""

    def _series(self, org_id: str, kind: str) -> _Series:
        org = self._orgs.get(org_id)
        if org is None:
            org = self._orgs[org_id] = {"task": _Series("id", "createdTime", DICTIONARIES["task"]),
                                        "agentSession": _Series("agentSessionId", "startTime",
                                                                DICTIONARIES["agentSession"])}
        return org[kind]

    def put_task(self, org_id: str, record: dict) -> None:
        """Add or replace a task record (by ``id``)."""
        with self._lock:
            self._put(org_id, "task", record)

    def spare(self, org_id: str, keys: list[tuple[int, str]], to_come: int,
              before: int) -> tuple[set[str], int, bool]:
        """Of a flush's task keys ``(createdTime, id)`` (sorted), the ids whose records the bound is sure to drop
        before the flush ends or, when ``to_come`` more new records follow (each created after ``before``), before
        they are all put: their records need not be built. Each new one of them holds its place at once (a key
        without a record, which no reader sees), so the bound drops exactly what it would have dropped. Beside the
        ids: how many records put after these keys are sure to be dropped too, and whether the bound keeps every
        other record of the flush until the flush ends (``batch``'s hint).

        The bound's rule replayed: with ``S`` records kept and ``n`` new ones put in time order, the history drops
        ``M // 100 + 1`` oldest records each time it holds ``M + 1``. Only when the flush's new records all come
        after those kept (else they would be put among them, and some refused), and only records older than
        ``before`` (a record to come may be created at ``before`` and sort before one created then): what comes
        later can only add to the drops, never take from them."""
        with self._lock:
            series, m = self._series(org_id, "task"), self.max_records
            stored, by_id, horizon = len(series.keys), series.by_id, series.horizon
            if org_id in self._unbounded or stored > m:
                return set(), 0, False
            new = [k for k in keys if k[1] not in by_id]
            last = max(filter(None, (series.keys[-1] if series.keys else None, horizon)), default=None)
            if new and last is not None and new[0] <= last:
                return set(), 0, False
            n = len(new) + to_come
            if stored + n <= m:
                return set(), 0, True
            step = m // 100 + 1

            def dropping(n: int) -> int:
                return 0 if stored + n <= m else step * (1 + (n - (m + 1 - stored)) // step)
            drops = dropping(n)
            beyond = drops - stored - len(new)
            if drops <= stored:
                cut = series.keys[drops - 1]
            elif new:
                cut = new[min(drops - stored, len(new)) - 1]
            elif stored:
                cut = series.keys[-1]
            else:
                return set(), beyond, True
            doomed = [k for k in keys if k <= cut and k[0] < before and (horizon is None or k > horizon)]
            held = 0
            for t, rid in doomed:
                if rid not in by_id:
                    series.hold(t, rid)
                    self._bound(org_id, "task", series)
                    held += 1
            # Within the flush, its own new records drop the oldest ``dropping(len(new))``: all spared or kept before.
            return {rid for _, rid in doomed}, beyond, dropping(len(new)) <= stored + held

    @contextmanager
    def batch(self, org_id: str, count: int | None = None, kept: bool = False):
        """Task records put as one batch (a flush, ``count`` of them if known): ``put(record)`` as ``put_task``
        (a history with other views of its records may bring them up to date once, at the end). ``kept``: the caller
        knows the bound drops none of them before the batch ends (``spare``), a hint that changes nothing else."""
        yield lambda record: self.put_task(org_id, record)

    def put_agent_session(self, org_id: str, record: dict) -> None:
        """Add or replace an agent-session record (by ``agentSessionId``)."""
        with self._lock:
            self._put(org_id, "agentSession", record)

    def tasks(self, org_id: str, start_ms: int, end_ms: int) -> list[dict]:
        """Task records created in ``[start_ms, end_ms)``, oldest first."""
        with self._lock:
            return list(self._series(org_id, "task").window(start_ms, end_ms))

    def task(self, org_id: str, task_id: str) -> dict | None:
        """One task record, or None."""
        with self._lock:
            return self._series(org_id, "task").get(task_id)

    def agent_sessions(self, org_id: str, start_ms: int, end_ms: int) -> list[dict]:
        """Agent-session records started in ``[start_ms, end_ms)``, oldest first."""
        with self._lock:
            return list(self._series(org_id, "agentSession").window(start_ms, end_ms))

    def export(self, org_id: str, ids: dict | None = None) -> dict:
        """``{"task": [records], "agentSession": [records]}`` of one organisation in time order (``ids``: only
        those ids per kind), for snapshots and persistence."""
        with self._lock:
            out = {}
            for kind in ("task", "agentSession"):
                series, want = self._series(org_id, kind), (ids or {}).get(kind)
                wanted = series.keys.ids if want is None else \
                    [rid for _, rid in sorted((series.time_of(rid), rid) for rid in want if rid in series.by_id)]
                out[kind] = [record for rid in wanted if (record := series.read(rid, series.by_id[rid])) is not None]
            return out

    def horizon(self, org_id: str, kind: str) -> tuple[int, str] | None:
        """The newest ``(time, id)`` of a kind the bound dropped from an organisation's history (None: none)."""
        org = self._orgs.get(org_id)
        return org[kind].horizon if org is not None else None

    def restore(self, org_id: str, records: dict, replace: bool = True, horizons: dict | None = None) -> None:
        """Put exported records back (``replace``: the organisation's history becomes exactly them). With
        ``horizons`` (``{kind: [time, id] or None}``, as written beside the records) the bound is not applied while
        they go in; what the writer had dropped is cut instead, so the history kept is exactly the writer's."""
        if replace:
            self.reset(org_id)
        if horizons is not None:
            with self._lock:
                self._unbounded.add(org_id)
        try:
            for record in records.get("task", ()):
                self.put_task(org_id, record)
            for record in records.get("agentSession", ()):
                self.put_agent_session(org_id, record)
        finally:
            with self._lock:
                self._unbounded.discard(org_id)
        for kind, mark in (horizons or {}).items():
            if mark is not None:
                with self._lock:
                    self._dropped(org_id, kind, self._series(org_id, kind).cut((int(mark[0]), str(mark[1]))))

    def reset(self, org_id: str) -> None:
        """Forget an organisation's history."""
        with self._lock:
            self._orgs.pop(org_id, None)
