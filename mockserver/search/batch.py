"""A flush's task records on their way to the search view: rows written many at a time, and never for a record
the history's bound drops before the flush ends.

A month generated at once is 300,000 records; with the default bound the history keeps the newest 100,000, and a
row for each of the others was written, then deleted (measured over that month: a third of the generator's time
went to the view). So the records that may still be dropped wait for the batch's end (the newest ``KEEP_PARSED``
of them parsed, the others read again from the history) and reach the view only if the bound kept them; the rest,
those with fewer records after them than a drop keeps (all of them when the batch cannot pass the bound), go to
the view ``KEEP_PARSED`` at a time as they come. A row written and dropped after all (the bound's rule is the
history's, not this module's) is deleted from the view by the drop, as any other.
"""
from __future__ import annotations

from collections import deque

from ..activity.history import History

#: Records of a batch kept parsed until they are written (the others are read again from the history).
KEEP_PARSED = 1000


class Batch:
    """The task records of one flush of one organisation (``IndexedHistory.batch``)."""

    def __init__(self, history, org_id: str, count: int | None, kept: bool = False):
        self.history, self.org_id = history, org_id
        known = history.stored(org_id, "task")
        if kept:  # the caller knows the bound keeps every one of them through the batch (History.spare)
            self.safe_from = 0
        elif count is None:
            self.safe_from = 1 << 62
        elif count <= history.max_records - known:
            self.safe_from = 0
        else:  # past this position, fewer records come after than a drop keeps (the history's 1 % rule)
            self.safe_from = count + known - (history.max_records - history.max_records // 100)
        self.i = 0
        self.later: dict = {}  # id -> record, or None once it is no longer among the newest kept parsed
        self.newest: deque = deque()
        self.ready: dict = {}  # id -> record: written KEEP_PARSED at a time

    def put(self, record: dict) -> None:
        """One record: into the history now, into the view later."""
        rid, i = record["id"], self.i
        self.i += 1
        if i >= self.safe_from:
            self.ready[rid] = record
            History.put_task(self.history, self.org_id, record)
            if len(self.ready) >= KEEP_PARSED:
                self.write(self.ready)
                self.ready.clear()
            return
        self.later[rid] = record
        self.newest.append(rid)
        History.put_task(self.history, self.org_id, record)
        if len(self.newest) > KEEP_PARSED:
            old = self.newest.popleft()
            if self.later.get(old) is not None:
                self.later[old] = None

    def dropped(self, ids) -> None:
        """The history's bound dropped these: no row for them."""
        for rid in ids:
            self.later.pop(rid, None)
            self.ready.pop(rid, None)

    def close(self) -> None:
        self.write(self.ready)
        self.write(self.later)

    def write(self, records: dict) -> None:
        """Rows for ``records`` (id -> record, or None: read from the history)."""
        unread = [rid for rid, rec in records.items() if rec is None]
        if unread:
            records.update(self.history.task_views(self.org_id, unread))
        self.history.tables["task"].put_many(self.org_id, ((rid, int(rec["createdTime"]), rec)
                                                           for rid, rec in records.items() if rec is not None))
