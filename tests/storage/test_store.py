"""The store: isolation per organisation, indexes, reset to the seed, file persistence (log + atomic snapshot)."""
from __future__ import annotations

import os

import orjson
import pytest

from mockserver.storage import Store

A, B = "org-a", "org-b"
SEED = {A: {"site": [{"id": "s1", "name": "Main"}]}, B: {"site": [{"id": "s1", "name": "Other"}]}}


@pytest.fixture
def store():
    """An in-memory store seeded with two organisations sharing a document id."""
    s = Store()
    s.seed(SEED)
    return s


def test_same_id_in_two_orgs_is_two_documents(store):
    store.put(A, "site", {"id": "s1", "name": "Changed"})
    assert store.get(A, "site", "s1")["name"] == "Changed"
    assert store.get(B, "site", "s1")["name"] == "Other"
    store.delete(B, "site", "s1")
    assert store.exists(A, "site", "s1") and not store.exists(B, "site", "s1")


def test_drop_org_leaves_the_others(store):
    store.drop_org(A)
    assert store.count(A, "site") == 0 and store.count(B, "site") == 1
    assert store.orgs() == [B]


def test_get_returns_a_copy(store):
    doc = store.get(A, "site", "s1")
    doc["name"] = "mutated"
    assert store.get(A, "site", "s1")["name"] == "Main"


def test_peek_hands_out_the_stored_document_itself_and_a_write_replaces_it(store):
    seen = store.peek(A, "site", "s1")
    assert seen == {"id": "s1", "name": "Main"} and store.peek(A, "site", "s1") is seen  # no copy per read
    assert store.peek(A, "site", "nobody") is None and store.peek(A, "site", 7) is None
    store.put(A, "site", {"id": "s1", "name": "Changed"})
    assert store.peek(A, "site", "s1")["name"] == "Changed" and seen["name"] == "Main"  # replaced, never mutated


def test_insert_refuses_a_duplicate_id(store):
    with pytest.raises(KeyError):
        store.insert(A, "site", {"id": "s1"})
    assert store.get(A, "site", "s1")["name"] == "Main"


def test_lookup_is_indexed_case_insensitive_and_per_list_element(store):
    store.put(A, "team", {"id": "t1", "name": "Blue", "siteId": "s1", "userIds": ["u1", "u2"]})
    store.put(A, "team", {"id": "t2", "name": "blue", "siteId": "s2", "userIds": ["u2"]})
    assert {d["id"] for d in store.lookup(A, "team", "name", "BLUE")} == {"t1", "t2"}
    assert [d["id"] for d in store.lookup(A, "team", "userIds", "u1")] == ["t1"]
    store.put(A, "team", {"id": "t1", "name": "Red", "siteId": "s1", "userIds": []})  # index follows writes
    assert [d["id"] for d in store.lookup(A, "team", "name", "blue")] == ["t2"]
    assert store.lookup(A, "team", "userIds", "u1") == []
    store.delete(A, "team", "t2")
    assert store.lookup(A, "team", "name", "blue") == []


def test_list_pages_in_insertion_order_and_version_counts_writes(store):
    for i in range(5):
        store.put(A, "skill", {"id": f"k{i}"})
    assert [d["id"] for d in store.list(A, "skill", 1, 3)] == ["k1", "k2"]
    before = store.version(A, "skill")
    store.put(A, "skill", {"id": "k9"})
    assert store.version(A, "skill") == before + 1 and store.version(B, "skill") == 0


def test_reset_one_org_keeps_the_others_changes(store):
    store.put(A, "site", {"id": "s2", "name": "New"})
    store.put(B, "site", {"id": "s2", "name": "New"})
    store.reset(A)
    assert store.count(A, "site") == 1 and store.get(A, "site", "s1")["name"] == "Main"
    assert store.count(B, "site") == 2


def test_reset_all_restores_the_seed_and_removes_new_orgs(store):
    store.put("org-new", "site", {"id": "x"})
    store.delete(A, "site", "s1")
    store.reset()
    assert store.orgs() == [A, B] and store.get(A, "site", "s1")["name"] == "Main"


def test_seed_is_not_aliased_by_later_writes():
    seed = {A: {"site": [{"id": "s1", "name": "Main"}]}}
    s = Store()
    s.seed(seed)
    seed[A]["site"][0]["name"] = "mutated by the caller"
    s.put(A, "site", {"id": "s1", "name": "Changed"})
    s.reset()
    assert s.get(A, "site", "s1")["name"] == "Main"


