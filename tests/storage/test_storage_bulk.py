"""Bulk loading in the store: seed/restore as one operation per table, replay of logs and snapshots, growth."""
from __future__ import annotations

import orjson

from mockserver.storage import Store

ORG = "org-1"


def _docs(n, prefix="u"):
    return [{"id": f"{prefix}{i}", "email": f"{prefix}{i}@x.example", "n": i} for i in range(n)]


def test_restore_is_one_log_line_per_table_and_a_restart_sees_the_same_state(tmp_path):
    path = tmp_path / "state.json"
    store = Store(str(path))
    store.seed({ORG: {"user": _docs(500), "team": _docs(3, "t")}})
    lines = (tmp_path / "state.json.log").read_bytes().splitlines()
    assert [orjson.loads(line)["op"] for line in lines] == ["drop", "putmany", "putmany"]
    store.close()
    again = Store(str(path))
    assert again.count(ORG, "user") == 500 and again.count(ORG, "team") == 3
    assert [d["id"] for d in again.lookup(ORG, "user", "email", "U42@X.EXAMPLE")] == ["u42"]


def test_a_write_appends_one_line_and_leaves_the_snapshot_alone(tmp_path):
    path = tmp_path / "state.json"
    store = Store(str(path))
    store.seed({ORG: {"user": _docs(1000)}})
    store.compact()
    snapshot = path.read_bytes()
    log_before = (tmp_path / "state.json.log").stat().st_size
    store.insert(ORG, "user", {"id": "new", "email": "new@x.example"})
    grown = (tmp_path / "state.json.log").stat().st_size - log_before
    assert path.read_bytes() == snapshot
    assert 0 < grown < 200  # one short line, whatever the size of the table


def test_snapshot_reloads_in_bulk_with_writes_and_deletes_applied(tmp_path):
    path = tmp_path / "state.json"
    store = Store(str(path))
    store.seed({ORG: {"user": _docs(50), "team": _docs(2, "t")}})
    store.put(ORG, "user", {"id": "u1", "email": "changed@x.example"})
    store.delete(ORG, "user", "u2")
    store.compact()
    store.close()
    ops = orjson.loads(path.read_bytes())["ops"]
    assert sum(1 for op in ops if op["org"] == ORG and op["kind"] == "user") == 49
    again = Store(str(path))
    assert again.get(ORG, "user", "u1")["email"] == "changed@x.example"
    assert again.get(ORG, "user", "u2") is None
    assert again.lookup(ORG, "user", "email", "u1@x.example") == []


def test_a_log_of_single_puts_replays_in_order_with_the_last_put_winning(tmp_path):
    path = tmp_path / "state.json"
    ops = [{"op": "put", "org": ORG, "kind": "user", "doc": {"id": "a", "email": "first@x.example"}},
           {"op": "put", "org": ORG, "kind": "user", "doc": {"id": "b", "email": "b@x.example"}},
           {"op": "put", "org": ORG, "kind": "user", "doc": {"id": "a", "email": "second@x.example"}},
           {"op": "del", "org": ORG, "kind": "user", "id": "b"},
           {"op": "put", "org": ORG, "kind": "user", "doc": {"id": "b", "email": "back@x.example"}}]
    (tmp_path / "state.json.log").write_bytes(b"".join(orjson.dumps(op) + b"\n" for op in ops))
    store = Store(str(path))
    assert [d["id"] for d in store.list(ORG, "user")] == ["a", "b"]
    assert store.get(ORG, "user", "a")["email"] == "second@x.example"
    assert store.lookup(ORG, "user", "email", "first@x.example") == []
    assert store.get(ORG, "user", "b")["email"] == "back@x.example"


def test_bulk_put_over_indexed_documents_keeps_the_index_right():
    store = Store()
    store.seed({ORG: {"user": _docs(3)}})
    assert store.lookup(ORG, "user", "email", "u1@x.example")  # builds the index
    store.restore({ORG: {"user": [{"id": "u1", "email": "one@x.example"}, {"id": "u1", "email": "uno@x.example"}]}})
    assert store.lookup(ORG, "user", "email", "u1@x.example") == []
    assert store.lookup(ORG, "user", "email", "one@x.example") == []
    assert [d["id"] for d in store.lookup(ORG, "user", "email", "uno@x.example")] == ["u1"]


def test_reset_brings_back_the_seed_after_writes_when_the_seed_was_handed_over():
    store = Store()
    seed = {ORG: {"user": _docs(3)}}
    store.seed(seed, owned=True)
    store.put(ORG, "user", {"id": "u0", "email": "changed@x.example"})
    store.insert(ORG, "user", {"id": "extra", "email": "extra@x.example"})
    store.reset()
    assert [d["id"] for d in store.list(ORG, "user")] == ["u0", "u1", "u2"]
    assert store.get(ORG, "user", "u0")["email"] == "u0@x.example"
    assert store.seed_orgs() == [ORG]
