"""The Search API's view of the history: one column per scalar field of every record in an SQLite table (stdlib,
a temporary file) indexed by organisation and time, current on every write (a flush's task records: at the end of its
``batch``, search/batch.py); agent sessions also keep their JSON without the activity lists there, task records
are read from the history itself (a second copy cost 1.7 KB a task).

``IndexedHistory`` is a ``History`` (the simulation writes to it as to any other). Measured (docs/search.md,
benchmarks/search_store.py) over a day of a 500-agent center: decoding the history's records per query costs
seconds; filters and aggregations in SQL over this table cost milliseconds. Queries SQL here cannot express read
the same records parsed (``view_tasks``); the activity lists (the bulk of a record) come from the history for
the rows that need them. Keeping parsed records in memory instead was measured too: it costs more memory and
every garbage collection walks them.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

import orjson

from ..activity.history import History
from . import fields as F
from .batch import Batch

#: The ids reports filter records on (docs/search.md: an agent's contacts, a queue's, a team's; a contact by id);
#: each index costs the simulation's write path a little (measured in benchmarks/search_store.py).
TASK_INDEXED = ("id", "lastAgent.id", "lastQueue.id", "lastTeam.id")
SESSION_INDEXED = ("agentId", "teamId")


def _slim(record: dict, kind: str) -> bytes:
    """The JSON of a record without its activity lists."""
    if kind == "task":
        return orjson.dumps({k: v for k, v in record.items() if k != "activities"})
    channels = [{k: v for k, v in c.items() if k != "activities"} for c in record.get("channelInfo") or ()
                if isinstance(c, dict)]
    return orjson.dumps({**{k: v for k, v in record.items() if k != "channelInfo"}, "channelInfo": channels})


class IndexedHistory(History):
    """A history that also keeps the search view of its records."""

    def __init__(self, max_records: int = 100_000):
        super().__init__(max_records)
        self._tables: dict | None = None
        self._tables_lock = threading.Lock()
        self._batches: dict[str, Batch] = {}  # org -> the batch of task records being put

    @property
    def tables(self) -> dict:
        """The view's SQLite tables by kind, made by the first record or query (SQLite and the tables' column
        readers are no part of a start: docs/performance.md "Start-up")."""
        tables = self._tables
        if tables is None:
            with self._tables_lock:
                if self._tables is None:
                    from . import sql

                    # Task rows keep no JSON of their own: it is the history's (a task record has no activity
                    # lists to leave out); agent sessions keep their slim JSON (without the activity lists), and
                    # they are few.
                    self._tables = {"task": sql.Table(F.TASK, TASK_INDEXED, fetch=self.task_views),
                                    "agentSession": sql.Table(F.SESSION, SESSION_INDEXED)}
                tables = self._tables
        return tables

    def put_task(self, org_id: str, record: dict) -> None:
        """Add or replace a task record, in the view and in the history (whose bound may drop it from both)."""
        self.tables["task"].put(org_id, record["id"], int(record["createdTime"]), record,
                                None if "activities" not in record else _slim(record, "task"))
        super().put_task(org_id, record)

    @contextmanager
    def batch(self, org_id: str, count: int | None = None, kept: bool = False):
        """A flush's task records (``count`` of them, if known): ``put(record)`` puts one in the history at once
        and in the view many at a time (search/batch.py: none the bound drops before the batch's end)."""
        batch = self._batches[org_id] = Batch(self, org_id, count, kept)
        try:
            yield batch.put
        finally:
            del self._batches[org_id]
            batch.close()
            from .release import AFTER_RECORDS, release  # ctypes: imported by the first flush, not at start

            if batch.i >= AFTER_RECORDS:  # a long run's flush: the holes its short-lived objects left go back
                release()

    def stored(self, org_id: str, kind: str) -> int:
        """How many records of a kind the history holds for the organisation."""
        with self._lock:
            return len(self._series(org_id, kind).keys)

    def put_agent_session(self, org_id: str, record: dict) -> None:
        """Add or replace an agent-session record, in the view and in the history (whose bound may drop it)."""
        self.tables["agentSession"].put(org_id, record["agentSessionId"], int(record["startTime"]), record,
                                        _slim(record, "agentSession"))
        super().put_agent_session(org_id, record)

    def _dropped(self, org_id: str, kind: str, ids: list[str]) -> None:
        batch = self._batches.get(org_id) if kind == "task" else None
        if batch is not None:  # no row for them (a row from an earlier batch is deleted still)
            batch.dropped(ids)
        self.tables[kind].forget(org_id, ids)

    def task_views(self, org_id: str, ids: list[str]) -> dict:
        """The records of these ids the history holds, by id."""
        return {rid: rec for rid in ids if (rec := self.task(org_id, rid)) is not None}

    def reset(self, org_id: str) -> None:
        """Forget an organisation's history and its view."""
        super().reset(org_id)
        for table in (self._tables or {}).values():  # none made yet: nothing to drop
            table.drop(org_id)

    def view_tasks(self, org_id: str, start_ms: int, end_ms: int) -> list[dict]:
        """Task records (without activities) created in ``[start_ms, end_ms)``, oldest first."""
        return self.tables["task"].window(org_id, start_ms, end_ms)

    def view_agent_sessions(self, org_id: str, start_ms: int, end_ms: int) -> list[dict]:
        """Agent sessions (without activities) started in ``[start_ms, end_ms)``, oldest first."""
        return self.tables["agentSession"].window(org_id, start_ms, end_ms)

    def view_task_fields(self, org_id: str, start_ms: int, end_ms: int, paths: list[str]) -> list[dict]:
        """Task records created in ``[start_ms, end_ms)`` as ``{path: value}`` for the scalar ``paths``."""
        return self.tables["task"].fields(org_id, start_ms, end_ms, paths)
