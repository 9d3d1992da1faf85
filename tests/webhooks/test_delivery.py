"""Delivery is real: signed envelopes POSTed to a receiver on 127.0.0.1, in event-time order per subscription;
failures, retries with back-off, the disable rule and re-enabling; redirects, timeouts and a full queue."""
from __future__ import annotations

import hashlib
import hmac
import time

import pytest

from ..conftest import DEMO_ORG
from .conftest import SECRET, Hooks
from .receiver import Receiver

pytestmark = pytest.mark.usefixtures("delivery_mode")  # every test under both workers (process, thread)


def valid(req, secret=SECRET) -> bool:
    expected = hmac.new(secret.encode(), req["raw"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(req["headers"].get("x-webexcc-signature", ""), expected)


def test_v1_envelope_and_signature(hooks, receiver):
    sub = hooks.subscribe(receiver.url, ["agent:login"])
    event = hooks.publish("agent:login", 1_720_000_000_000, agentId="a1", destination="5551234",
                          createdTime=1_720_000_000_000)
    hooks.publish("agent:logout", 1_720_000_000_500, agentId="a1")  # not subscribed
    [req] = receiver.wait_for(1)
    assert req["path"] == "/hooks/wxcc" and valid(req)
    assert req["headers"]["content-type"] == "application/json"
    assert req["json"] == {"id": event.id, "specversion": "1.0", "type": "agent:login",
                           "source": f"/com/cisco/wxcc/{sub['id']}", "comciscoorgid": DEMO_ORG,
                           "datacontenttype": "application/json",
                           "data": {"agentId": "a1", "destination": "5551234", "createdTime": 1_720_000_000_000}}
    assert "x-webexcc-timestamp" not in req["headers"]
    assert hooks.rt.webhooks.wait_idle(5)
    [entry] = hooks.log(sub["id"])["deliveries"]
    assert entry["eventId"] == event.id and entry["outcome"] == "delivered" and entry["httpStatus"] == 200
    assert entry["attempt"] == 1 and entry["latencyMs"] >= 0 and entry["nextRetryTime"] is None
    assert len(receiver.wait_for(2, timeout=0.3)) == 1  # the logout never came


def test_v2_headers_and_no_signature_without_a_secret(hooks, receiver):
    sub = hooks.subscribe(receiver.url, ["task:new"], version="v2", resourceVersion="task:1.0.0")
    bare = hooks.subscribe(receiver.url, ["task:new"], secret=None)
    hooks.publish("task:new", 1_720_000_000_000, taskId="t1", channelType="telephony", direction="INBOUND")
    reqs = receiver.wait_for(2)
    by_source = {r["json"]["source"].rsplit("/", 1)[1]: r for r in reqs}
    v2 = by_source[sub["id"]]
    assert valid(v2) and v2["headers"]["x-webexcc-webhook-version"] == "task:1.0.0"
    assert v2["headers"]["x-webexcc-timestamp"] == str(v2["json"]["comciscotimestamp"])
    assert "x-webexcc-signature" not in by_source[bare["id"]]["headers"]
    assert "comciscotimestamp" not in by_source[bare["id"]]["json"]


def test_order_follows_event_time_per_subscription(hooks, receiver):
    receiver.answers = [(200, 0.3)]  # the first delivery is slow: the others queue behind it
    sub = hooks.subscribe(receiver.url, ["task:new", "task:parked", "task:connected"])
    hooks.publish("task:new", 1000, taskId="t")
    time.sleep(0.1)
    hooks.publish("task:connected", 3000, taskId="t")
    hooks.publish("task:parked", 2000, taskId="t")
    reqs = receiver.wait_for(3)
    assert [r["json"]["type"] for r in reqs] == ["task:new", "task:parked", "task:connected"]
    assert hooks.rt.webhooks.wait_idle(5) and hooks.log(sub["id"])["pending"] == 0


def test_failures_are_retried_with_back_off_then_given_up():
    hooks = Hooks(webhook_retries=2, webhook_backoff=0.1, webhook_disable_after=0)
    receiver = Receiver(default=(500, 0.0))
    try:
        sub = hooks.subscribe(receiver.url, ["agent:login"])
        event = hooks.publish("agent:login", 1000, agentId="a1")
        reqs = receiver.wait_for(3)
        assert hooks.rt.webhooks.wait_idle(5)
        assert len(reqs) == 3 and len({r["raw"] for r in reqs}) == 1  # the same bytes, the same event id
        assert reqs[0]["json"]["id"] == event.id and all(valid(r) for r in reqs)
        gaps = [b["at"] - a["at"] for a, b in zip(reqs, reqs[1:])]
        assert gaps[0] >= 0.09 and gaps[1] >= 0.19  # 0.1 s, then twice that
        log = hooks.log(sub["id"])["deliveries"]
        assert [(e["attempt"], e["outcome"], e["httpStatus"]) for e in log] == [
            (1, "retrying", 500), (2, "retrying", 500), (3, "failed", 500)]
        assert log[0]["nextRetryTime"] is not None and log[2]["nextRetryTime"] is None
        assert "500" in log[2]["error"]
        assert hooks.sub(sub["id"])["status"] == "active"  # no disable rule in this configuration
    finally:
        receiver.close()


def test_consecutive_failures_turn_the_subscription_inactive_and_patch_reenables_it():
    hooks = Hooks(webhook_retries=0, webhook_disable_after=3)
    receiver = Receiver(default=(503, 0.0))
    try:
        sub = hooks.subscribe(receiver.url, ["agent:state_change"])
        for i in range(5):
            hooks.publish("agent:state_change", 1000 + i, agentId="a1", currentState="idle")
        assert hooks.rt.webhooks.wait_idle(5)
        assert len(receiver.requests) == 3
        assert hooks.sub(sub["id"])["status"] == "inactive"
        outcomes = [e["outcome"] for e in hooks.log(sub["id"])["deliveries"]]
        assert outcomes == ["failed", "failed", "failed", "dropped", "dropped"]
        hooks.publish("agent:state_change", 2000, agentId="a1", currentState="available")
        assert hooks.rt.webhooks.wait_idle(5) and len(receiver.requests) == 3  # inactive: nothing sent
        receiver.default = (204, 0.0)
        resp = hooks.client.patch(f"/v1/subscriptions/{sub['id']}", json={"status": "active"}, headers=hooks.headers)
        assert resp.status_code == 200 and resp.get_json()["data"]["status"] == "active"
        hooks.publish("agent:state_change", 3000, agentId="a1", currentState="wrapup")
        reqs = receiver.wait_for(4)
        assert reqs[-1]["json"]["data"]["currentState"] == "wrapup"
        assert hooks.rt.webhooks.wait_idle(5) and hooks.log(sub["id"])["deliveries"][-1]["outcome"] == "delivered"
    finally:
        receiver.close()


def test_a_redirect_is_a_failure_and_is_not_followed():
    hooks = Hooks(webhook_disable_after=0)
    receiver = Receiver(default=(302, 0.0))
    try:
        sub = hooks.subscribe(receiver.url, ["agent:login"])
        hooks.publish("agent:login", 1000, agentId="a1")
        assert hooks.rt.webhooks.wait_idle(5)
        assert [r["path"] for r in receiver.requests] == ["/hooks/wxcc"]  # /elsewhere never asked
        [entry] = hooks.log(sub["id"])["deliveries"]
        assert entry["outcome"] == "failed" and entry["httpStatus"] == 302 and "redirect" in entry["error"]
    finally:
        receiver.close()


def test_no_answer_within_the_timeout_is_a_failure():
    hooks = Hooks(webhook_timeout=1, webhook_disable_after=0)
    receiver = Receiver(default=(200, 1.5))
    try:
        sub = hooks.subscribe(receiver.url, ["agent:login"])
        hooks.publish("agent:login", 1000, agentId="a1")
        assert hooks.rt.webhooks.wait_idle(5)
        [entry] = hooks.log(sub["id"])["deliveries"]
        assert entry["outcome"] == "failed" and entry["httpStatus"] is None and "timed out" in entry["error"]
    finally:
        receiver.close()


def test_a_dead_receiver_fails_fast_and_a_full_queue_drops_without_blocking():
    hooks = Hooks(webhook_queue_size=2, webhook_disable_after=0)
    receiver = Receiver()
    receiver.gate.clear()  # the receiver takes requests but answers none until the gate opens
    try:
        sub = hooks.subscribe(receiver.url, ["agent:login"])
        for i in range(6):
            hooks.publish("agent:login", 1000 + i, agentId=f"a{i}")
        assert receiver.answered == 0  # every publication returned with no answer yet: it never waits for one
        receiver.gate.set()
        assert hooks.rt.webhooks.wait_idle(10)
        log = hooks.log(sub["id"])["deliveries"]
        dropped = [e for e in log if e["outcome"] == "dropped"]
        assert dropped and all(e["error"] == "delivery queue full" for e in dropped)
        assert len(receiver.requests) == len([e for e in log if e["outcome"] == "delivered"]) == 6 - len(dropped)
    finally:
        receiver.close()
    dead = Hooks(webhook_disable_after=0)
    gone = Receiver()
    url = gone.url
    gone.close()  # nothing listens there any more
    sub = dead.subscribe(url, ["agent:login"])
    dead.publish("agent:login", 1000, agentId="a1")
    assert dead.rt.webhooks.wait_idle(5)
    [entry] = dead.log(sub["id"])["deliveries"]
    assert entry["outcome"] == "failed" and "Connection" in entry["error"]


def test_deleting_a_subscription_drops_its_queue_and_log(hooks, receiver):
    sub = hooks.subscribe(receiver.url, ["agent:login"])
    hooks.publish("agent:login", 1000, agentId="a1")
    receiver.wait_for(1)
    assert hooks.client.delete(f"/v1/subscriptions/{sub['id']}", headers=hooks.headers).status_code == 204
    hooks.publish("agent:login", 2000, agentId="a1")
    assert hooks.rt.webhooks.wait_idle(5) and len(receiver.requests) == 1
    resp = hooks.client.get(f"/_mock/webhooks/{DEMO_ORG}/v1/subscriptions/{sub['id']}/deliveries")
    assert resp.status_code == 404 and sub["id"] in resp.get_json()["error"]["reason"]


def test_a_receiver_that_keeps_connections_open_gets_one_connection():
    hooks = Hooks()
    receiver = Receiver(keep_alive=True)
    try:
        sub = hooks.subscribe(receiver.url, ["agent:login"])
        for i in range(5):
            hooks.publish("agent:login", 1000 + i, agentId=f"a{i}")
        reqs = receiver.wait_for(5)
        assert len({r["peer"] for r in reqs}) == 1 and all(valid(r) for r in reqs)
        assert hooks.rt.webhooks.wait_idle(5)
        assert hooks.log(sub["id"])["totals"] == {"accepted": 5, "delivered": 5, "retrying": 0, "failed": 0,
                                                  "dropped": 0}
    finally:
        receiver.close()


@pytest.mark.parametrize("secret,body", [("s3cret", b'{"id":"1"}'), ("clé-ü", b""), ("x" * 200, b"\x00\xff" * 5000)])
def test_the_signature_is_the_hex_hmac_sha256_of_the_exact_body(secret, body):
    from mockserver.webhooks.envelope import signature

    assert signature(secret, body) == hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
