"""R13, R15-R18: running HTTP Request activities in-process through connectors, with JSONPath parse settings."""
from __future__ import annotations

import json
import threading

import pytest

from mockserver.connectors import credentials
from mockserver.flows.dispatch import InProcessDispatcher

from ..conftest import DEMO_ORG, NOLICENSE_ORG, assert_webex_error
from .helpers import (
    CONNECTORS,
    FLOW_ID,
    INACTIVE_ID,
    PROJECT,
    RO_ID,
    RUN_ACTIVITY,
    RW_ID,
    STORE,
    FakeDispatcher,
    http_activity,
    outputs,
    transport_error,
    upload,
)

EXPORT = f"/flow-store/{DEMO_ORG}/project/{PROJECT}/flows/{FLOW_ID}:export"
PUBLISH = f"/flow-store/{DEMO_ORG}/project/{PROJECT}/flows/{FLOW_ID}:publish"


def run(client, variables=None, **props):
    resp = client.post(RUN_ACTIVITY, json={"activity": http_activity(**props), "variables": variables or {}})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def only(body):
    assert len(body["results"]) == 1
    return body["results"][0]


# -- R16: authenticated endpoint, real in-process dispatch ---------------------------------------
def test_r16_read_only_connector_get_reads_the_mock_api(client):
    res = only(run(client, outputVariableArray=outputs(flowId="$[0].id", flowName="$[0].name")))
    assert res["outcome"] == "completed" and res["httpStatusCode"] == 200 and res["attempts"] == 1
    assert res["outputs"] == {"flowId": FLOW_ID, "flowName": "Demo site and team lookup"}
    assert json.loads(res["httpResponseBody"])[0]["id"] == FLOW_ID
    assert res["httpResponseHeaders"]["Content-Type"] == "application/json" and res["timeMs"] >= 0


@pytest.mark.parametrize("expr, expected", [
    ("$.process.activities['a0000000-0000-4000-8000-000000000002'].properties.connectorId", RO_ID),  # nested
    ("$.variables[0].name", "overflowTeamName"),  # array index
    ("$.variables[?(@.name=='overflowTeamName')].value", ["Overflow team (flow demo)"]),  # filter: an array
    ("$.variables[?!@.value].name", ["siteId", "siteName", "activeSiteIds", "teamCount", "firstTeamName",
                                          "newTeamId"]),
    ("$.variables[99].name", ""),  # no match: empty
    ("$.variables[?(@.name=='nope')].value", []),  # filter without match: empty array
    ("$.process.links[*].sourceActivityId", 6),  # wildcard (count checked)
])
def test_jsonpath_parse_settings(client, expr, expected):
    res = only(run(client, httpRequestPath=EXPORT, outputVariableArray=outputs(v=expr)))
    value = res["outputs"]["v"]
    assert (len(value) if isinstance(expected, int) else value) == expected


@pytest.mark.parametrize("expr", ["$.data[", "$..[?(@.a==)]", "$[?match(@.a, 'x')]", "$." + "a." * 300 + "b"])
def test_invalid_jsonpath_at_run_is_400_naming_it(client, expr):
    resp = client.post(RUN_ACTIVITY, json={"activity": http_activity(outputVariableArray=outputs(v=expr))})
    body = assert_webex_error(resp, 400, "JSONPath expression")
    assert expr[:30] in body["error"]["reason"]


def test_response_that_is_not_json_leaves_outputs_empty(client, rt):
    from mockserver.flows.dispatch import Reply

    rt.flow_dispatcher = lambda out, t: Reply(200, {"Content-Type": "text/plain"}, b"plain text")
    res = only(run(client, outputVariableArray=outputs(v="$.a")))
    assert res["outputs"] == {"v": ""} and "not JSON" in res["parseNote"]


