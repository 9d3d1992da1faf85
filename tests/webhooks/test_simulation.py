"""Done-when of the webhooks, through the simulation: a receiver on 127.0.0.1 subscribed to task and agent events
gets every event of a contact's life (arrive, queue, offer, connect, end, wrap-up) and of an agent's login and
state changes, in the order the simulation published them, each validly signed; then the receiver fails, and the
retries, the back-off and the disable rule follow. Driven over HTTP as an integration would (tests/activity)."""
from __future__ import annotations

from mockserver import create_app

from ..activity.drive import DEMO_ORG, NOW_S, Driver
from .conftest import SECRET
from .receiver import Receiver
from .test_delivery import valid

TASK_EVENTS = ["task:new", "task:parked", "task:connect", "task:connected", "task:ended", "task:failed",
               "task:on-hold", "task:hold-done"]
AGENT_EVENTS = ["agent:login", "agent:logout", "agent:state_change"]


class Center(Driver):
    """The simulation's driver plus a subscriber's view (config read/write token)."""

    def __init__(self, **settings):
        super().__init__(create_app({"access_log": False, "webhook_backoff": 0.1, **settings}))
        self.hooks = self._headers("full.admin@acme.example", ["cjp:config_read", "cjp:config_write"])

    def subscribe(self, url, events, version="v1", **extra):
        body = {"name": "Integration hooks", "eventTypes": events, "destinationUrl": url, "secret": SECRET, **extra}
        resp = self.client.post(f"/{version}/subscriptions", json=body, headers=self.hooks)
        assert resp.status_code == 201, resp.get_data(as_text=True)
        return resp.get_json()["data"]

    def life(self):
        """An agent logs in and becomes available; a contact arrives, is offered, answered, ended, wrapped up;
        the agent logs out."""
        self.login(self.a, "+15551001")
        tid = self.contact()
        self.ok(self.a, tid, "accept")
        self.rt.clock.advance(120)
        self.ok(self.a, tid, "end")
        self.ok(self.a, tid, "wrapup")
        resp = self.client.put("/v1/agents/logout", json={"logoutReason": "end of shift"}, headers=self.a)
        assert resp.status_code == 202, resp.get_data(as_text=True)
        return tid

    def published(self, types):
        return [e for e in self.events if e.type in types]


def test_a_contact_and_an_agent_reach_the_receiver_in_order_and_signed():
    center, receiver = Center(), Receiver()
    try:
        tasks = center.subscribe(receiver.url, TASK_EVENTS, version="v2", resourceVersion="task:1.0.0")
        agents = center.subscribe(receiver.url, AGENT_EVENTS)
        tid = center.life()
        want_tasks, want_agents = center.published(TASK_EVENTS), center.published(AGENT_EVENTS)
        assert [e.type for e in want_tasks][:2] == ["task:new", "task:parked"] and "task:ended" in \
            [e.type for e in want_tasks]
        assert {"agent:login", "agent:logout"} <= {e.type for e in want_agents}
        reqs = receiver.wait_for(len(want_tasks) + len(want_agents))
        assert center.rt.webhooks.wait_idle(10)
        assert all(valid(r) for r in reqs) and len(reqs) == len(want_tasks) + len(want_agents)
        got = {tasks["id"]: [], agents["id"]: []}
        for r in reqs:
            got[r["json"]["source"].rsplit("/", 1)[1]].append(r["json"])
        assert [(e["id"], e["type"], e["data"]) for e in got[tasks["id"]]] == [
            (e.id, e.type, e.data) for e in want_tasks]
        assert [(e["id"], e["type"]) for e in got[agents["id"]]] == [(e.id, e.type) for e in want_agents]
        assert all(e["data"]["taskId"] == tid for e in got[tasks["id"]])
        assert [e["data"]["createdTime"] for e in got[tasks["id"]]] == sorted(
            e["data"]["createdTime"] for e in got[tasks["id"]])  # event time order
        v2 = [r for r in reqs if r["json"]["source"].endswith(tasks["id"])]
        assert all(r["headers"]["x-webexcc-webhook-version"] == "task:1.0.0" for r in v2)
    finally:
        receiver.close()


def test_then_the_receiver_fails_retries_back_off_and_the_disable_rule():
    center = Center(webhook_retries=1, webhook_disable_after=4)
    receiver = Receiver(default=(503, 0.0))
    try:
        sub = center.subscribe(receiver.url, TASK_EVENTS)
        center.life()
        assert center.rt.webhooks.wait_idle(10)
        log = center.client.get(f"/_mock/webhooks/{DEMO_ORG}/v1/subscriptions/{sub['id']}/deliveries").get_json()
        outcomes = [(e["attempt"], e["outcome"]) for e in log["deliveries"]]
        assert outcomes[:4] == [(1, "retrying"), (2, "failed"), (1, "retrying"), (2, "failed")]
        # two events tried twice each (4 consecutive failures: inactive), every later one dropped unsent
        assert outcomes[4:] == [(0, "dropped")] * (len(center.published(TASK_EVENTS)) - 2)
        assert len(receiver.requests) == 4 and receiver.requests[1]["at"] - receiver.requests[0]["at"] >= 0.09
        got = center.client.get(f"/v1/subscriptions/{sub['id']}", headers=center.hooks).get_json()["data"]
        assert got["status"] == "inactive"
        receiver.default = (200, 0.0)
        assert center.client.patch(f"/v1/subscriptions/{sub['id']}", json={"status": "active"},
                                   headers=center.hooks).status_code == 200
        before = len(center.events)
        center.life()
        again = [e for e in center.events[before:] if e.type in TASK_EVENTS]
        reqs = receiver.wait_for(4 + len(again))
        assert [r["json"]["id"] for r in reqs[4:]] == [e.id for e in again] and all(valid(r) for r in reqs[4:])
    finally:
        receiver.close()


def test_a_subscription_alone_receives_the_generators_events_with_the_ids_of_an_observed_run():
    past = {"from": NOW_S * 1000 - 3 * 3_600_000, "to": NOW_S * 1000 - 2 * 3_600_000, "seed": 11, "rate": 6}
    observed = Center()
    assert observed.client.post(f"/_mock/activity/{DEMO_ORG}", json=past).status_code == 200
    want = [(e.id, e.data["taskId"]) for e in observed.events if e.type == "task:new"]
    center, receiver = Center(), Receiver()
    try:
        center.stop()  # the subscription is the organisation's only listener
        assert not center.rt.bus.listening(DEMO_ORG)
        center.subscribe(receiver.url, ["task:new"])
        assert center.rt.bus.listening(DEMO_ORG)
        resp = center.client.post(f"/_mock/activity/{DEMO_ORG}", json=past)
        assert resp.status_code == 200 and resp.get_json()["scheduledContacts"] == len(want) > 0
        reqs = receiver.wait_for(len(want))
        assert center.rt.webhooks.wait_idle(10)
        assert [(r["json"]["id"], r["json"]["data"]["taskId"]) for r in reqs] == want
    finally:
        receiver.close()
