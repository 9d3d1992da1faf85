"""The delivery state the store keeps: in memory it is written when the store is read (a snapshot sees the queue
and the log as the dispatcher holds them, a reset voids what was held); with ``--storage`` at once."""
from __future__ import annotations

import orjson
import pytest

from mockserver import create_app
from mockserver.webhooks import durable

from ..conftest import DEMO_ORG
from .conftest import Hooks
from .receiver import Receiver

pytestmark = pytest.mark.usefixtures("delivery_mode")  # every test under both workers (process, thread)


def _snapshot(hooks) -> dict:
    resp = hooks.client.get("/_mock/snapshot", query_string={"orgId": DEMO_ORG})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return orjson.loads(resp.get_data())


def test_a_snapshot_holds_the_queue_the_dispatcher_holds_and_a_restore_sends_it(receiver):
    hooks = Hooks(webhook_disable_after=0)
    receiver.gate.clear()  # the first delivery waits for its answer: the others stay queued
    sub = hooks.subscribe(receiver.url, ["agent:login"])
    events = [hooks.publish("agent:login", 1000 + i, agentId=f"a{i}") for i in range(3)]
    assert len(receiver.wait_for(1)) == 1
    queued = _snapshot(hooks)["data"][DEMO_ORG][durable.QUEUE]
    assert [(d["eventId"], d["subscriptionId"], d["attempt"]) for d in queued] == [(e.id, sub["id"], 0) for e in events]
    assert orjson.loads(queued[0]["body"]) == receiver.requests[0]["json"]  # the exact body, to send again
    receiver.gate.set()
    assert len(receiver.wait_for(3)) == 3 and hooks.rt.webhooks.wait_idle(5)
    after = _snapshot(hooks)["data"][DEMO_ORG]
    assert durable.QUEUE not in after  # every queued document removed once delivered
    assert [d["entry"]["outcome"] for d in after[durable.LOG]] == ["delivered"] * 3
    assert max(after[durable.LOG], key=lambda d: d["n"])["totals"] == {"accepted": 3, "delivered": 3}

    again, second = Hooks(), Receiver()  # the snapshot with the queue, restored into another server
    try:
        snap = {"format": 1, "scope": "org", "orgId": DEMO_ORG, "org": None,
                "data": {DEMO_ORG: {**_snapshot(again)["data"][DEMO_ORG], durable.QUEUE: queued,
                                    "webhook-subscription": [{**hooks.sub(sub["id"]), "destinationUrl": second.url}]}}}
        resp = again.client.put("/_mock/snapshot", data=orjson.dumps(snap), content_type="application/json")
        assert resp.status_code == 200, resp.get_data(as_text=True)
        assert [r["json"]["id"] for r in second.wait_for(3)] == [e.id for e in events]  # sent again, in order
        assert again.rt.webhooks.wait_idle(5)
        log = again.log(sub["id"])
        assert log["pending"] == 0 and log["totals"]["delivered"] == 3 and log["totals"]["accepted"] == 3
    finally:
        second.close()


def test_the_log_beyond_its_size_is_trimmed_when_written_and_its_totals_keep_counting(receiver):
    hooks = Hooks(webhook_log_size=3)
    sub = hooks.subscribe(receiver.url, ["agent:login"])
    store = hooks.rt.store

    def stored_log():
        docs = sorted(store.scan(DEMO_ORG, durable.LOG), key=lambda d: d["n"])
        return [d["n"] for d in docs], docs[-1]["totals"]

    for i in range(5):
        hooks.publish("agent:login", 1000 + i, agentId=f"a{i}")
    assert len(receiver.wait_for(5)) == 5 and hooks.rt.webhooks.wait_idle(5)
    assert stored_log() == ([2, 3, 4], {"accepted": 5, "delivered": 5})
    for i in range(2):
        hooks.publish("agent:login", 2000 + i, agentId=f"b{i}")
    assert len(receiver.wait_for(7)) == 7 and hooks.rt.webhooks.wait_idle(5)
    assert stored_log() == ([4, 5, 6], {"accepted": 7, "delivered": 7})
    assert [e["eventTime"] for e in hooks.log(sub["id"])["deliveries"]] == [1004, 2000, 2001]


def test_in_memory_a_delivery_queued_and_ended_between_reads_is_never_written(receiver):
    hooks = Hooks()
    hooks.subscribe(receiver.url, ["agent:login"])
    for i in range(20):
        hooks.publish("agent:login", 1000 + i, agentId=f"a{i}")
    assert len(receiver.wait_for(20)) == 20 and hooks.rt.webhooks.wait_idle(5)
    store = hooks.rt.store
    assert store.version(DEMO_ORG, durable.QUEUE) == 0 and store.version(DEMO_ORG, durable.LOG) == 0  # held
    assert len(store.scan(DEMO_ORG, durable.LOG)) == 20 and store.scan(DEMO_ORG, durable.QUEUE) == []  # on read
    assert store.version(DEMO_ORG, durable.QUEUE) == 0  # never a queue document: each ended before the read


def test_a_reset_voids_what_was_held_for_the_organisation(receiver):
    hooks = Hooks()
    sub = hooks.subscribe(receiver.url, ["agent:login"])
    for i in range(3):
        hooks.publish("agent:login", 1000 + i, agentId=f"a{i}")
    assert len(receiver.wait_for(3)) == 3 and hooks.rt.webhooks.wait_idle(5)  # its log held, not yet written
    assert hooks.client.post(f"/_mock/orgs/{DEMO_ORG}/reset").status_code == 204
    store = hooks.rt.store
    assert store.scan(DEMO_ORG, durable.QUEUE) == [] and store.scan(DEMO_ORG, durable.LOG) == []
    assert durable.LOG not in _snapshot(hooks)["data"][DEMO_ORG]
    resp = hooks.client.get(f"/_mock/webhooks/{DEMO_ORG}/v1/subscriptions/{sub['id']}/deliveries")
    assert resp.status_code == 404, resp.get_data(as_text=True)


def test_with_storage_a_queued_delivery_is_in_the_file_before_it_is_sent(tmp_path, receiver):
    path = tmp_path / "state.json"
    hooks = Hooks(storage=str(path))
    receiver.gate.clear()
    hooks.subscribe(receiver.url, ["agent:login"])
    event = hooks.publish("agent:login", 1000, agentId="a1")
    log = (tmp_path / "state.json.log").read_bytes()  # what a SIGKILL now would leave: no read of the store first
    assert event.id.encode() in log and durable.QUEUE.encode() in log
    assert len(receiver.wait_for(1)) == 1
    receiver.gate.set()
    assert hooks.rt.webhooks.wait_idle(5)
    hooks.rt.store.close()
    again = create_app({"access_log": False, "storage": str(path)}).extensions["wxcc"]
    [entry] = again.webhooks.history(DEMO_ORG, "v1", hooks.rt.store.scan(DEMO_ORG, "webhook-subscription")[0]["id"])
    assert entry["eventId"] == event.id and entry["outcome"] == "delivered"