# -- R17: read-only connectors only GET -----------------------------------------------------------
def test_r17_read_only_connector_post_is_refused_with_the_apis_403(client, auth):
    res = only(run(client, httpRequestMethod="POST", httpRequestPath=PUBLISH, httpRequestBody='{"tagIds": ["Live"]}'))
    assert res["outcome"] == "completed" and res["exit"] == "default" and res["httpStatusCode"] == 403
    assert res["request"]["sent"] is False
    body = json.loads(res["httpResponseBody"])
    assert body["error"]["key"] == "403" and "cjp:config_write" in body["error"]["reason"]
    assert body["trackingId"].startswith("ccconfig_")
    assert client.get(f"{STORE}/flows", headers=auth()).get_json()[0]["status"] == "Draft"  # nothing written


def test_r17_refusal_reads_exactly_as_the_api_refusing_the_connectors_token(app, client):
    path = f"/organization/{DEMO_ORG}/team"
    res = only(run(client, httpRequestMethod="POST", httpRequestPath=path, httpRequestBody="{}"))
    with app.test_request_context():
        token = credentials(app.extensions["wxcc"], DEMO_ORG, RO_ID)
    direct = client.post(path, json={}, headers={"Authorization": f"Bearer {token}"})
    assert res["httpStatusCode"] == direct.status_code == 403
    assert json.loads(res["httpResponseBody"])["error"]["reason"] == direct.get_json()["error"]["reason"]


def test_read_write_connector_writes_through_the_api(client, auth):
    res = only(run(client, connectorId=RW_ID, httpRequestMethod="POST", httpRequestPath=PUBLISH,
                   httpRequestBody='{"comment": "{{note}}", "tagIds": ["Live"]}', variables={"note": "from a flow"},
                   outputVariableArray=outputs(status="$.status", comment="$.latestVersion.comment")))
    assert res["httpStatusCode"] == 200 and res["outputs"] == {"status": "Published", "comment": "from a flow"}
    assert client.get(f"{STORE}/flows", headers=auth()).get_json()[0]["status"] == "Published"


def test_connector_token_org_check_applies_for_real(client):
    res = only(run(client, connectorId=RW_ID, httpRequestPath=f"/flow-store/{NOLICENSE_ORG}/project/p/flows"))
    reason = json.loads(res["httpResponseBody"])["error"]["reason"]
    assert res["httpStatusCode"] == 403 and "not to organization" in reason


# -- R13 / R15: connector state stops the activity -------------------------------------------------
def test_r13_inactive_connector_pauses_before_any_call(client, rt):
    rt.flow_dispatcher = fake = FakeDispatcher((200, {}))
    body = run(client, connectorId=INACTIVE_ID)
    res = only(body)
    assert (res["outcome"], res["attempts"], body["status"], body["globalError"]) == ("paused", 0, "paused", None)
    assert "paused" in res["error"] and fake.sent == []


def test_r13_deactivating_pauses_a_flow_run_and_reactivating_resumes(client, rt, auth):
    rt.flow_dispatcher = FakeDispatcher((200, {"data": [{"id": "s1", "name": "Main", "active": True}]}))
    client.post(f"{CONNECTORS}/{RO_ID}/deactivate", headers=auth())
    body = client.post(f"/_mock/flows/{DEMO_ORG}/{FLOW_ID}/run", json={}).get_json()
    assert body["status"] == "paused" and [r["activity"] for r in body["results"]] == ["GetSites"]
    client.post(f"{CONNECTORS}/{RO_ID}/reactivate", headers=auth())
    body = client.post(f"/_mock/flows/{DEMO_ORG}/{FLOW_ID}/run", json={}).get_json()
    assert body["status"] == "completed" and len(body["results"]) == 3


def test_r15_deleted_connector_fails_the_activity_as_global_error(client, rt, auth):
    rt.flow_dispatcher = fake = FakeDispatcher((200, {}))
    client.delete(f"{CONNECTORS}/{INACTIVE_ID}", headers=auth())
    body = run(client, connectorId=INACTIVE_ID)
    assert only(body)["outcome"] == "failed" and fake.sent == []
    assert body["globalError"]["type"] == "CONNECTOR_DELETED" and body["globalError"]["handler"] == "OnGlobalError"


def test_unknown_connector_fails_too(client):
    body = run(client, connectorId="not-a-connector")
    assert body["status"] == "failed" and body["globalError"]["type"] == "CONNECTOR_UNKNOWN"


