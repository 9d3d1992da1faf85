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
from mockserver.testing import LiveServer

from ..activity.drive import Driver
from ..conftest import DEMO_ORG


@pytest.fixture
def limited():
    app = create_app({"access_log": False, "websocket_connections_per_org": 2, "websocket_queue_size": 3})
    with LiveServer(app) as server:
        yield server, Driver(app), app.extensions["wxcc"]
        app.extensions["wxcc"].activity.hub.stop()


def _url(server, d) -> str:
    resp = requests.post(f"{server.url}/v1/realtime/subscribe", json={}, headers=d.a, timeout=5)
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
