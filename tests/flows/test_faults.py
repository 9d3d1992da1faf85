"""Retries and timeouts against the harness's fault injection (/_mock/faults), dispatched in-process for real."""
from __future__ import annotations

import pytest

from ..conftest import DEMO_ORG
from .helpers import RUN_ACTIVITY, http_activity, outputs

PATH = f"/flow-store/{DEMO_ORG}/**"


def fault(client, **rule):
    resp = client.post("/_mock/faults", json={"orgId": DEMO_ORG, "path": PATH, **rule})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def run(client, **props):
    activity = http_activity(outputVariableArray=outputs(first="$[0].name"), **props)
    resp = client.post(RUN_ACTIVITY, json={"activity": activity})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_5xx_faults_are_retried_until_the_api_answers(client):
    rule = fault(client, status=503, times=2)
    body = run(client, retryAttempts=2)
    res = body["results"][0]
    assert (res["attempts"], res["httpStatusCode"], res["outputs"]) == (3, 200, {"first": "Demo site and team lookup"})
    assert client.get(f"/_mock/faults/{rule}").get_json()["fired"] == 2


def test_5xx_on_every_attempt_completes_with_the_last_answer(client):
    fault(client, status=500)
    res = run(client, retryAttempts=1)["results"][0]
    assert (res["outcome"], res["exit"], res["attempts"], res["httpStatusCode"]) == ("completed", "default", 2, 500)
    assert res["outputs"] == {"first": ""}


def test_4xx_fault_is_not_retried(client):
    rule = fault(client, status=429)
    assert run(client, retryAttempts=3)["results"][0]["attempts"] == 1
    assert client.get(f"/_mock/faults/{rule}").get_json()["calls"] == 1


@pytest.mark.parametrize("rule, message", [({"latencyMs": 400}, "no response within 100 ms"),
                                           ({"drop": True}, "connection dropped")])
def test_latency_beyond_the_timeout_and_dropped_connections_are_the_global_error(client, rule, message):
    fault(client, **rule)
    body = run(client, httpResponseTimeout=100, retryAttempts=2)
    assert body["status"] == "failed" and body["results"][0]["attempts"] == 1
    assert body["globalError"]["type"] == "TRANSPORT" and message in body["globalError"]["message"]
