"""The record of what happened: task (CSR) and agent-session (ASR) records per organisation, read by
``/v1/tasks``, the statistics views and ``/search``.

Records are plain dicts with the field names of the Search API's data dictionary (webex-cc-runtime-facts.md 2.9):
a task has ``id``, ``createdTime``, ``endedTime`` (None while active), ``channelType``, ``status``, ``isActive``,
``lastQueue {id name}``, ``lastAgent {...}``, durations in ms and so on; an agent session has ``agentSessionId``,
``agentId``, ``startTime``, ``endTime``, ``isActive``, ``teamId``, ``siteId``, ``channelInfo [...]``. The simulation
writes them (``put_task`` replaces a record by id as the task moves on); readers get copies, never the live dicts.
"""
from __future__ import annotations

import bisect
import copy
import threading
from collections.abc import Iterator


class _Series:
    """Records of one kind, ordered by a time field, replaceable by id."""

    def __init__(self, id_field: str, time_field: str):
        self.id_field, self.time_field = id_field, time_field
        self.by_id: dict[str, dict] = {}
        self.keys: list[tuple[int, str]] = []  # (time, id), sorted

    def put(self, record: dict) -> None:
        rid, t = record[self.id_field], int(record[self.time_field])
        old = self.by_id.get(rid)
        if old is not None:
            i = bisect.bisect_left(self.keys, (int(old[self.time_field]), rid))
            del self.keys[i]
        self.by_id[rid] = record
        bisect.insort(self.keys, (t, rid))

    def window(self, start: int, end: int) -> Iterator[dict]:
        lo = bisect.bisect_left(self.keys, (start, ""))
        hi = bisect.bisect_left(self.keys, (end, ""))
        for _, rid in self.keys[lo:hi]:
            yield self.by_id[rid]

    def drop_before(self, t: int) -> int:
        cut = bisect.bisect_left(self.keys, (t, ""))
        for _, rid in self.keys[:cut]:
            del self.by_id[rid]
        del self.keys[:cut]
        return cut


class History:
    """Task and agent-session records of every organisation (thread-safe; copies out)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._orgs: dict[str, dict[str, _Series]] = {}

    def _series(self, org_id: str, kind: str) -> _Series:
        org = self._orgs.get(org_id)
        if org is None:
            org = self._orgs[org_id] = {"task": _Series("id", "createdTime"),
                                        "agentSession": _Series("agentSessionId", "startTime")}
        return org[kind]

    def put_task(self, org_id: str, record: dict) -> None:
        """Add or replace a task record (by ``id``)."""
        with self._lock:
            self._series(org_id, "task").put(copy.deepcopy(record))

    def put_agent_session(self, org_id: str, record: dict) -> None:
        """Add or replace an agent-session record (by ``agentSessionId``)."""
        with self._lock:
            self._series(org_id, "agentSession").put(copy.deepcopy(record))

    def tasks(self, org_id: str, start_ms: int, end_ms: int) -> list[dict]:
        """Task records created in ``[start_ms, end_ms)``, oldest first."""
        with self._lock:
            return [copy.deepcopy(r) for r in self._series(org_id, "task").window(start_ms, end_ms)]

    def task(self, org_id: str, task_id: str) -> dict | None:
        """One task record, or None."""
        with self._lock:
            found = self._series(org_id, "task").by_id.get(task_id)
            return copy.deepcopy(found) if found is not None else None

    def agent_sessions(self, org_id: str, start_ms: int, end_ms: int) -> list[dict]:
        """Agent-session records started in ``[start_ms, end_ms)``, oldest first."""
        with self._lock:
            return [copy.deepcopy(r) for r in self._series(org_id, "agentSession").window(start_ms, end_ms)]

    def reset(self, org_id: str) -> None:
        """Forget an organisation's history."""
        with self._lock:
            self._orgs.pop(org_id, None)
