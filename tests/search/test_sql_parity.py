"""The SQLite view answers exactly as the Python path: every documented query and a table of filters, both ways."""
from __future__ import annotations

import pytest

from mockserver.search import engine, sql
from mockserver.search import fields as F

from ..conftest import DEMO_ORG
from .conftest import DEMO_FLOW
from .test_docs_queries import QUERIES


class PythonOnly:
    """The history seen without its SQLite tables: every query takes the Python path."""

    def __init__(self, history):
        for name in ("tasks", "task", "agent_sessions", "view_tasks", "view_agent_sessions"):
            setattr(self, name, getattr(history, name))


def _rounded(node):
    if isinstance(node, float):
        return round(node, 6)
    if isinstance(node, dict):
        return {k: _rounded(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_rounded(v) for v in node]
    return node


def both(world, query: str, **variables):
    ctx = {"org": DEMO_ORG, "history": world.rt.history, "now": world.now, "store": world.rt.store}
    variables = {"from": world.start, "to": world.now, **variables}
    fast = engine.run(query, variables, ctx, "t")
    slow = engine.run(query, variables, {**ctx, "history": PythonOnly(world.rt.history)}, "t")
    assert fast[0] == slow[0] == 200, (fast, slow)
    assert _rounded(fast[1]) == _rounded(slow[1])
    return fast[1]


VARIABLES = {2: lambda w: {"agent": next(t for t in w.tasks if t.get("lastAgent"))["lastAgent"]["id"]},
             8: lambda w: {"team": "team-a"}, 12: lambda w: {"queue": "q-sales"},
             14: lambda w: {"task": w.tasks[3]["id"]}, 18: lambda w: {"flow": DEMO_FLOW}}


@pytest.mark.parametrize("number", sorted(QUERIES))
def test_every_documented_query_answers_the_same_both_ways(world, number):
    body = both(world, QUERIES[number], **VARIABLES.get(number, lambda w: {})(world))
    assert next(iter(body["data"].values()))


FILTERS = [
    {"channelType": {"equals": "chat"}},
    {"lastAgent": {"equals": {"id": None}}},
    {"owner": {"notequals": {"id": None}}},
    {"lastTeam": {"id": {"notequals": "team-a"}}},
    {"lastQueue": {"id": {"in": ["q-sales", "q-chat"]}, "duration": {"gte": 60000}}},
    {"lastQueue": {"name": {"notin": ["Sales"]}}},
    {"origin": {"contains": "@mail"}},
    {"origin": {"match": "^\\+4917[0-4]"}},
    {"isContactHandled": {"equals": False}},
    {"isActive": {"notequals": True}},
    {"totalDuration": {"equals": None}},
    {"and": [{"queueDuration": {"gt": 20000}}, {"or": [{"channelType": {"equals": "email"}},
                                                      {"not": {"terminationType": {"equals": "normal"}}}]}]},
    {"or": []},
    {"lastWrapupCodeName": {"equals": "Sale"}, "connectedDuration": {"lt": 300000}},
    {"queueCount": {"equals": 1}, "holdCount": {"in": [0]}},
]


@pytest.mark.parametrize("spec", FILTERS, ids=[str(f)[:60] for f in FILTERS])
def test_filters_compile_and_agree(world, spec):
    assert sql.where(spec, F.TASK, []) != ""  # the SQLite path takes it (no fall-back to Python)
    q = ("query($from: Long!, $to: Long!, $f: TaskDetailsFilters) { taskDetails(from: $from, to: $to, filter: $f) "
         "{ tasks { id } pageInfo { hasNextPage } } }")
    raw = both(world, q, f=spec)
    agg = both(world, q.replace("{ tasks { id } pageInfo { hasNextPage } }",
                                "{ tasks { channelType aggregation { name value } } }").replace(
        "filter: $f)", "filter: $f, aggregations: [{field: \"id\", type: count, name: \"n\"}, {field: "
        "\"queueDuration\", type: max, name: \"m\"}, {field: \"lastAgent.id\", type: cardinality, name: \"a\", "
        "filter: {isContactHandled: {equals: true}}}])"), f=spec)
    assert raw["data"]["taskDetails"]["pageInfo"] is not None and agg["data"]["taskDetails"]["tasks"] is not None


def test_lists_and_global_variables_take_the_python_path():
    with pytest.raises(sql.NotCompilable):
        sql.where({"channelInfo": {"channelType": {"equals": "chat"}}}, F.SESSION, [])
    with pytest.raises(sql.NotCompilable):
        sql.where({"stringGlobalVariables": {"name": {"equals": "X"}}}, F.TASK, [])
