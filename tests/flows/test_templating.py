"""Templating across activities, unauthenticated URLs, content types, and running the bundled flow."""
from __future__ import annotations

import json

from ..conftest import DEMO_ORG, assert_webex_error
from .helpers import FLOW_ID, PROJECT, RO_ID, RUN_ACTIVITY, RW_ID, STORE, FakeDispatcher, http_activity, outputs, upload


def two_step_flow(client, h) -> str:
    """Imports a flow: ListFlows -> flowId; ExportIt uses {{flowId}} in its path and {{ListFlows.httpStatusCode}}."""
    first = {"id": "s", "name": "Start", "group": "start", "properties": {"activityName": "NewPhoneContact"}}
    a = http_activity(name="ListFlows", outputVariableArray=outputs(flowId="$[0].id"))
    b = http_activity(name="ExportIt",
                      httpRequestPath=f"/flow-store/{DEMO_ORG}/project/{PROJECT}/flows/{{{{flowId}}}}:export",
                      httpQueryParameters={"version": "{{wanted}}"},
                      outputVariableArray=outputs(exportedName="$.name", firstVar="$.variables[0].name"))
    doc = {"name": "Two steps", "variables": [{"name": "wanted", "type": "STRING", "value": "latest"}],
           "process": {"activities": {"b": {"id": "b", "name": "ExportIt", "group": "action",
                                            "properties": {"activityName": "http-request-v2", **b}},
                                      "a": {"id": "a", "name": "ListFlows", "group": "action",
                                            "properties": {"activityName": "http-request-v2", **a}},
                                      "s": first},
                       "links": [{"sourceActivityId": "s", "targetActivityId": "a"},
                                 {"sourceActivityId": "a", "targetActivityId": "b"}]}}
    resp = client.post(f"{STORE}/flows:import", data=upload(doc), headers=h)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()["id"]


def test_outputs_of_one_activity_feed_the_next_in_link_order(client, auth):
    flow = two_step_flow(client, auth())
    body = client.post(f"/_mock/flows/{DEMO_ORG}/{flow}/run", json={}).get_json()
    assert [r["activity"] for r in body["results"]] == ["ListFlows", "ExportIt"]
    second = body["results"][1]
    assert second["request"]["path"].endswith(f"/flows/{FLOW_ID}:export")
    assert second["request"]["query"] == {"version": "latest"}
    assert second["outputs"] == {"exportedName": "Demo site and team lookup", "firstVar": "overflowTeamName"}
    assert body["variables"]["ListFlows.httpStatusCode"] == 200 and body["variables"]["flowId"] == FLOW_ID


def test_request_variables_override_flow_defaults(client, auth):
    flow = two_step_flow(client, auth())
    body = client.post(f"/_mock/flows/{DEMO_ORG}/{flow}/run", json={"variables": {"wanted": "9"}}).get_json()
    assert body["results"][1]["httpStatusCode"] == 404


def test_templating_in_query_headers_and_body(client, rt):
    rt.flow_dispatcher = fake = FakeDispatcher((201, {"id": "n1"}))
    props = http_activity(connectorId=RW_ID, httpRequestMethod="POST", httpRequestPath="/x/{{seg}}",
                          httpQueryParameters={"q": "{{ name }}"}, httpRequestHeaders={"X-Ref": "ref-{{n}}"},
                          httpRequestBody='{"name": "{{name}}", "ids": {{ids}}, "n": {{n}}, "gone": "{{missing}}"}')
    body = client.post(RUN_ACTIVITY, json={"activity": props, "variables": {
        "seg": "a/../b", "name": "Ann", "ids": ["i1", "i2"], "n": 3}}).get_json()
    out = fake.sent[0][0]
    assert out.path == "/x/a%2F..%2Fb"  # a variable cannot add path segments
    assert out.query == {"q": "Ann"} and out.headers["X-Ref"] == "ref-3"
    assert out.headers["Authorization"].startswith("Bearer ") and out.headers["Content-Type"] == "application/json"
    assert json.loads(out.body) == {"name": "Ann", "ids": ["i1", "i2"], "n": 3, "gone": ""}
    assert body["results"][0]["unresolvedVariables"] == ["missing"]


def test_pebble_expressions_are_reported_as_not_simulated(client, rt):
    rt.flow_dispatcher = FakeDispatcher((200, {}))
    body = client.post(RUN_ACTIVITY, json={"activity": http_activity(httpQueryParameters={"a": "{{x|urlencode}}"})})
    assert body.get_json()["results"][0]["unsupportedExpressions"] == ["{{x|urlencode}}"]


def test_unauthenticated_url_on_the_mocks_own_base_url_works(client, token):
    props = {"name": "Direct", "authenticated": False, "httpRequestMethod": "GET",
             "httpRequestUrl": f"http://localhost/flow-store/{DEMO_ORG}/project/{PROJECT}/flows?size=1",
             "httpRequestHeaders": {"Authorization": "Bearer {{tok}}"}, "outputVariableArray": outputs(n="$[0].name")}
    body = client.post(RUN_ACTIVITY, json={"activity": props, "variables": {"tok": token()}}).get_json()
    res = body["results"][0]
    assert res["httpStatusCode"] == 200 and res["outputs"] == {"n": "Demo site and team lookup"}
    assert res["request"]["query"] == {"size": "1"} and res["connectorId"] is None


