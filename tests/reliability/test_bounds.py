"""Every bound crossed once, and the answer the documentation gives for it (docs/reliability.md, "Bounds"):
websocket connections and queues, the event bus, the activity history. Bounds with their own area's tests
(uploads, GraphQL, the webhook queue) are crossed there; the table names each test."""
from __future__ import annotations

import json
import logging
import time

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from mockserver import create_app
from mockserver.activity.generator import MAX_ARRIVALS
from mockserver.ccapi import hub as hub_module
from mockserver.search import engine
from mockserver.search.filters import MAX_PATTERN
from mockserver.testing import LiveServer
from mockserver.webhooks.delivery import MAX_BODY

from ..activity.drive import Driver, fresh
from ..activity.test_generator import TRAFFIC
from ..conftest import DEMO_ORG
from ..search.conftest import World
from ..search.test_errors_and_limits import refused
from ..webhooks.conftest import Hooks
from ..webhooks.receiver import Receiver


@pytest.fixture
def limited():
    app = create_app({"access_log": False, "websocket_connections_per_org": 2, "websocket_queue_size": 3})
    with LiveServer(app) as server:
        yield server, Driver(app), app.extensions["wxcc"]
        app.extensions["wxcc"].activity.hub.stop()


def _url(server, d) -> str:
    # allowMultiLogin: the user's own limit (10 per clientType, test_websocket_limits.py) is above the org's here
    resp = requests.post(f"{server.url}/v1/realtime/subscribe", json={"allowMultiLogin": True}, headers=d.a,
                         timeout=5)
    assert resp.status_code == 200, resp.text
    return resp.json()["webSocketUrl"]


def test_websocket_connections_per_org_over_the_limit_are_closed_1013(limited, caplog):
    server, d, rt = limited
    url = _url(server, d)
    with connect(url, open_timeout=5) as one, connect(url, open_timeout=5) as two:
        for ws in (one, two):
            assert json.loads(ws.recv(timeout=5))["type"] == "Welcome"
        with caplog.at_level(logging.WARNING, "mockserver.activity"), connect(url, open_timeout=5) as three:
            with pytest.raises(ConnectionClosed) as closed:
                three.recv(timeout=5)
        assert closed.value.rcvd.code == 1013 and "too many websocket connections" in closed.value.rcvd.reason
        assert "has 2 open connections" in caplog.text
        assert len(rt.activity.hub.conns) == 2  # the two others are still served
        one.send(json.dumps({"keepalive": "true"}))
        assert json.loads(one.recv(timeout=5)) == {"keepalive": "true"}
    for _ in range(100):  # bounded: the server notices a close within its 0.2 s poll
        if not rt.activity.hub.conns:
            break
        time.sleep(0.05)
    with connect(url, open_timeout=5) as again:  # the closed ones free their places
        assert json.loads(again.recv(timeout=5))["type"] == "Welcome"


def test_a_slow_websocket_reader_loses_its_oldest_messages_with_a_log_line(caplog):
    app = create_app({"access_log": False, "websocket_queue_size": 3})
    rt = app.extensions["wxcc"]
    hub = rt.activity.hub
    cid, q = hub._register({"org": DEMO_ORG, "kind": "realtime", "user": "u1", "keepalive": False})
    with caplog.at_level(logging.WARNING, "mockserver.activity"):
        for n in range(5):  # nobody reads: the bus must not wait
            rt.bus.publish(DEMO_ORG, "task:new", 1000 + n, {"taskId": f"t{n}"})
    kept = [q.get_nowait()["data"]["taskId"] for _ in range(q.qsize())]
    assert kept == ["t2", "t3", "t4"] and hub.dropped[cid] == 2
    assert "1 oldest message(s) dropped" in caplog.text and "MOCKSERVER_WEBSOCKET_QUEUE_SIZE=3" in caplog.text


def _task(n: int) -> dict:
    return {"id": f"t{n:03}", "createdTime": 1000 + n, "channelType": "telephony", "status": "ended",
            "isActive": False}


