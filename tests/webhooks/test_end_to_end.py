"""End to end: a receiver on 127.0.0.1 subscribed on both versions gets every event of a contact's life and of an
agent's login and state changes, in order, each validly signed; then it fails: retries, back-off, the disable
rule, and re-enabling. The events are what the simulation publishes on the bus (runtime facts 3.4, 3.5)."""
from __future__ import annotations

from ..conftest import DEMO_ORG
from .conftest import Hooks
from .receiver import Receiver
from .test_delivery import valid

AGENT, TASK, QUEUE, T0 = "agent-1", "task-1", "queue-1", 1_767_225_600_000
LIFE = [  # (type, ms after T0, data)
    ("agent:login", 0, {"agentId": AGENT, "destination": "+15551001", "createdTime": T0}),
    ("agent:state_change", 1_000, {"agentId": AGENT, "currentState": "available"}),
    ("task:new", 10_000, {"taskId": TASK, "channelType": "telephony", "direction": "INBOUND", "origin": "+4917"}),
    ("task:parked", 25_000, {"taskId": TASK, "queueId": QUEUE}),
    ("task:connect", 26_000, {"taskId": TASK, "queueId": QUEUE, "agentId": AGENT}),
    ("agent:state_change", 26_000, {"agentId": AGENT, "currentState": "ringing", "taskId": TASK}),
    ("task:connected", 30_000, {"taskId": TASK, "queueId": QUEUE, "agentId": AGENT}),
    ("agent:state_change", 30_000, {"agentId": AGENT, "currentState": "connected", "taskId": TASK}),
    ("task:ended", 200_000, {"taskId": TASK, "reason": "normal", "terminatingParty": "customer"}),
    ("agent:state_change", 200_000, {"agentId": AGENT, "currentState": "wrapup", "taskId": TASK}),
    ("agent:state_change", 230_000, {"agentId": AGENT, "currentState": "available"}),
    ("agent:logout", 900_000, {"agentId": AGENT, "currentState": "logged_out"}),
]


def _live(hooks):
    for type_, at, data in LIFE:
        hooks.publish(type_, T0 + at, **data, **({"createdTime": T0 + at} if "createdTime" not in data else {}))


def test_a_contacts_life_and_an_agents_day_arrive_in_order_and_signed():
    hooks, receiver = Hooks(), Receiver()
    try:
        tasks = hooks.subscribe(receiver.url, sorted({t for t, _, _ in LIFE if t.startswith("task:")}), version="v2",
                                resourceVersion="task:1.0.0")
        agents = hooks.subscribe(receiver.url, sorted({t for t, _, _ in LIFE if t.startswith("agent:")}))
        _live(hooks)
        reqs = receiver.wait_for(len(LIFE))
        assert hooks.rt.webhooks.wait_idle(5)
        assert len(reqs) == len(LIFE) and all(valid(r) for r in reqs)
        by_sub = {tasks["id"]: [], agents["id"]: []}
        for r in reqs:
            by_sub[r["json"]["source"].rsplit("/", 1)[1]].append(r["json"])
        assert [(e["type"], e["data"]) for e in by_sub[tasks["id"]]] == [
            (t, {**d, "createdTime": T0 + at}) for t, at, d in LIFE if t.startswith("task:")]
        assert [(e["type"], e["data"].get("currentState")) for e in by_sub[agents["id"]]] == [
            (t, d.get("currentState")) for t, _, d in LIFE if t.startswith("agent:")]
        assert all(e["comciscoorgid"] == DEMO_ORG and "comciscotimestamp" in e for e in by_sub[tasks["id"]])
        assert len({e["id"] for e in by_sub[tasks["id"]] + by_sub[agents["id"]]}) == len(LIFE)
    finally:
        receiver.close()


def test_then_the_receiver_fails_retries_back_off_and_the_disable_rule():
    hooks = Hooks(webhook_retries=1, webhook_backoff=0.1, webhook_disable_after=4)
    receiver = Receiver(default=(500, 0.0))
    try:
        sub = hooks.subscribe(receiver.url, ["task:new", "task:parked", "task:connect", "task:connected",
                                             "task:ended"])
        _live(hooks)
        assert hooks.rt.webhooks.wait_idle(10)
        log = hooks.log(sub["id"])
        # two events, each tried twice (one retry 0.1 s later), make four consecutive failures: inactive
        assert [(e["eventType"], e["attempt"], e["outcome"]) for e in log["deliveries"]] == [
            ("task:new", 1, "retrying"), ("task:new", 2, "failed"), ("task:parked", 1, "retrying"),
            ("task:parked", 2, "failed"), ("task:connect", 0, "dropped"), ("task:connected", 0, "dropped"),
            ("task:ended", 0, "dropped")]
        assert len(receiver.requests) == 4 and receiver.requests[1]["at"] - receiver.requests[0]["at"] >= 0.09
        assert receiver.requests[0]["raw"] == receiver.requests[1]["raw"]  # the retry is the same delivery
        assert hooks.sub(sub["id"])["status"] == "inactive"
        receiver.default = (200, 0.0)
        assert hooks.client.patch(f"/v1/subscriptions/{sub['id']}", json={"status": "active"},
                                  headers=hooks.headers).status_code == 200
        _live(hooks)
        assert len(receiver.wait_for(9)) == 9 and hooks.rt.webhooks.wait_idle(5)
        assert [r["json"]["type"] for r in receiver.requests[4:]] == [
            "task:new", "task:parked", "task:connect", "task:connected", "task:ended"]
    finally:
        receiver.close()