# -- R18: results, exits, retries, timeouts ---------------------------------------------------------
@pytest.mark.parametrize("status", [200, 404, 409, 500])
def test_r18_every_completed_request_takes_the_default_exit(client, rt, status):
    rt.flow_dispatcher = FakeDispatcher((status, {"error": "x"}))
    body = run(client, retryAttempts=0)
    res = only(body)
    assert (res["exit"], res["httpStatusCode"], body["globalError"]) == ("default", status, None)
    assert body["variables"]["Call.httpStatusCode"] == status


def test_5xx_is_retried_up_to_retry_attempts(client, rt):
    rt.flow_dispatcher = fake = FakeDispatcher((503, {}), (502, {}), (200, {"ok": True}))
    res = only(run(client, retryAttempts=2, outputVariableArray=outputs(ok="$.ok")))
    assert (res["attempts"], res["httpStatusCode"], res["outputs"]) == (3, 200, {"ok": True})
    assert len(fake.sent) == 3


def test_5xx_after_last_retry_is_still_a_completed_request(client, rt):
    rt.flow_dispatcher = fake = FakeDispatcher((500, {}))
    res = only(run(client, retryAttempts=1))
    assert (res["outcome"], res["exit"], res["attempts"], len(fake.sent)) == ("completed", "default", 2, 2)


def test_4xx_is_not_retried(client, rt):
    rt.flow_dispatcher = fake = FakeDispatcher((429, {}))
    assert only(run(client, retryAttempts=3))["attempts"] == 1 and len(fake.sent) == 1


def test_timeout_is_the_flows_global_error_and_not_retried(client, rt):
    rt.flow_dispatcher = fake = FakeDispatcher(transport_error())
    body = run(client, retryAttempts=3, httpResponseTimeout="2500")
    assert only(body)["outcome"] == "failed" and len(fake.sent) == 1 and fake.sent[0][1] == 2.5
    assert body["globalError"]["type"] == "TRANSPORT" and "httpResponseTimeout" in body["globalError"]["message"]


def test_in_process_dispatcher_honours_the_timeout(app, client, rt):
    release = threading.Event()

    class Stuck(InProcessDispatcher):
        def _send(self, out):
            release.wait(5)  # released below; bounded either way
            return super()._send(out)

    rt.flow_dispatcher = Stuck(app)
    try:
        body = run(client, httpResponseTimeout=50, retryAttempts=2)
    finally:
        release.set()
    assert body["globalError"]["type"] == "TRANSPORT" and "50 ms" in body["globalError"]["message"]
    assert only(body)["attempts"] == 1


def test_pathological_descent_is_bounded_with_a_400_naming_the_expression(client, rt):
    deep = cur = {}
    for _ in range(60):
        cur["a"] = {}
        cur = cur["a"]
    rt.flow_dispatcher = FakeDispatcher((200, deep))
    resp = client.post(RUN_ACTIVITY, json={"activity": http_activity(outputVariableArray=outputs(v="$..x"))})
    assert_webex_error(resp, 400, "'$..x' failed: recursion limit")


def test_r17_each_refusal_has_its_own_tracking_id(client, auth):
    h = auth()
    doc = client.get(EXPORT, headers=h).get_json()
    acts = doc["process"]["activities"]
    for act in acts.values():  # every HTTP activity writes through the read-only connector
        if act["properties"].get("activityName") == "http-request-v2":
            act["properties"].update(connectorId=RO_ID, httpRequestMethod="DELETE")
    doc["name"] = "Writes through read-only"
    flow = client.post(f"{STORE}/flows:import", data=upload(doc), headers=h).get_json()["id"]
    resp = client.post(f"/_mock/flows/{DEMO_ORG}/{flow}/run", json={}, headers={"TrackingId": "OUTER-1"})
    ids = [json.loads(r["httpResponseBody"])["trackingId"] for r in resp.get_json()["results"]]
    assert len(ids) == 3 and len(set(ids)) == 3 and "OUTER-1" not in ids
