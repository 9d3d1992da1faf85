"""The event bus fans out in order and survives a broken subscriber; history keeps records by time and id."""
from __future__ import annotations

import random
import uuid

from mockserver.activity.bus import EventBus
from mockserver.activity.history import History
from mockserver.clock import uuid4_text


def test_bus_delivers_in_publication_order_and_survives_a_broken_subscriber():
    bus, got = EventBus(), []
    bus.subscribe(lambda e: 1 / 0)
    stop = bus.subscribe(got.append)
    first = bus.publish("org", "task:new", 1000, {"taskId": "t1"})
    bus.publish("org", "task:ended", 2000, {"taskId": "t1"})
    stop()
    bus.publish("org", "task:new", 3000, {"taskId": "t2"})
    assert [(e.type, e.data["taskId"], e.seq) for e in got] == [("task:new", "t1", 1), ("task:ended", "t1", 2)]
    assert first.id and first.id != got[1].id


def test_history_windows_replaces_by_id_and_copies_out():
    h = History()
    h.put_task("org", {"id": "a", "createdTime": 200, "status": "new"})
    h.put_task("org", {"id": "b", "createdTime": 100, "status": "new"})
    h.put_task("org", {"id": "a", "createdTime": 200, "status": "ended"})
    assert [t["id"] for t in h.tasks("org", 0, 1000)] == ["b", "a"]
    assert [t["id"] for t in h.tasks("org", 150, 1000)] == ["a"]
    assert h.task("org", "a")["status"] == "ended"
    h.tasks("org", 0, 1000)[0]["status"] = "changed"
    assert h.task("org", "b")["status"] == "new"
    assert h.tasks("other", 0, 1000) == []
    h.reset("org")
    assert h.tasks("org", 0, 1000) == []


def test_an_id_is_the_uuid4_text_of_its_bits():
    rng = random.Random(3)
    for bits in [0, (1 << 128) - 1, *(rng.getrandbits(128) for _ in range(2000))]:
        assert uuid4_text(bits) == str(uuid.UUID(int=bits, version=4))