def test_the_activity_history_keeps_the_newest_records_and_says_what_it_dropped(caplog):
    app = create_app({"access_log": False, "activity_history_size": 100})
    history = app.extensions["wxcc"].history
    with caplog.at_level(logging.WARNING, "mockserver.activity"):
        for n in range(100):
            history.put_task(DEMO_ORG, _task(n))
        assert not caplog.records  # at the bound, nothing goes
        history.put_task(DEMO_ORG, _task(100))
    kept = [t["id"] for t in history.tasks(DEMO_ORG, 0, 10_000)]
    assert kept == [f"t{n:03}" for n in range(2, 101)]  # the two oldest, never others
    assert [t["id"] for t in history.view_tasks(DEMO_ORG, 0, 10_000)] == kept  # the search view agrees
    assert history.task(DEMO_ORG, "t000") is None and history.task(DEMO_ORG, "t100")["createdTime"] == 1100
    [line] = [r.getMessage() for r in caplog.records]
    assert f"organization {DEMO_ORG}: 2 oldest task records dropped (times 1000 to 1001)" in line
    assert "MOCKSERVER_ACTIVITY_HISTORY_SIZE=100" in line
    history.put_task(DEMO_ORG, {**_task(50), "status": "replaced"})  # a replace is no new record: nothing goes
    assert len(history.tasks(DEMO_ORG, 0, 10_000)) == 99 and history.task(DEMO_ORG, "t050")["status"] == "replaced"
    with caplog.at_level(logging.WARNING, "mockserver.activity"):
        history.put_task(DEMO_ORG, _task(1))  # older than what went: not kept, and said so once
        history.put_task(DEMO_ORG, _task(0))
    assert history.task(DEMO_ORG, "t001") is None and history.view_tasks(DEMO_ORG, 0, 1002) == []
    assert sum("older than the records already dropped" in r.getMessage() for r in caplog.records) == 1


def test_the_history_bound_is_per_organisation_and_kind():
    app = create_app({"access_log": False, "activity_history_size": 10})
    history = app.extensions["wxcc"].history
    for n in range(30):
        history.put_task("org-a", _task(n))
    for n in range(5):
        history.put_task("org-b", _task(n))
        history.put_agent_session("org-a", {"agentSessionId": f"s{n}", "startTime": n, "agentId": "a"})
    assert len(history.tasks("org-a", 0, 10_000)) <= 10 and history.task("org-a", "t029") is not None
    assert len(history.tasks("org-b", 0, 10_000)) == 5 and len(history.agent_sessions("org-a", 0, 100)) == 5


def test_a_generated_day_over_the_history_bound_keeps_the_latest_records(caplog):
    """The bound reaches the center: the ended tasks, past sessions, marks and spans the history no longer holds
    are forgotten there too (docs/activity.md, "Snapshots and persistence"); the task list shows what is kept."""
    app = create_app({"access_log": False, "activity_history_size": 200})
    d = fresh(app)
    with caplog.at_level(logging.WARNING, "mockserver.activity"):
        resp = d.client.post(f"/_mock/activity/{DEMO_ORG}", json=TRAFFIC)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["scheduledContacts"] > 1000
    drops = [r.getMessage() for r in caplog.records if "oldest task records dropped" in r.getMessage()]
    assert len(drops) > 100 and "MOCKSERVER_ACTIVITY_HISTORY_SIZE=200" in drops[0]
    kept = [t["id"] for t in d.rt.history.tasks(DEMO_ORG, 0, 2 ** 62)]
    sessions = {s["agentSessionId"] for s in d.rt.history.agent_sessions(DEMO_ORG, 0, 2 ** 62)}
    with d.rt.activity.center(DEMO_ORG) as c:
        every = [t.id for t in sorted(c.tasks.values(), key=lambda t: (t.created, t.id))]
        held = set(c.live) | {tid for s in c.sessions.values() for tid in s.tasks}
        order = [tid for _, tid in c.order]
        horizon = max(h[0] for h in c.horizon.values() if h is not None)
        marks, spans, past = list(c.marks), list(c.activities), [sid for _, sid in c.past_sessions]
        assert c.horizon["task"] == d.rt.history.horizon(DEMO_ORG, "task")
    assert 198 <= len(kept) <= 200
    assert set(kept) <= set(every) and set(every) - set(kept) <= held  # beyond the history: only tasks in flight
    assert sorted(order) == sorted(every) and len(order) == len(every)
    assert marks and min(m[0] for m in marks) >= horizon  # statistics count the moments since the horizon
    assert spans and min(a[5] for a in spans) >= horizon
    assert set(past) <= sessions
    resp = d.client.get(f"/v1/tasks?from={TRAFFIC['from']}&to={TRAFFIC['to']}&pageSize=1000", headers=d.admin)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    listed = [t["id"] for t in resp.get_json()["data"]]
    assert listed == order  # the kept tasks, in creation order