def test_unauthenticated_url_elsewhere_is_refused(client, rt):
    rt.flow_dispatcher = fake = FakeDispatcher((200, {}))
    for url in ("https://api.example.com/v1/x", "http://localhost:9/x", "http://{{host}}/x"):
        props = {"authenticated": False, "httpRequestUrl": url}
        resp = client.post(RUN_ACTIVITY, json={"activity": props, "variables": {"host": "evil.example"}})
        assert_webex_error(resp, 400, "no outbound requests")
    assert fake.sent == []


def test_r16_content_type_other_than_json_is_refused_when_a_body_is_sent(client, rt):
    rt.flow_dispatcher = FakeDispatcher((200, {}))
    post = http_activity(connectorId=RW_ID, httpRequestMethod="POST", httpContentType="Form URL Encoded",
                         httpRequestBody="a=1")
    assert_webex_error(client.post(RUN_ACTIVITY, json={"activity": post}), 400, "Application/JSON")
    xml = http_activity(contentType="XML", outputVariableArray=outputs(v="$.a"))
    assert_webex_error(client.post(RUN_ACTIVITY, json={"activity": xml}), 400, "XML")
    get = http_activity(httpContentType="Other")
    assert client.post(RUN_ACTIVITY, json={"activity": get}).status_code == 200


def test_invalid_inline_activity_is_400(client):
    assert_webex_error(client.post(RUN_ACTIVITY, json={"activity": http_activity(connectorId="")}), 400,
                       "connectorId")
    assert_webex_error(client.post(RUN_ACTIVITY, json={}), 400, "activity")


def test_unknown_org_or_flow_is_404(client):
    assert_webex_error(client.post("/_mock/flows/nowhere/run-activity", json={"activity": http_activity()}), 404,
                       "nowhere")
    assert_webex_error(client.post(f"/_mock/flows/{DEMO_ORG}/nope/run", json={}), 404, "nope")


def test_bundled_flow_run_passes_site_to_team_lookup_and_creation(client, rt):
    sites = {"meta": {"totalRecords": 2}, "data": [{"id": "site-1", "name": "Main", "active": True},
                                                   {"id": "site-2", "name": "Old", "active": False}]}
    teams = {"meta": {"totalRecords": 1}, "data": [{"id": "t1", "name": "Sales"}]}
    rt.flow_dispatcher = fake = FakeDispatcher((200, sites), (200, teams), (201, {"id": "team-new"}))
    body = client.post(f"/_mock/flows/{DEMO_ORG}/{FLOW_ID}/run", json={}).get_json()
    assert body["status"] == "completed" and body["globalError"] is None
    v = body["variables"]
    assert (v["siteId"], v["siteName"], v["activeSiteIds"], v["teamCount"], v["firstTeamName"], v["newTeamId"]) == (
        "site-1", "Main", ["site-1"], 1, "Sales", "team-new")
    assert fake.sent[1][0].query == {"filter": "siteId==site-1"}
    created = json.loads(fake.sent[2][0].body)
    assert created["siteId"] == "site-1" and created["name"] == "Overflow team (flow demo)"
    assert [o.headers["Authorization"] != "" for o, _ in fake.sent] == [True, True, True]


def test_connector_tokens_carry_each_activitys_connector(client, rt):
    rt.flow_dispatcher = fake = FakeDispatcher((200, {"data": []}))
    client.post(f"/_mock/flows/{DEMO_ORG}/{FLOW_ID}/run", json={})
    ids = [rt.tokens.verify(o.headers["Authorization"][7:])["connector_id"] for o, _ in fake.sent]
    assert ids == [RO_ID, RO_ID, RW_ID]


def test_flows_cannot_call_the_mock_control_api(client, rt):
    rt.flow_dispatcher = fake = FakeDispatcher((204, {}))
    direct = {"authenticated": False, "httpRequestMethod": "POST", "httpRequestUrl": "http://localhost/_mock/reset"}
    assert_webex_error(client.post(RUN_ACTIVITY, json={"activity": direct}), 400, "control API")
    via = http_activity(httpRequestPath=f"/_mock/flows/{DEMO_ORG}/{FLOW_ID}/run", httpRequestMethod="GET")
    assert_webex_error(client.post(RUN_ACTIVITY, json={"activity": via}), 400, "control API")
    assert fake.sent == []


def test_header_with_a_line_break_is_400(client, rt):
    rt.flow_dispatcher = fake = FakeDispatcher((200, {}))
    props = http_activity(httpRequestHeaders={"X-A": "{{v}}"})
    resp = client.post(RUN_ACTIVITY, json={"activity": props, "variables": {"v": "a\r\nInjected: 1"}})
    assert_webex_error(resp, 400, "X-A")
    assert fake.sent == []


def test_a_path_is_never_a_host(client, rt):
    rt.flow_dispatcher = fake = FakeDispatcher((404, {}))
    client.post(RUN_ACTIVITY, json={"activity": http_activity(httpRequestPath="//evil.example/x?a=1")})
    assert (fake.sent[0][0].path, fake.sent[0][0].query) == ("//evil.example/x", {"a": "1"})


def test_input_that_is_not_valid_unicode_is_400(client):
    raw = '{"activity": {"name": "\\ud800"}}'
    assert_webex_error(client.post(RUN_ACTIVITY, data=raw, content_type="application/json"), 400, "not valid JSON")
