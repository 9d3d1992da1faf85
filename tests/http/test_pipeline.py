"""The request pipeline (``http/pipeline.py``): one hook before and one after every request, its steps in order."""
from __future__ import annotations

import types

import pytest
from flask import Flask, Response

from mockserver.admin import hooks

from ..conftest import DEMO_ORG, assert_webex_error

TEAMS = f"/organization/{DEMO_ORG}/v2/team"


def test_one_hook_before_and_one_after_every_request(app):
    assert [f.__qualname__ for f in app.before_request_funcs[None]] == ["install.<locals>.before"]
    assert [f.__qualname__ for f in app.after_request_funcs[None]] == ["install.<locals>.after"]


def test_the_guard_answers_before_a_fault_and_the_answer_is_journaled_with_its_tracking_id(client):
    assert client.post("/_mock/faults", json={"path": TEAMS, "status": 503}).status_code == 201
    resp = client.get(TEAMS, headers={"Authorization": "Bearer not-a-token"})
    assert_webex_error(resp, 401)  # the guard first: a caller without a valid token learns nothing of faults
    [entry] = client.get("/_mock/journal").get_json()["items"]
    assert entry["status"] == 401 and entry["faults"] == [] and entry["path"] == TEAMS
    assert entry["trackingId"] == resp.headers["TrackingID"] and entry["trackingId"].startswith("ccconfig_")


def test_a_fault_fires_for_a_valid_caller_after_the_guard(client, token):
    assert client.post("/_mock/faults", json={"path": TEAMS, "status": 503}).status_code == 201
    resp = client.get(TEAMS, headers={"Authorization": f"Bearer {token()}"})
    assert_webex_error(resp, 503)
    [entry] = client.get("/_mock/journal").get_json()["items"]
    assert entry["status"] == 503 and entry["faults"] == ["fault-1"] and entry["orgId"] == DEMO_ORG
    assert entry["trackingId"] == resp.headers["TrackingID"]


def test_the_guard_answers_before_the_body_checks(client, token):
    # No token and a body that is no JSON: 400 for the header, not for the body.
    resp = client.post(TEAMS.replace("/v2/", "/"), data=b"{not json", content_type="application/json")
    body = assert_webex_error(resp, 400)
    assert "Authorization" in body["error"]["message"][0]["description"]
    resp = client.post(TEAMS.replace("/v2/", "/"), data=b"{not json", content_type="application/json",
                       headers={"Authorization": f"Bearer {token()}"})
    body = assert_webex_error(resp, 400)
    assert "Authorization" not in body["error"]["message"][0]["description"]


def test_the_control_api_is_never_journaled_and_a_sent_tracking_id_is_kept(client, token):
    client.get("/_mock/journal")
    resp = client.get(TEAMS, headers={"Authorization": f"Bearer {token()}", "TrackingId": "mine_1"})
    assert resp.status_code == 200 and resp.headers["TrackingID"] == "mine_1"
    assert [e["trackingId"] for e in client.get("/_mock/journal").get_json()["items"]] == ["mine_1"]


def test_the_after_hook_works_when_the_before_hook_never_ran(app, rt):
    with app.test_request_context(TEAMS, headers={"TrackingId": "t-1"}):
        resp = app.process_response(Response("{}", status=418))
    assert resp.headers["TrackingID"] == "t-1"
    [entry] = rt.journal.query()
    assert entry["status"] == 418 and entry["orgId"] == DEMO_ORG and entry["durationMs"] is None
    with app.test_request_context("/_mock/journal"):
        app.process_response(Response("{}"))
    assert len(rt.journal.query()) == 1  # the control API: not journaled, known without the before hook


class _View:
    def plain(self):
        return "plain"

    async def later(self):
        return "later"


def test_flask_is_asked_once_per_function_of_a_bound_method():
    flask_app = Flask(__name__)
    asked = []

    def ensure_sync(func):
        asked.append(func)
        return flask_app.ensure_sync(func)

    cached = hooks._cached_ensure_sync(ensure_sync)
    first, second = _View(), _View()
    assert cached(first.plain) == first.plain and cached(second.plain)() == "plain"
    assert len(asked) == 1  # a new instance per request, one question for the function
    with pytest.raises(RuntimeError, match="async"):  # Flask without its async extra refuses async views
        cached(first.later)
    with pytest.raises(RuntimeError, match="async"):
        cached(second.later)  # not remembered as plain: asked again, refused again
    assert len(asked) == 3
    builtin = cached(len)  # not a Python function: always asked
    assert builtin is len and len(asked) == 4 and type(cached) is types.FunctionType