def test_the_event_bus_holds_nothing_and_its_subscribers_drop_rather_than_wait(caplog):
    """The bus fans out synchronously to queues that drop when full: a publisher never waits for a receiver, and
    every event ends delivered, still queued or dropped, each counted (none vanishes)."""
    hooks = Hooks(webhook_queue_size=4, webhook_disable_after=0, websocket_queue_size=3)
    receiver = Receiver(default=(200, 1.0))  # each delivery holds the receiver a second
    hub = hooks.rt.activity.hub
    cid, q = hub._register({"org": DEMO_ORG, "kind": "realtime", "user": "u1", "keepalive": False})
    try:
        sub = hooks.subscribe(receiver.url, ["agent:login"])
        with caplog.at_level(logging.WARNING, "mockserver.activity"):
            for n in range(20):
                hooks.publish("agent:login", 1000 + n, agentId=f"a{n}")
        assert len(receiver.requests) <= 1  # all 20 published while the first delivery was still being answered
        totals = hooks.log(sub["id"])
        assert totals["totals"]["dropped"] >= 15 and totals["pending"] <= 5
        assert totals["totals"]["dropped"] + totals["pending"] + totals["totals"]["delivered"] == 20
        assert q.qsize() == 3 and hub.dropped[cid] == 17 and "dropped so far" in caplog.text
    finally:
        receiver.close()


def test_graphql_aliases_at_the_bound_answer_and_one_more_is_refused():
    world = World(contacts=0, agents=1)
    q = "query($from: Long!, $to: Long!) { task(from: $from, to: $to) { tasks { %s } } }"
    at = " ".join(f"a{i}: id" for i in range(engine.MAX_ALIASES))
    assert world.data(q % at) == {"tasks": []}
    refused(world.post(q % (at + " one_more: id")), 400, f"{engine.MAX_ALIASES + 1} aliases; "
                                                         f"{engine.MAX_ALIASES} at most")


def test_a_generator_request_over_its_bounds_is_refused_before_it_starts():
    d = fresh(create_app({"access_log": False}))
    start = TRAFFIC["from"]
    for body, reason in (({"to": start + 63 * 86_400_000}, "at most 62 days"),
                         ({"to": start + 60 * 86_400_000, "rate": 100_000}, f"(at most {MAX_ARRIVALS})")):
        resp = d.client.post(f"/_mock/activity/{DEMO_ORG}", json={"from": start, "seed": 1, **body})
        assert resp.status_code == 400 and reason in resp.get_data(as_text=True), resp.get_data(as_text=True)
    assert d.rt.history.tasks(DEMO_ORG, 0, 2 ** 62) == [] and d.events == []  # nothing ran


def test_the_delivery_log_keeps_the_last_attempts_and_the_totals_keep_counting():
    hooks = Hooks(webhook_log_size=3)
    receiver = Receiver()
    try:
        sub = hooks.subscribe(receiver.url, ["agent:login"])
        events = [hooks.publish("agent:login", 1000 + n, agentId=f"a{n}") for n in range(5)]
        assert len(receiver.wait_for(5)) == 5 and hooks.rt.webhooks.wait_idle(5)
        log = hooks.log(sub["id"])
        assert [e["eventId"] for e in log["deliveries"]] == [e.id for e in events[2:]]
        assert log["totals"] == {"accepted": 5, "delivered": 5, "retrying": 0, "failed": 0, "dropped": 0}
    finally:
        receiver.close()


def test_graphql_depth_aliases_and_result_size_follow_their_settings():
    q = "query($from: Long!, $to: Long!) { task(from: $from, to: $to) { tasks { %s } } }"
    assert World(contacts=0, agents=1).data(q % "lastQueue { id }") == {"tasks": []}  # prepared under the defaults
    world = World(contacts=0, agents=1, search_max_depth=3, search_max_aliases=2, search_max_values=5000)
    assert world.data(q % "a0: id a1: id id") == {"tasks": []}  # depth 3, 2 aliases, about 3002 values
    refused(world.post(q % "lastQueue { id }"), 400, "nested 4 levels deep; 3 at most")
    refused(world.post(q % "a0: id a1: id a2: id"), 400, "3 aliases; 2 at most")
    refused(world.post(q % "id origin destination status channelType"), 413, "about 5002 values")


