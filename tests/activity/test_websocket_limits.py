"""The vendor's per-user websocket limit (facts 6): one connection per user and clientType, ten with
``allowMultiLogin``; ``force`` (in the body or ``?force=true`` on the URL) drops the oldest instead of the new one."""
from __future__ import annotations

import contextlib
import json
import logging
import time

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from mockserver import create_app
from mockserver.ccapi import hub as hub_module
from mockserver.testing import LiveServer

from .drive import Driver


@pytest.fixture
def live():
    app = create_app({"access_log": False})
    with LiveServer(app) as server:
        yield server, Driver(app), app.extensions["wxcc"].activity.hub
        app.extensions["wxcc"].activity.hub.stop()


def _url(server, headers, **body) -> str:
    resp = requests.post(f"{server.url}/v1/notification/subscribe", json=body, headers=headers, timeout=5)
    assert resp.status_code == 200, resp.text
    return resp.json()["webSocketUrl"]


def _welcome(ws) -> None:
    assert json.loads(ws.recv(timeout=5))["type"] == "Welcome"


def _closed(ws) -> tuple[int, str]:
    with pytest.raises(ConnectionClosed) as closed:
        for _ in range(50):  # bounded: a message or two may come before the close
            ws.recv(timeout=5)
    return closed.value.rcvd.code, closed.value.rcvd.reason


def _gone(hub, n: int) -> None:
    for _ in range(100):  # bounded: the server notices a close within its 0.2 s poll
        if len(hub.conns) <= n:
            return
        time.sleep(0.05)
    raise AssertionError(f"{len(hub.conns)} connections still open, expected {n}")


def test_a_second_connection_of_the_same_user_and_client_type_is_refused(live, caplog):
    server, d, hub = live
    url = _url(server, d.a, clientType="AgentDesktop")
    with connect(url, open_timeout=5) as first:
        _welcome(first)
        other = _url(server, d.a, clientType="AgentDesktop")  # a new subscription does not reset the count
        with caplog.at_level(logging.WARNING, "mockserver.activity"), connect(other, open_timeout=5) as second:
            code, reason = _closed(second)
        assert code == hub_module.POLICY and "user and clientType (1;" in reason
        assert "already has its connections of clientType AgentDesktop open" in caplog.text
        first.send(json.dumps({"keepalive": "true"}))  # the first one is still served
        assert json.loads(first.recv(timeout=5)) == {"keepalive": "true"}
        with connect(_url(server, d.a, clientType="Wallboard"), open_timeout=5) as third:
            _welcome(third)  # another clientType of the same user has its own count
        with connect(_url(server, d.b, clientType="AgentDesktop"), open_timeout=5) as fourth:
            _welcome(fourth)  # and another user too


@pytest.mark.parametrize("how", ["body", "url"])
def test_force_replaces_the_oldest_connection(live, how):
    server, d, hub = live
    url = _url(server, d.a, clientType="AgentDesktop")
    with connect(url, open_timeout=5) as first:
        _welcome(first)
        forced = _url(server, d.a, clientType="AgentDesktop", force=True) if how == "body" else url + "?force=true"
        with connect(forced, open_timeout=5) as second:
            _welcome(second)
            code, reason = _closed(first)
            assert code == hub_module.REPLACED and "replaced by a newer connection" in reason
            _gone(hub, 1)
            second.send(json.dumps({"keepalive": "true"}))
            assert json.loads(second.recv(timeout=5)) == {"keepalive": "true"}
            assert [i["clientType"] for i, _ in hub.conns.values()] == ["AgentDesktop"]


def test_allow_multi_login_allows_ten_and_refuses_the_eleventh(live):
    server, d, hub = live
    url = _url(server, d.a, clientType="AgentDesktop", allowMultiLogin=True)
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(connect(url, open_timeout=5)) for _ in range(hub_module.PER_USER_MULTI)]
        for ws in sockets:
            _welcome(ws)
        with connect(url, open_timeout=5) as eleventh:
            code, reason = _closed(eleventh)
        assert code == hub_module.POLICY and "(10;" in reason
        assert len(hub.conns) == 10
        with connect(url + "?force=true", open_timeout=5) as forced:  # force: the oldest of the ten goes
            _welcome(forced)
            assert _closed(sockets[0])[0] == hub_module.REPLACED
            _gone(hub, 10)
            assert len(hub.conns) == 10
