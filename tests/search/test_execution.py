"""GraphQL execution details: directives, __typename, operation names, variables, bad record values."""
from __future__ import annotations

from ..conftest import DEMO_ORG
from .test_errors_and_limits import refused

Q = ("query A($from: Long!, $to: Long!, $more: Boolean!) { taskDetails(from: $from, to: $to, "
     "filter: {id: {equals: \"%s\"}}) { __typename tasks { __typename id channelType @include(if: $more) "
     "origin @skip(if: $more) ... on TaskDetails { lastQueue { name } } } } } "
     "query B { __typename }")


def test_directives_typename_and_operation_names(world):
    task = world.tasks[0]
    body = {"query": Q % task["id"], "operationName": "A",
            "variables": {"from": world.start, "to": world.now, "more": True}}
    resp = world.client.post("/search", json=body, headers=world.headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json() == {"data": {"taskDetails": {"__typename": "TaskDetailsList", "tasks": [
        {"__typename": "TaskDetails", "id": task["id"], "channelType": task["channelType"],
         "lastQueue": {"name": task["lastQueue"]["name"]}}]}}}
    body["variables"]["more"] = False
    row = world.client.post("/search", json=body, headers=world.headers).get_json()["data"]["taskDetails"]["tasks"][0]
    assert row["origin"] == task["origin"] and "channelType" not in row
    unnamed = world.client.post("/search", json={**body, "operationName": None}, headers=world.headers)
    refused(unnamed, 400, "operation name")
    refused(world.client.post("/search", json={"query": "mutation { task }"}, headers=world.headers), 400,
            "mutation")


def test_missing_variable_is_refused(world):
    q = "query($from: Long!, $to: Long!) { task(from: $from, to: $to) { tasks { id } } }"
    resp = world.client.post("/search", json={"query": q, "variables": {"from": world.start}}, headers=world.headers)
    refused(resp, 400, "$to")


def test_a_record_value_of_the_wrong_type_is_null_with_an_error(world):
    world.rt.history.put_task(DEMO_ORG, {"id": "odd", "createdTime": world.start + 5, "totalDuration": "long"})
    q = ("query($from: Long!, $to: Long!) { taskDetails(from: $from, to: $to, filter: {id: {equals: \"odd\"}}) "
         "{ tasks { id totalDuration } } }")
    body = world.post(q).get_json()
    assert body["data"]["taskDetails"]["tasks"] == [{"id": "odd", "totalDuration": None}]
    assert body["errors"][0]["path"] == ["taskDetails", "tasks", 0, "totalDuration"]


def test_answers_over_a_megabyte_are_gzipped_when_asked(world):
    import gzip
    import json

    fields = " ".join(f"a{i}: lastAgent {{ id name phoneNumber }}" for i in range(50)) + " " + " ".join(
        f"b{i}: destination" for i in range(40))
    q = "query($from: Long!, $to: Long!) { taskDetails(from: $from, to: $to) { tasks { id %s } } }" % fields
    body = {"query": q, "variables": {"from": world.start, "to": world.now}}
    plain = world.client.post("/search", json=body, headers=world.headers)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers and len(plain.get_data()) > 1 << 20
    packed = world.client.post("/search", json=body, headers={**world.headers, "Accept-Encoding": "br, gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.get_data())) == plain.get_json()
    small = world.client.post("/search", json={**body, "query": q.replace(fields, "")},
                              headers={**world.headers, "Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in small.headers
