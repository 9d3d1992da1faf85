"""Bad and hostile queries get the vendor's errors quickly; windows outside the limits are refused; access."""
from __future__ import annotations

import pytest

from ..conftest import DEMO_ORG, NOLICENSE_ORG
from .conftest import DAY, World

RAW = "query($from: Long!, $to: Long!) { task(from: $from, to: $to) { tasks { id } } }"


def refused(resp, status: int, part: str) -> dict:
    """Both shapes: the vendor's ApiErrorResponse and the GraphQL errors list, naming the problem."""
    assert resp.status_code == status, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["error"]["key"] == str(status) and body["trackingId"] == resp.headers["TrackingID"]
    assert body["data"] is None and body["errors"]
    assert any(part in e["message"] for e in body["errors"]), body["errors"]
    assert [m["description"] for m in body["error"]["message"]] == [e["message"] for e in body["errors"]]
    return body


def test_malformed_query_is_invalid_syntax(world):
    body = refused(world.post("{ task(from: 1, to: 2) { tasks { id }"), 400, "Invalid Syntax")
    assert body["errors"][0]["extensions"] == {"classification": "InvalidSyntax"}
    assert body["errors"][0]["locations"]


def test_unknown_field_is_field_undefined_with_its_path(world):
    q = "query($from: Long!, $to: Long!) { task(from: $from, to: $to) { tasks { id queue { id } } } }"
    body = refused(world.post(q), 400, "Validation error of type FieldUndefined: Field 'queue' in type 'Task' is "
                                       "undefined @ 'task/tasks/queue'")
    assert body["errors"][0]["extensions"] == {"classification": "ValidationError"}


@pytest.mark.parametrize("args,missing", [("to: 2000", "from"), ("from: 1000", "to"), ("", "from")])
def test_missing_window_is_missing_field_argument(world, args, missing):
    q = "{ taskDetails%s { tasks { id } } }" % (f"({args})" if args else "")
    refused(world.post(q), 400, f"Missing field argument {missing} @ 'taskDetails'")


def test_too_wide_and_too_old_windows_are_refused(world):
    refused(world.post(RAW, **{"from": world.now - 366 * DAY, "to": world.now}), 400, "365 days")
    refused(world.post(RAW, **{"from": world.now, "to": world.now - DAY}), 400, "after 'to'")


