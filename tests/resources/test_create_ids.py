"""A create's id: a version-4 UUID made before the store's lock is taken, from the engine's own generator (no
system call per id), unique across concurrent creates."""
from __future__ import annotations

import os
import threading
import uuid

import pytest

from mockserver.resources import engine as engine_module


def test_ids_are_version_4_uuids_in_their_text_form():
    ids = [engine_module.new_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_the_id_is_made_while_other_threads_can_take_the_store_lock(cfg, monkeypatch):
    store, made, took = cfg.rt.store, [], []

    def new_id():
        other = threading.Thread(target=lambda: took.append(store.lock.acquire(timeout=2) and store.lock.release()
                                                            is None))
        other.start()
        other.join()
        made.append(str(uuid.uuid4()))
        return made[-1]
    monkeypatch.setattr(engine_module, "new_id", new_id)
    team = cfg.create("team")  # its site is created first: two creates
    assert team["id"] == made[-1] and took == [True] * len(made) and len(made) >= 2  # no writer kept waiting
    assert cfg.get(cfg.url("team/<id>", team["id"])).get_json()["id"] == made[-1]


def test_concurrent_creates_store_every_object_under_its_own_id(cfg):
    engine = cfg.rt.resources.engines["team"]
    site = cfg.create("site")
    body = cfg.payload("team", siteId=site["id"])
    made, errors = [], []

    def create(n):
        try:
            for i in range(25):
                made.append(engine.create(cfg.org, {**body, "name": f"Concurrent {n}-{i}"})["id"])
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
    threads = [threading.Thread(target=create, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(made) == len(set(made)) == 200
    stored = {d["id"]: d for d in cfg.rt.store.list(cfg.org, "team")}
    assert all(stored[i]["version"] == 0 for i in made)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the platform has no fork")
def test_a_forked_process_draws_ids_of_its_own():
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next id, to the parent, then out without the parent's cleanup
        os.write(write, engine_module.new_id().encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    theirs = os.read(read, 64).decode()
    os.close(read)
    assert theirs != engine_module.new_id() and len(theirs) == 36
