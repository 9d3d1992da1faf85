"""The flow roots over what the simulation did: each contact's entry point and its configured flow, the contact's
times; numbered pages, filters and the errors of bad input."""
from __future__ import annotations

import pytest

from mockserver import create_app
from mockserver.search import flowroots

from ..activity.drive import DEMO_ORG, OUTDIAL_EP, SUPPORT_LINE, Driver
from .conftest import DEMO_FLOW
from .test_errors_and_limits import refused

HOUR = 3_600_000
ALL = """query($from: Long!, $to: Long!, $page: Int) { flowInteractions(from: $from, to: $to,
  pagination: {pageSize: 1000, currentPage: $page}) { flowInteractions { interactionId flowId entryPointName
  lastExecutedActivity mainFlowActivities flowStartTime flowEndTime status } pageInfo { totalHits } } }"""
TRACE = """query($from: Long!, $to: Long!, $id: String) { flowTraceEvents(from: $from, to: $to,
  filter: {interactionId: {equals: $id}}) { flowTraceEvents { activityName activityProcessId outcome
  activityInputs { name value } flowStartTime flowEndTime } pageInfo { totalHits } } }"""


@pytest.fixture(scope="module")
def center():
    """Three hours of generated traffic; the support line configured (through the API) with the bundled flow."""
    d = Driver(create_app({"access_log": False}))
    writer = d._headers("full.admin@acme.example", ["cjp:config", "cjp:config_read", "cjp:config_write"])
    url = f"/organization/{DEMO_ORG}/entry-point/{SUPPORT_LINE}"
    ep = d.client.get(url, headers=writer).get_json()
    resp = d.client.put(url, json={**ep, "flowId": DEMO_FLOW}, headers=writer)
    assert resp.status_code == 200 and resp.get_json()["flowId"] == DEMO_FLOW
    now = d.rt.clock.now_ms()
    resp = d.client.post(f"/_mock/activity/{DEMO_ORG}", json={"from": now - 3 * HOUR, "to": now, "seed": 5,
                                                              "rate": 15})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return d


def search(d, query, **variables):
    now = d.rt.clock.now_ms()
    resp = d.client.post("/search", json={"query": query, "variables": {"from": now - 3 * HOUR, "to": now,
                                                                        **variables}}, headers=d.admin)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert "errors" not in resp.get_json()
    return next(iter(resp.get_json()["data"].values()))


def test_each_contact_reports_its_entry_points_flow_and_its_times(center):
    now = center.rt.clock.now_ms()
    records = [t for t in center.rt.history.tasks(DEMO_ORG, now - 3 * HOUR, now + 1) if t["direction"] == "inbound"]
    body = search(center, ALL)
    assert body["pageInfo"]["totalHits"] == len(records) > 100
    got = {r["interactionId"]: r for r in body["flowInteractions"]}
    assert list(got) == [t["id"] for t in records]
    support = [t for t in records if t["lastEntryPoint"]["id"] == SUPPORT_LINE]
    assert support and len(support) < len(records)
    for t in records:
        r = got[t["id"]]
        done = not (t["isActive"] and t["status"] in ("created", "parked"))
        assert r["flowStartTime"] == t["createdTime"] and r["entryPointName"] == t["lastEntryPoint"]["name"]
        assert r["flowEndTime"] == (t["createdTime"] + t["selfserviceDuration"] + t["queueDuration"]
                                    + t["ringingDuration"] if done else None)
        assert r["status"] == ("active" if not done else "abandoned" if t["terminationType"] == "abandoned"
                               else "completed")
        if t in support:
            assert (r["flowId"], r["lastExecutedActivity"], r["mainFlowActivities"]) == (
                DEMO_FLOW, "DisconnectContact", 7)
        else:  # no flow configured: the simulation's routing, start then queue
            assert (r["flowId"], r["lastExecutedActivity"], r["mainFlowActivities"]) == (
                (None, "QueueContact", 2) if t["lastQueue"] else (None, "NewPhoneContact", 1))
    assert {r["status"] for r in got.values()} >= {"completed", "abandoned"}