def test_a_future_to_is_clamped_and_seconds_give_an_empty_answer(world):
    body = world.data(RAW, **{"to": world.now + 30 * DAY})
    assert len(body["tasks"]) == 250  # the day up to now, first page
    assert world.data(RAW, **{"from": world.start // 1000, "to": world.now // 1000})["tasks"] == []
    old = world.now - 37 * 30 * DAY  # older than 36 months: nothing is kept there
    world.rt.history.put_task("f222c4e4-0b5a-4a5e-9e2c-8d3b6d0b1a01", {"id": "ancient", "createdTime": old + 1})
    assert world.data(RAW, **{"from": old, "to": old + DAY})["tasks"] == []


def test_interval_must_suit_the_window(world):
    q = ("query($from: Long!, $to: Long!) { taskDetails(from: $from, to: $to, aggregations: [{field: \"id\", "
         "type: count, name: \"n\"}], aggregationInterval: {interval: FIFTEEN_MINUTES}) { tasks { intervalStartTime "
         "aggregation { name value } } } }")
    refused(world.post(q, **{"from": world.now - 3 * DAY}), 400, "FIFTEEN_MINUTES is not allowed")
    assert world.data(q)["tasks"]  # one day: fine


def test_avg_is_not_an_aggregation_type(world):
    q = ("query($from: Long!, $to: Long!) { task(from: $from, to: $to, aggregations: [{field: \"totalDuration\", "
         "type: avg, name: \"x\"}]) { tasks { aggregation { name value } } } }")
    refused(world.post(q), 400, "avg")


def test_wrong_variable_type_and_unknown_argument(world):
    refused(world.post(RAW, **{"from": "yesterday"}), 400, "from")
    q = "query($from: Long!, $to: Long!) { task(from: $from, to: $to, size: 5) { tasks { id } } }"
    refused(world.post(q), 400, "Unknown field argument size")


def test_bad_regular_expression_and_unknown_timezone(world):
    q = ("query($from: Long!, $to: Long!) { task(from: $from, to: $to, filter: {origin: {match: \"(unclosed\"}}) "
         "{ tasks { id } } }")
    refused(world.post(q), 400, "not a valid regular expression")
    q = ("query($from: Long!, $to: Long!) { task(from: $from, to: $to, aggregations: [{field: \"id\", type: count}], "
         "aggregationInterval: {interval: DAILY, timezone: \"Mars/Olympus\"}) { tasks { aggregation { value } } } }")
    refused(world.post(q), 400, "unknown timezone")


def test_catastrophic_pattern_runs_in_linear_time(world):
    q = ("query($from: Long!, $to: Long!) { task(from: $from, to: $to, filter: {origin: {match: \"^(a+)+$\"}}) "
         "{ tasks { id } } }")
    assert world.data(q)["tasks"] == []  # RE2: no backtracking, so this answers at once


def test_deep_query_is_refused(world):
    deep = "lastQueue { " * 20 + "id" + " }" * 20
    q = "query($from: Long!, $to: Long!) { task(from: $from, to: $to) { tasks { %s } } }" % deep
    refused(world.post(q), 400, "levels deep")


def test_too_many_aliases_is_refused(world):
    fields = " ".join(f"a{i}: id" for i in range(150))
    q = "query($from: Long!, $to: Long!) { task(from: $from, to: $to) { tasks { %s } } }" % fields
    refused(world.post(q), 400, "aliases")


def test_fragment_bomb_is_refused_before_it_is_expanded(world):
    frags = ["fragment F0 on Task { id origin destination status }"]
    for i in range(1, 12):
        frags.append(f"fragment F{i} on Task {{ ...F{i - 1} ...F{i - 1} }}")
    q = "query($from: Long!, $to: Long!) { task(from: $from, to: $to) { tasks { ...F11 } } } " + " ".join(frags)
    refused(world.post(q), 413, "fields")


def test_huge_documents_are_413(world):
    refused(world.post("{ " + "a " * 40000 + "}"), 413, "characters")
    refused(world.post("{ " + "a " * 25000 + "}"), 413, "tokens")


def test_introspection_is_disabled(world):
    refused(world.post("{ __schema { queryType { name } } }"), 400, "introspection")


def test_ext_filter_that_cannot_fill_a_page_is_413():
    small = World(contacts=0, agents=1)
    for i in range(2600):
        small.rt.history.put_task(DEMO_ORG, {"id": f"x{i}", "createdTime": small.start + 1000 + i,
                                             "activities": [{"eventName": "new"}]})
    q = ("query($from: Long!, $to: Long!) { taskDetails(from: $from, to: $to, extFilter: {activities: {nodes: "
         "{eventName: {equals: %s}}}}) { tasks { id } } }")
    refused(small.post(q % '"parked"'), 413, "2500 candidate")
    assert len(small.data(q % '"new"')["tasks"]) == 250  # a filter the records meet fills its page


def test_roles_and_scopes_as_the_vendor_documents(world):
    def call(user, scopes, org=None):
        tok = world.client.post("/_mock/tokens", json={"user": user, "scopes": scopes}).get_json()["access_token"]
        url = "/search" + (f"?orgId={org}" if org else "")
        return world.client.post(url, json={"query": RAW, "variables": {"from": world.start, "to": world.now}},
                                 headers={"Authorization": f"Bearer {tok}"})
    assert call("full.admin@acme.example", ["cjp:config"]).status_code == 200
    assert call("readonly.admin@acme.example", ["cjp:config_read"], DEMO_ORG).status_code == 200
    agent = call("agent@acme.example", ["cjp:config_read"])
    assert agent.status_code == 403 and "roles" in agent.get_json()["error"]["reason"]
    scope = call("full.admin@acme.example", ["cjp:config_write", "cjp:user"])
    assert scope.status_code == 403 and "scope" in scope.get_json()["error"]["reason"]
    other = call("full.admin@acme.example", ["cjp:config_read"], NOLICENSE_ORG)
    assert other.status_code == 403 and NOLICENSE_ORG in other.get_json()["error"]["reason"]


def test_body_must_be_a_query_object(world):
    resp = world.client.post("/search", json=["x"], headers=world.headers)
    assert resp.status_code == 400 and "object" in resp.get_json()["error"]["reason"]
    refused(world.client.post("/search", json={"variables": {}}, headers=world.headers), 400, "query")


def test_a_small_query_that_would_answer_millions_is_413(world):
    nodes = " ".join(f"n{i}: activities(first: 100) {{ nodes {{ id eventName duration queueId agentId }} }}"
                     for i in range(30))
    q = "query($from: Long!, $to: Long!) { taskDetails(from: $from, to: $to) { tasks { id %s } } }" % nodes
    refused(world.post(q), 413, "values")


def test_a_query_text_sent_again_is_answered_for_its_own_variables_and_refused_again(world):
    q = ("query($from: Long!, $to: Long!, $agent: String) { taskDetails(from: $from, to: $to, "
         "filter: {lastAgent: {id: {equals: $agent}}}) { tasks { id lastAgent { id } } } }")
    agents = sorted({t["lastAgent"]["id"] for t in world.tasks if t.get("lastAgent")})[:2]
    for agent in agents * 2:  # the second time each text comes from the prepared documents
        got = world.data(q, agent=agent)["tasks"]
        want = [t["id"] for t in world.tasks if (t.get("lastAgent") or {}).get("id") == agent
                and world.start <= t["createdTime"] <= world.now][:250]
        assert [t["id"] for t in got] == want and want
    bad = "query($from: Long!, $to: Long!) { task(from: $from, to: $to) { tasks { id nope } } }"
    first, second = world.post(bad), world.post(bad)
    for resp in (first, second):
        refused(resp, 400, "Field 'nope' in type 'Task' is undefined")
    assert first.get_json()["trackingId"] != second.get_json()["trackingId"]


def test_the_prepared_documents_stay_bounded_in_count_and_text():
    from mockserver.search import engine

    base = "query($from: Long!, $to: Long!) { task(from: $from, to: $to) { tasks { id } } }"
    for i in range(engine.PREPARED + 50):
        doc, refusal = engine.prepared(f"{base} # {i}")
        assert refusal is None and doc is not None
    assert len(engine._cache) == engine.PREPARED
    long_text = base + " #" + "x" * 1000
    for i in range(engine.PREPARED_CHARS // 1000 + 10):
        engine.prepared(f"{long_text} {i}")
    assert sum(len(t) for t in engine._cache) == engine._cached_chars[0] <= engine.PREPARED_CHARS
    huge = base + " #" + "y" * engine.PREPARED_TEXT
    assert engine.prepared(huge)[1] is None and huge not in engine._cache
