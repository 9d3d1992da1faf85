"""The Search API's view of the history: one column per scalar field of every record in an SQLite table (stdlib,
in memory) indexed by organisation and time, current on every write; agent sessions also keep their JSON without
the activity lists there, task records are read from the history itself (a second copy cost 1.7 KB a task).

``IndexedHistory`` is a ``History`` (the simulation writes to it as to any other). Measured (docs/search.md,
benchmarks/search_store.py) over a day of a 500-agent center: decoding the history's records per query costs
seconds; filters and aggregations in SQL over this table cost milliseconds. Queries SQL here cannot express read
the same records parsed (``view_tasks``); the activity lists (the bulk of a record) come from the history for
the rows that need them. Keeping parsed records in memory instead was measured too: it costs more memory and
every garbage collection walks them.
"""
from __future__ import annotations

from collections import deque

import orjson

from ..activity.history import History
from . import fields as F
from . import sql

#: The ids reports filter records on (docs/search.md: an agent's contacts, a queue's, a team's; a contact by id);
#: each index costs the simulation's write path a little (measured in benchmarks/search_store.py).
TASK_INDEXED = ("id", "lastAgent.id", "lastQueue.id", "lastTeam.id")
SESSION_INDEXED = ("agentId", "teamId")
#: Records of a batch kept parsed until it ends (the newest: the others are read again from the history).
KEEP_PARSED = 1000


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
        # Task rows keep no JSON of their own: it is the history's (a task record has no activity lists to leave
        # out); agent sessions keep their slim JSON (without the activity lists), and they are few.
        self.tables = {"task": sql.Table(F.TASK, TASK_INDEXED, fetch=self._task_views),
                       "agentSession": sql.Table(F.SESSION, SESSION_INDEXED)}
        self._batches: dict[str, tuple] = {}  # org -> the records of the batch being put, not yet in the view

    def put_task(self, org_id: str, record: dict) -> None:
        """Add or replace a task record, in the view and in the history (whose bound may drop it from both)."""
        self.tables["task"].put(org_id, record["id"], int(record["createdTime"]), record,
                                None if "activities" not in record else _slim(record, "task"))
        super().put_task(org_id, record)

    def put_tasks(self, org_id: str, records, count: int | None = None) -> None:
        """A batch of task records (a flush), ``count`` of them if known, each put in the history as it comes.

        A month generated at once is 300,000 records of which the history's bound keeps the newest 100,000: a row
        for each of the others would be written, then deleted. So the records that may still be dropped wait for
        the batch's end (the newest ``KEEP_PARSED`` of them parsed, the others read again from the history) and
        reach the view only if the bound kept them; the rest, those with fewer records after them than a drop
        keeps (all of them when the batch cannot pass the bound), go to the view ``KEEP_PARSED`` at a time. A row
        written and dropped after all (the bound's rule is the history's) is deleted from the view by the drop."""
        known = len(self._series(org_id, "task").keys)
        if count is None:
            safe_from = 1 << 62
        elif count <= self.max_records - known:
            safe_from = 0
        else:
            safe_from = count + known - (self.max_records - self.max_records // 100)
        later: dict = {}  # id -> record, or None once it is no longer among the newest kept parsed
        newest: deque = deque()
        ready: dict = {}
        self._batches[org_id] = (later, ready)
        try:
            for i, record in enumerate(records):
                rid = record["id"]
                if i >= safe_from:
                    ready[rid] = record
                    super().put_task(org_id, record)
                    if len(ready) >= KEEP_PARSED:
                        self._write(org_id, ready)
                        ready.clear()
                    continue
                later[rid] = record
                newest.append(rid)
                super().put_task(org_id, record)
                if len(newest) > KEEP_PARSED:
                    old = newest.popleft()
                    if later.get(old) is not None:
                        later[old] = None
        finally:
            del self._batches[org_id]
            self._write(org_id, ready)
            self._write(org_id, later)

    def _write(self, org_id: str, batch: dict) -> None:
        """Rows for a batch's records (id -> record, or None: read from the history) into the view."""
        unread = [rid for rid, rec in batch.items() if rec is None]
        batch.update(self._task_views(org_id, unread) if unread else {})
        self.tables["task"].put_many(org_id, ((rid, int(rec["createdTime"]), rec) for rid, rec in batch.items()
                                              if rec is not None))

    def put_agent_session(self, org_id: str, record: dict) -> None:
        """Add or replace an agent-session record, in the view and in the history (whose bound may drop it)."""
        self.tables["agentSession"].put(org_id, record["agentSessionId"], int(record["startTime"]), record,
                                        _slim(record, "agentSession"))
        super().put_agent_session(org_id, record)

    def _dropped(self, org_id: str, kind: str, ids: list[str]) -> None:
        for batch in self._batches.get(org_id, ()) if kind == "task" else ():
            for rid in ids:  # not written to the view (a row from an earlier batch is deleted still)
                batch.pop(rid, None)
        self.tables[kind].forget(org_id, ids)

    def _task_views(self, org_id: str, ids: list[str]) -> dict:
        return {rid: rec for rid in ids if (rec := self.task(org_id, rid)) is not None}

    def reset(self, org_id: str) -> None:
        """Forget an organisation's history and its view."""
        super().reset(org_id)
        for table in self.tables.values():
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
