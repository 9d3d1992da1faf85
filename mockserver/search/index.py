"""The Search API's view of the history: every record also kept parsed, without its activity lists, in time
order, so a query filters and aggregates Python dicts instead of decoding every record it looks at.

``IndexedHistory`` is a ``History`` (the simulation writes to it as to any other) that keeps this view current on
every write. Measured (docs/search.md, benchmarks/search_store.py): decoding a day of a 500-agent center's
records per query costs about a second; reading the parsed view costs nothing, so the query is the aggregation.
The activity lists (the bulk of a record) are left out and read from the history for the rows that need them.
"""
from __future__ import annotations

import bisect
import threading

import orjson

from ..activity.history import History
from . import sql


def _slim(record: dict, kind: str) -> dict:
    """A private copy of a record without its activity lists."""
    if kind == "task":
        return orjson.loads(orjson.dumps({k: v for k, v in record.items() if k != "activities"}))
    out = orjson.loads(orjson.dumps({k: v for k, v in record.items() if k != "channelInfo"}))
    out["channelInfo"] = [orjson.loads(orjson.dumps({k: v for k, v in c.items() if k != "activities"}))
                          for c in record.get("channelInfo") or () if isinstance(c, dict)]
    return out


class _View:
    """Parsed records of one kind of one organisation, by time then id."""

    def __init__(self, id_field: str, time_field: str):
        self.id_field, self.time_field = id_field, time_field
        self.by_id: dict[str, dict] = {}
        self.keys: list[tuple[int, str]] = []

    def put(self, record: dict) -> None:
        rid, t = record[self.id_field], int(record[self.time_field])
        old = self.by_id.get(rid)
        if old is not None and int(old[self.time_field]) != t:
            del self.keys[bisect.bisect_left(self.keys, (int(old[self.time_field]), rid))]
            old = None
        self.by_id[rid] = record  # a new object: a reader holding the old one keeps a consistent version
        if old is None:
            if not self.keys or self.keys[-1] < (t, rid):
                self.keys.append((t, rid))
            else:
                bisect.insort(self.keys, (t, rid))

    def window(self, start: int, end: int) -> list[dict]:
        lo, hi = bisect.bisect_left(self.keys, (start, "")), bisect.bisect_left(self.keys, (end, ""))
        by_id = self.by_id
        return [by_id[rid] for _, rid in self.keys[lo:hi]]


class IndexedHistory(History):
    """A history that also keeps the search view of its records."""

    def __init__(self):
        super().__init__()
        self._view_lock = threading.Lock()
        self._views: dict[tuple[str, str], _View] = {}
        self.tables = {"task": sql.Table(), "agentSession": sql.Table()}  # the same view in SQLite

    def _view(self, org_id: str, kind: str) -> _View:
        view = self._views.get((org_id, kind))
        if view is None:
            view = self._views[(org_id, kind)] = _View(*{"task": ("id", "createdTime"),
                                                         "agentSession": ("agentSessionId", "startTime")}[kind])
        return view

    def put_task(self, org_id: str, record: dict) -> None:
        """Add or replace a task record, in the history and in the view."""
        super().put_task(org_id, record)
        slim = _slim(record, "task")
        with self._view_lock:
            self._view(org_id, "task").put(slim)
        self.tables["task"].put(org_id, slim["id"], int(slim["createdTime"]), orjson.dumps(slim))

    def put_agent_session(self, org_id: str, record: dict) -> None:
        """Add or replace an agent-session record, in the history and in the view."""
        super().put_agent_session(org_id, record)
        slim = _slim(record, "agentSession")
        with self._view_lock:
            self._view(org_id, "agentSession").put(slim)
        self.tables["agentSession"].put(org_id, slim["agentSessionId"], int(slim["startTime"]), orjson.dumps(slim))

    def reset(self, org_id: str) -> None:
        """Forget an organisation's history and its view."""
        super().reset(org_id)
        with self._view_lock:
            self._views.pop((org_id, "task"), None)
            self._views.pop((org_id, "agentSession"), None)
        for table in self.tables.values():
            table.drop(org_id)

    def view_tasks(self, org_id: str, start_ms: int, end_ms: int) -> list[dict]:
        """Task records (without activities) created in ``[start_ms, end_ms)``: shared objects, read only."""
        with self._view_lock:
            return self._view(org_id, "task").window(start_ms, end_ms)

    def view_agent_sessions(self, org_id: str, start_ms: int, end_ms: int) -> list[dict]:
        """Agent sessions (without activities) started in ``[start_ms, end_ms)``: shared objects, read only."""
        with self._view_lock:
            return self._view(org_id, "agentSession").window(start_ms, end_ms)
