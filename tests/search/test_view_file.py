"""The search view's SQLite database lives in a private temporary file (not in the process's memory): no name in
the file system from the start, its page cache bounded, emptied and closed when no organisation has rows."""
from __future__ import annotations

import os

import pytest

from mockserver.search import release, sql
from mockserver.search.index import IndexedHistory

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="reads the open files from /proc")


def _view_files() -> set[str]:
    """The temporary files SQLite holds open in this process (it names them etilqs_*)."""
    out = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if "etilqs_" in target:
            out.add(target)
    return out


def _records(org: str, n: int, start: int = 0) -> list[dict]:
    return [{"id": f"{org}-{i}", "createdTime": start + i, "status": "ended", "channelType": "chat",
             "lastAgent": {"id": f"a{i % 7}", "name": "Agent " + "x" * 200}} for i in range(n)]


def test_the_rows_go_to_an_unnamed_file_past_the_page_cache_and_it_closes_when_the_last_org_resets(monkeypatch):
    monkeypatch.setattr(sql, "CACHE_KB", 64)  # 16 pages: a few hundred rows already spill to the file
    before = _view_files()
    h = IndexedHistory()
    for org in ("org-a", "org-b"):
        with h.batch(org, 2000) as put:
            for rec in _records(org, 2000):
                put(rec)
    opened = _view_files() - before
    assert len(opened) == 1, opened  # the task table's file (the sessions' table has no rows: nothing spilled)
    [name] = opened
    assert name.endswith(" (deleted)")  # unlinked as it was opened: nothing is left behind, however the process ends
    assert not os.path.exists(name.removesuffix(" (deleted)"))
    assert h.tables["task"].db.execute("pragma cache_size").fetchone() == (-64,)
    assert h.tables["task"].db.execute("pragma journal_mode").fetchone() == ("off",)
    assert [t["id"] for t in h.view_tasks("org-a", 1990, 2000)] == [f"org-a-{i}" for i in range(1990, 2000)]

    h.reset("org-a")  # another organisation still has rows: the file stays, that org's rows answer as before
    assert h.view_tasks("org-a", 0, 2000) == []
    assert len(h.view_tasks("org-b", 0, 2000)) == 2000 and _view_files() - before == opened
    assert h.view_task_fields("org-b", 5, 7, ["lastAgent.id"]) == [{"lastAgent.id": "a5"}, {"lastAgent.id": "a6"}]

    h.reset("org-b")  # the last one: the file is closed (its space given back) and a new, empty database opened
    assert _view_files() - before == set()
    assert h.view_tasks("org-b", 0, 2000) == []
    h.put_task("org-b", _records("org-b", 1, start=10)[0])
    assert [t["id"] for t in h.view_tasks("org-b", 0, 2000)] == ["org-b-0"]


def test_the_free_memory_goes_back_where_glibc_is_the_allocator():
    libc = os.confstr("CS_GNU_LIBC_VERSION") if hasattr(os, "confstr") else None
    assert release.release() is bool(libc and libc.startswith("glibc"))