def test_graphql_filter_arguments_and_patterns_over_their_bounds_are_refused():
    world = World(contacts=0, agents=1)
    q = "query($from: Long!, $to: Long!) { task(from: $from, to: $to, filter: %s) { tasks { id } } }"
    many = "{or: [%s]}" % ", ".join('{origin: {equals: "x"}}' for _ in range(engine.MAX_ARGUMENTS // 2 + 1))
    refused(world.post(q % many), 400, f"filter arguments; {engine.MAX_ARGUMENTS} at most")
    long = '{origin: {match: "%s"}}' % ("a" * (MAX_PATTERN + 1))
    refused(world.post(q % long), 400, f"longer than {MAX_PATTERN} characters")
    assert world.data(q % ('{origin: {match: "%s"}}' % ("a" * MAX_PATTERN))) == {"tasks": []}


def test_a_webhook_body_over_its_bound_is_dropped_and_logged():
    hooks = Hooks()
    receiver = Receiver()
    try:
        sub = hooks.subscribe(receiver.url, ["agent:login"])
        hooks.publish("agent:login", 1000, agentId="a1", note="x" * MAX_BODY)
        hooks.publish("agent:login", 1001, agentId="a2")
        assert len(receiver.wait_for(1)) == 1 and hooks.rt.webhooks.wait_idle(5)
        first, second = hooks.log(sub["id"])["deliveries"]
        assert first["outcome"] == "dropped" and f"is over {MAX_BODY}" in first["error"]
        assert second["outcome"] == "delivered" and receiver.requests[0]["json"]["data"]["agentId"] == "a2"
    finally:
        receiver.close()


def test_websocket_subscription_ids_are_bounded_and_the_oldest_is_forgotten(monkeypatch):
    monkeypatch.setattr(hub_module, "MAX_SUBSCRIPTIONS", 4)
    monkeypatch.setattr(hub_module, "MAX_SUBSCRIPTIONS_PER_ORG", 2)
    hub = create_app({"access_log": False}).extensions["wxcc"].activity.hub
    hub.add("other-1", {"org": "org-b", "kind": "notification", "user": "u"})
    for n in range(5):  # one organisation subscribing again and again forgets only its own
        hub.add(f"DefaultClient-{n}", {"org": DEMO_ORG, "kind": "notification", "user": "u"})
    assert list(hub.subs) == ["other-1", "DefaultClient-3", "DefaultClient-4"]
    for n in range(2, 5):
        hub.add(f"other-{n}", {"org": f"org-{n}", "kind": "notification", "user": "u"})
    assert list(hub.subs) == ["DefaultClient-4", "other-2", "other-3", "other-4"]  # and all of them: the oldest


def test_one_organisations_slow_receiver_fills_only_its_share_of_the_delivery_queue():
    hooks = Hooks(webhook_queue_per_org=3, webhook_disable_after=0)
    slow, other = Receiver(default=(200, 1.0)), Receiver()
    try:
        sub = hooks.subscribe(slow.url, ["agent:login"])
        second = {**sub, "id": "0f6a3b52-6f55-4c1a-9d8e-1d1c2a3b4c5d", "destinationUrl": other.url}
        hooks.rt.store.insert("org-b", "webhook-subscription", second)
        for n in range(10):
            hooks.publish("agent:login", 1000 + n, agentId=f"a{n}")
        for n in range(3):
            hooks.rt.bus.publish("org-b", "agent:login", 1000 + n, {"agentId": f"b{n}"})
        assert len(other.wait_for(3)) == 3  # the other organisation's events all go
        log = hooks.log(sub["id"])
        assert log["totals"]["dropped"] == 7 and log["pending"] <= 3
        assert {e["error"] for e in log["deliveries"] if e["outcome"] == "dropped"} == {
            "delivery queue of this organization full"}
    finally:
        slow.close()
        other.close()


def test_the_names_of_deleted_configuration_are_kept_within_their_bound(monkeypatch):
    """The simulation keeps the names of deleted queues, teams, sites and entry points for the records of tasks
    that named them, up to ``tenant.MAX_KNOWN``: the oldest deleted go first, the current ones always stay."""
    from mockserver.activity import tenant

    monkeypatch.setattr(tenant, "MAX_KNOWN", 40)
    d = fresh(create_app({"access_log": False}))
    d.admin = d._headers("full.admin@acme.example", ["cjp:config_read", "cjp:config_write"])
    resp = d.client.get(f"/organization/{DEMO_ORG}/v2/multimedia-profile?pageSize=1", headers=d.admin)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    mmp = resp.get_json()["data"][0]["id"]
    deleted = []
    for n in range(30):
        resp = d.client.post(f"/organization/{DEMO_ORG}/site", json={"name": f"Churn {n}", "active": True,
                                                                       "multimediaProfileId": mmp}, headers=d.admin)
        assert resp.status_code == 201, resp.get_data(as_text=True)
        deleted.append(resp.get_json()["id"])
        with d.rt.activity.center(DEMO_ORG):  # the simulation reads the configuration again
            pass
        assert d.client.delete(f"/organization/{DEMO_ORG}/site/{deleted[-1]}", headers=d.admin).status_code == 204
    with d.rt.activity.center(DEMO_ORG) as c:
        known, t = dict(c.tenant.known), c.tenant
    current = {*t.queues, *t.teams, *t.sites, *t.entry_points}
    assert len(known) == 40 and current <= set(known)  # every current name kept
    kept = [sid for sid in deleted if sid in known]
    assert kept == deleted[-len(kept):] and 0 < len(kept) < 30  # the newest deleted, the oldest gone