def test_trace_events_of_a_contact_without_a_configured_flow(center):
    now = center.rt.clock.now_ms()
    task = next(t for t in center.rt.history.tasks(DEMO_ORG, now - 3 * HOUR, now + 1)
                if t["lastEntryPoint"]["id"] != SUPPORT_LINE and t["lastQueue"] and not t["isActive"])
    body = search(center, TRACE, id=task["id"])
    end = task["createdTime"] + task["selfserviceDuration"] + task["queueDuration"] + task["ringingDuration"]
    assert body == {"flowTraceEvents": [
        {"activityName": "NewPhoneContact", "activityProcessId": None, "outcome": "out", "activityInputs": [],
         "flowStartTime": task["createdTime"], "flowEndTime": end},
        {"activityName": "QueueContact", "activityProcessId": None, "outcome": None,
         "activityInputs": [{"name": "queueId", "value": task["lastQueue"]["id"]}],
         "flowStartTime": task["createdTime"], "flowEndTime": end}], "pageInfo": {"totalHits": 2}}


def test_a_live_contact_is_in_its_flow_until_an_agent_has_it():
    d = Driver(create_app({"access_log": False}))
    d.login(d.a, "+15551001")
    tid = d.contact()
    [row] = [r for r in search(d, ALL)["flowInteractions"] if r["interactionId"] == tid]
    assert (row["status"], row["flowEndTime"]) == ("active", None)
    d.rt.clock.advance(20)
    d.ok(d.a, tid, "accept")
    d.rt.clock.advance(60)
    [row] = [r for r in search(d, ALL)["flowInteractions"] if r["interactionId"] == tid]
    record = d.record(tid)
    assert row["status"] == "completed" and record["status"] == "connected" and record["isActive"]
    assert row["flowEndTime"] == record["createdTime"] + record["selfserviceDuration"] + record["queueDuration"] + \
        record["ringingDuration"]


