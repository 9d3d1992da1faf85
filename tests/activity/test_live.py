"""Over real HTTP: the notification websocket pushes the caller's agent and task events; the CLI generates traffic;
live mode follows the clock."""
from __future__ import annotations

import json

import pytest
import requests
from websockets.sync.client import connect

from mockserver import cli, create_app
from mockserver.testing import LiveServer

from .drive import DEMO_ORG, NOW_S, SUPPORT_LINE, Driver


@pytest.fixture
def live():
    app = create_app({"access_log": False})
    with LiveServer(app) as server:
        d = Driver(app)
        yield server, d
        app.extensions["wxcc"].activity.hub.stop()


def _next(ws, wanted: str, limit: int = 50) -> dict:
    for _ in range(limit):  # bounded: at most ``limit`` messages, each within 5 s
        msg = json.loads(ws.recv(timeout=5))
        if msg.get("data", {}).get("type") == wanted or msg.get("type") == wanted:
            return msg
    raise AssertionError(f"no {wanted} message")


def test_the_websocket_pushes_the_agents_own_events(live):
    server, d = live
    d.stop()  # the websocket is the organisation's only listener: the simulation publishes for it alone
    resp = requests.post(f"{server.url}/v1/notification/subscribe", json={"clientType": "AgentDesktop"},
                         headers=d.a, timeout=5)
    assert resp.status_code == 200
    body = resp.json()
    assert body["subscriptionId"].startswith("AgentDesktop-")
    assert body["webSocketUrl"].startswith("ws://127.0.0.1:") and body["webSocketUrl"].endswith(body["subscriptionId"])
    with connect(body["webSocketUrl"], open_timeout=5) as ws:
        welcome = json.loads(ws.recv(timeout=5))
        assert welcome == {"type": "Welcome", "data": {"agentId": "2550b86f-d2de-5f7b-9bf1-154f2c15b19f",
                                                       "userId": "b52391ed-c64a-4680-bdc3-28cfdf0665fc"}}
        assert requests.post(f"{server.url}/v1/agents/login", json={"dialNumber": "+15551001", "roles": ["agent"]},
                             headers=d.a, timeout=5).status_code == 202
        login = _next(ws, "AgentStationLoginSuccess")
        assert login["type"] == "StationLogin" and login["data"]["eventType"] == "AgentDesktopMessage"
        d.state(d.a, "Available")
        tid = requests.post(f"{server.url}/_mock/activity/{DEMO_ORG}/contacts", json={"entryPointId": SUPPORT_LINE},
                            timeout=5).json()["id"]
        offer = _next(ws, "AgentOfferContact")
        assert offer["type"] == "RoutingMessage" and offer["data"]["interactionId"] == tid


def test_a_keepalive_is_echoed(live):
    server, d = live
    url = requests.post(f"{server.url}/v1/realtime/subscribe", json={}, headers=d.a, timeout=5).json()["webSocketUrl"]
    with connect(url, open_timeout=5) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "Welcome"
        ws.send(json.dumps({"keepalive": "true"}))
        assert json.loads(ws.recv(timeout=5)) == {"keepalive": "true"}


def test_an_unknown_subscription_is_closed(live):
    server, d = live
    resp = requests.post(f"{server.url}/v1/notification/subscribe", json={}, headers=d.a, timeout=5)
    url = resp.json()["webSocketUrl"]
    with connect(url.rsplit("/", 1)[0] + "/DefaultClient-nope", open_timeout=5) as ws:
        with pytest.raises(Exception):
            ws.recv(timeout=5)


def test_the_cli_generates_traffic_and_live_mode_follows_the_clock(live, capsys):
    server, d = live
    start = NOW_S * 1000
    assert cli.main(["activity", DEMO_ORG, "--from", str(start), "--to", str(start + 3_600_000), "--seed", "3",
                     "--rate", "60", "--url", server.url]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["live"] is True and out["scheduledContacts"] > 0
    state = requests.get(f"{server.url}/_mock/activity/{DEMO_ORG}", timeout=5).json()
    assert sum(state["tasks"].values()) == 0 and state["pendingEvents"] > 0  # nothing has arrived yet
    requests.post(f"{server.url}/_mock/clock/advance", json={"seconds": 1800}, timeout=5)
    state = requests.get(f"{server.url}/_mock/activity/{DEMO_ORG}", timeout=5).json()
    assert 0 < sum(state["tasks"].values()) <= out["scheduledContacts"]
    requests.post(f"{server.url}/_mock/clock/advance", json={"seconds": 7200}, timeout=5)
    final = requests.get(f"{server.url}/_mock/activity/{DEMO_ORG}", timeout=5).json()
    assert sum(final["tasks"].values()) == out["scheduledContacts"]
    assert set(final["tasks"]) <= {"completed", "abandoned", "overflowed"}