def test_export_and_restore_round_trip(store):
    snapshot = store.export(A)
    store.put(A, "site", {"id": "s9"})
    store.restore(snapshot)
    assert [d["id"] for d in store.list(A, "site")] == ["s1"]


# -- file persistence ----------------------------------------------------------------------------------------
def _open(path) -> Store:
    s = Store(str(path))
    s.seed(SEED, load=s.is_empty())
    return s


def test_file_store_keeps_writes_across_a_reopen(tmp_path):
    path = tmp_path / "state.json"
    s = _open(path)
    s.put(A, "site", {"id": "s2", "name": "Persisted"})
    s.delete(B, "site", "s1")
    s.close()
    again = _open(path)
    assert again.get(A, "site", "s2")["name"] == "Persisted"
    assert not again.exists(B, "site", "s1")


def test_acknowledged_write_is_on_disk_without_close(tmp_path):
    """No close, no flush: what a SIGKILL leaves behind must still hold every acknowledged write."""
    path = tmp_path / "state.json"
    s = _open(path)
    s.put(A, "site", {"id": "s2", "name": "Acked"})
    assert _open(path).get(A, "site", "s2")["name"] == "Acked"


def test_torn_last_log_line_is_ignored_and_later_writes_survive(tmp_path):
    path = tmp_path / "state.json"
    s = _open(path)
    s.put(A, "site", {"id": "s2", "name": "Before the crash"})
    s.close()
    with open(str(path) + ".log", "ab") as fh:  # a crash in the middle of an append
        fh.write(orjson.dumps({"op": "put", "org": A, "kind": "site", "doc": {"id": "s3"}})[:25])
    after_crash = _open(path)
    assert after_crash.get(A, "site", "s2")["name"] == "Before the crash"
    assert not after_crash.exists(A, "site", "s3")
    after_crash.put(A, "site", {"id": "s4", "name": "After the crash"})
    after_crash.close()
    assert _open(path).get(A, "site", "s4")["name"] == "After the crash"


def test_compaction_writes_a_snapshot_and_empties_the_log(tmp_path):
    path = tmp_path / "state.json"
    s = _open(path)
    for i in range(20):
        s.put(A, "skill", {"id": f"k{i}"})
    s.compact()
    assert os.path.getsize(str(path) + ".log") == 0
    ops = orjson.loads(path.read_bytes())["ops"]
    assert {o["doc"]["id"] for o in ops if o["kind"] == "skill"} == {f"k{i}" for i in range(20)}
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    s.put(A, "skill", {"id": "after"})
    s.close()
    assert _open(path).count(A, "skill") == 21


def test_failed_snapshot_write_leaves_the_previous_snapshot(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    s = _open(path)
    s.compact()
    good = path.read_bytes()
    s.put(A, "site", {"id": "s2"})

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        s.compact()
    monkeypatch.undo()
    assert path.read_bytes() == good  # untouched; the log still holds the write
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert _open(path).exists(A, "site", "s2")


def test_log_is_compacted_when_it_outgrows_the_snapshot(tmp_path, monkeypatch):
    from mockserver.storage import wal

    monkeypatch.setattr(wal.WriteAheadLog, "needs_compaction", lambda self: self._lines > 10)
    path = tmp_path / "state.json"
    s = _open(path)
    for i in range(30):
        s.put(A, "skill", {"id": f"k{i}"})
    with open(str(path) + ".log", "rb") as fh:
        assert sum(1 for _ in fh) <= 11
    s.close()
    assert _open(path).count(A, "skill") == 30


def test_reset_of_a_file_store_survives_a_reopen(tmp_path):
    path = tmp_path / "state.json"
    s = _open(path)
    s.put("org-new", "site", {"id": "x"})
    s.reset()
    s.close()
    assert _open(path).orgs() == [A, B]


def test_a_packed_reset_copy_resets_to_the_seed():
    """``pack_seed`` compresses the large tables of the reset copy; a reset afterwards gives the seed back."""
    store = Store()
    docs = [{"id": f"u{i}", "name": f"user {i}", "email": f"u{i}@acme.example"} for i in range(20000)]
    store.seed({"org-a": {"user": docs, "site": [{"id": "s1", "name": "HQ"}]}}, owned=True)
    assert store.pack_seed(min_bytes=1 << 16) > 0
    store.put("org-a", "user", {"id": "u1", "name": "renamed"})
    store.delete("org-a", "site", "s1")
    store.reset("org-a")
    assert store.get("org-a", "user", "u1") == {"id": "u1", "name": "user 1", "email": "u1@acme.example"}
    assert store.get("org-a", "site", "s1") == {"id": "s1", "name": "HQ"}
    store.reset()
    assert store.count("org-a", "user") == 20000