def test_filters_and_numbered_pages(world):
    q = """query($from: Long!, $to: Long!, $page: Int) { flowInteractions(from: $from, to: $to,
      filter: {or: [{status: {equals: "abandoned"}}, {and: [{status: {equals: "active"}},
                    {flowStartTime: {gte: %d}}]}]}, pagination: {pageSize: 7, currentPage: $page}) {
      flowInteractions { interactionId status } pageInfo { hasNextPage totalPages totalHits } } }"""
    cut = world.now - 3_600_000
    active = lambda t: t["isActive"] and t["status"] in ("created", "parked")  # noqa: E731
    want = [t["id"] for t in world.tasks if (t["terminationType"] == "abandoned" and not active(t))
            or (active(t) and t["createdTime"] >= cut)]
    pages = -(-len(want) // 7)
    assert pages > 2
    got = []
    for page in range(1, pages + 2):
        body = world.data(q % cut, page=page)
        assert body["pageInfo"] == {"hasNextPage": page < pages, "totalPages": pages, "totalHits": len(want)}
        got += [r["interactionId"] for r in body["flowInteractions"]]
    assert got == want  # the page after the last is empty


@pytest.mark.parametrize("pagination,part", [
    ("{pageSize: 0}", "pageSize must be between 1 and 1000, not 0"),
    ("{pageSize: 1001}", "pageSize must be between 1 and 1000, not 1001"),
    ("{currentPage: 0}", "currentPage starts at 1, not 0"),
    ("{cursor: \"1\"}", "Field 'cursor' is not defined by type 'FlowPagination'"),
])
def test_bad_pagination_is_refused(world, pagination, part):
    q = "query($from: Long!, $to: Long!) { flowTraceEvents(from: $from, to: $to, pagination: %s) " \
        "{ flowTraceEvents { interactionId } } }" % pagination
    refused(world.post(q), 400, part)


def test_schema_and_window_errors_of_the_flow_roots(world):
    refused(world.post("{ flowInteractions(to: 2) { flowInteractions { interactionId } } }"), 400,
            "Missing field argument from @ 'flowInteractions'")
    q = "query($from: Long!, $to: Long!) { flowInteractions(from: $from, to: $to) { flowInteractions { taskId } } }"
    refused(world.post(q), 400, "Validation error of type FieldUndefined: Field 'taskId' in type 'FlowInteraction' "
                                "is undefined @ 'flowInteractions/flowInteractions/taskId'")
    q = "query($from: Long!, $to: Long!) { flowTraceEvents(from: $from, to: $to) { flowTraceEvents { outcome } } }"
    refused(world.post(q, **{"from": world.now - 400 * 86_400_000}), 400, "365 days")
    q = ("query($from: Long!, $to: Long!) { flowInteractions(from: $from, to: $to, aggregations: [{field: \"status\", "
         "type: sum, name: \"x\"}]) { flowInteractions { aggregation { name value } } } }")
    refused(world.post(q), 400, "sum needs a numeric field; 'status' is String")


def test_a_window_with_too_many_flow_records_is_a_413(world, monkeypatch):
    monkeypatch.setattr(flowroots, "MAX_DERIVED", 1000)  # the day holds 1500 contacts, 7 trace events each
    q = "query($from: Long!, $to: Long!) { flowTraceEvents(from: $from, to: $to) { flowTraceEvents { outcome } } }"
    refused(world.post(q), 413, "more than 1000 records; narrow the window")


def test_an_execute_flow_task_runs_its_entry_points_flow_and_an_outdial_none():
    d = Driver(create_app({"access_log": False}))
    d.login(d.a, "+15551001", available=False)
    made = {}
    for kind, ep in (("EXECUTE_FLOW", SUPPORT_LINE), ("OUTDIAL", OUTDIAL_EP)):
        resp = d.client.post("/v1/tasks", json={"destination": "+15550123", "entryPointId": ep, "mediaType":
                                                "telephony", "outboundType": kind, "origin": "+19195550100"},
                             headers=d.a)
        assert resp.status_code == 201, resp.get_data(as_text=True)
        made[kind] = resp.get_json()["data"]["id"]
    rows = {r["interactionId"]: r for r in search(d, ALL)["flowInteractions"]}
    assert made["OUTDIAL"] not in rows
    record = d.record(made["EXECUTE_FLOW"])
    assert record["direction"] == "outbound" and record["lastQueue"]
    assert rows[made["EXECUTE_FLOW"]] == {
        "interactionId": made["EXECUTE_FLOW"], "flowId": None, "entryPointName": record["lastEntryPoint"]["name"],
        "lastExecutedActivity": "QueueContact", "mainFlowActivities": 2, "flowStartTime": record["createdTime"],
        "flowEndTime": None, "status": "active"}


def test_interval_aggregation_and_sort_of_the_flow_roots(world):
    from collections import Counter

    q = """query($from: Long!, $to: Long!) { flowTraceEvents(from: $from, to: $to,
      filter: {activityName: {equals: "GetSites"}}, aggregations: [{field: "interactionId", type: cardinality,
      name: "contacts"}], aggregationInterval: {interval: HOURLY}) { flowTraceEvents { intervalStartTime
      aggregation { name value } } pageInfo { totalHits } } }"""
    want = Counter(t["createdTime"] - t["createdTime"] % HOUR for t in world.tasks)
    body = world.data(q)
    assert {r["intervalStartTime"]: r["aggregation"] for r in body["flowTraceEvents"]} == {
        h: [{"name": "contacts", "value": float(n)}] for h, n in want.items()}
    assert body["pageInfo"]["totalHits"] == len(want)
    q = """query($from: Long!, $to: Long!) { flowInteractions(from: $from, to: $to, pagination: {pageSize: 5}) {
      flowInteractions { interactionId flowEndTime(sort: desc) } } }"""
    ended = sorted((t for t in world.tasks if not (t["isActive"] and t["status"] in ("created", "parked"))),
                   key=lambda t: -(t["createdTime"] + t["selfserviceDuration"] + t["queueDuration"]
                                   + t["ringingDuration"]))
    assert [r["interactionId"] for r in world.data(q)["flowInteractions"]] == [t["id"] for t in ended[:5]]
