"""Property-based testing over the VENDOR's OpenAPI spec, for every operation the mock serves (schemathesis).

The mock's own document (``test_fuzz_openapi.py``) says what the mock means to do; this file asks what a client
written against Cisco's spec meets: no 5xx, and every answer valid against the vendor's schema, with the facts'
documented allowances only (``ALLOWANCES``). Seeded; ``MOCKSERVER_FUZZ_EXAMPLES`` raises the example count for a
long local run (the default, a few per operation, keeps CI short).

Two things are adapted so that the spec can drive requests at all, not to relax any answer:
- the bodies the spec declares as a query parameter (``teamDTO``, ``payloadDTO``...) go in a JSON body, as every
  client sends them and live accepts (webex-cc-facts.md 3.1);
- the spec's Java patterns are read as Python reads them (``[\\d-_]``), and the exponential name pattern of
  business hours, holiday lists and overrides is the linear equivalent (``constraints.python_pattern``).
"""
from __future__ import annotations

import copy
import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from mockserver import create_app
from mockserver.resources.constraints import python_pattern

from .. import vendor_spec
from ..conftest import ALL_SCOPES, DEMO_ORG

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("MOCKSERVER_FUZZ_EXAMPLES", "2"))
APP = create_app({"access_log": False})
#: The documented allowances, each a line of docs/differences.md:
#: - list views drop array fields and desktop-layout lists jsonFileContent (facts 3.2): "list" mode;
#: - ``attributes=`` returns only the fields asked for (facts 3.3): "projection" mode;
#: - GET /v3/user-profile's and GET /v2/ai-feature's 200 are documented as a string holding an example of the
#:   usual envelope (the shared table in tests/vendor_spec.py).
LIVE_CODES, GENERIC_ERROR, SPEC_FIXES = vendor_spec.LIVE_CODES, vendor_spec.GENERIC_ERROR, vendor_spec.SPEC_FIXES
#: Subscription errors carry an integer ``key`` (runtime facts 3.7, "ErrorResult bodies with int key"), where the
#: spec's ErrorResult says string: the live service wins (docs/differences.md, Webhooks).
SUBSCRIPTION_ERROR = {"type": "object", "required": ["trackingId", "error"], "properties": {
    "trackingId": {"type": "string"},
    "error": {"type": "object", "required": ["key"], "properties": {"key": {"type": "integer"}}}}}
#: Problems the vendor's own schema has with the live names (docs/differences.md): event-type actions of three
#: letters (``task:new``) against the spec's minimum length of 4 (runtime facts 3.4).
KNOWN_PROBLEMS = [(re.compile(r"^/v[12]/event-types$"), re.compile(r"^data/\d+/action: '\w{1,3}' is too short$"))]


def _served() -> set[tuple[str, str]]:
    from .. import app_routes

    return {(m, vendor_spec.template(r)) for m, r, _ in app_routes.vendor_routes()}


def _patterns(node):
    if isinstance(node, dict):
        return {k: (python_pattern(v) if k == "pattern" and isinstance(v, str) else _patterns(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_patterns(v) for v in node]
    return node


def _body_from_query(op: dict) -> None:
    """A DTO the spec puts in the query string goes in the JSON body (facts 3.1)."""
    if "requestBody" in op:
        return
    for param in list(op.get("parameters", [])):
        if param.get("in") == "query" and "$ref" in param.get("schema", {}) and param["name"].endswith("DTO"):
            op["parameters"].remove(param)
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": param["schema"]}}}


def vendor_document() -> dict:
    """The vendor spec cut to the operations the mock serves, ready for schemathesis."""
    raw, served, paths = copy.deepcopy(vendor_spec.spec()), _served(), {}
    for path, item in raw["paths"].items():
        ops = {m: op for m, op in item.items() if (m.upper(), vendor_spec.template(path)) in served}
        for op in ops.values():
            _body_from_query(op)
        if ops:
            paths[path] = {**{k: v for k, v in item.items() if k == "parameters"}, **ops}
    raw["paths"] = paths
    raw.pop("servers", None)
    raw["components"] = {"schemas": _reachable(paths, raw["components"]["schemas"])}  # collection is per schema
    return _patterns(raw)


def _reachable(paths: dict, schemas: dict) -> dict:
    """The component schemas the cut paths refer to, directly or through each other."""
    seen, todo = set(), [paths]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in seen:
                    seen.add(name)
                    todo.append(schemas[name])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return {name: schemas[name] for name in sorted(seen)}


DOCUMENT = vendor_document()
schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = APP
# Schemathesis' coverage phase enumerates boundary bodies of the vendor's large DTOs while collecting (minutes);
# the generated examples below reach the same operations with the same checks.
schema.config.phases.coverage.enabled = False
_ONLY = os.environ.get("MOCKSERVER_FUZZ_PATHS")
schema = schema.include(path_regex=_ONLY) if _ONLY else schema


def _token() -> str:
    resp = APP.test_client().post("/_mock/tokens", json={"user": "full.admin@acme.example", "scopes": ALL_SCOPES})
    return resp.get_json()["access_token"]


HEADERS = {"Authorization": f"Bearer {_token()}"}


def _mode(method: str, path: str, query: dict) -> str:
    if query and query.get("attributes") not in (None, ""):
        return "projection"
    if method == "GET" and not path.rstrip("/").endswith("}"):
        return "list"
    return "strict"


def conforms_to_the_vendor_schema(case, response) -> None:
    """The body fits the schema the vendor documents for the answer's status (live codes mapped)."""
    method, path, got = case.method.upper(), case.operation.path, str(response.status_code)
    op = case.operation.definition.raw
    status = got
    if got not in op.get("responses", {}):
        status = next((s for (m, s), live in LIVE_CODES.items() if m == method and live == got
                       and s in op.get("responses", {})), got)
    schema_ = SPEC_FIXES.get((method, path, status))
    if schema_ is None and str(case.query.get("includePagination", "")).lower() == "true" and got == "200":
        # The parameter's own text: "a different paginated response object containing the page metadata ...
        # The flow objects will be in an array named data" (no schema documented for it).
        schema_ = {"type": "object", "required": ["meta", "data"],
                   "properties": {"meta": {"type": "object"}, "data": vendor_spec.response_schema(op, "200")}}
    if schema_ is None:
        documented = op.get("responses", {}).get(status)
        schema_ = vendor_spec.response_schema(op, status) if documented else None
    if response.status_code >= 400 and re.match(r"^/v[12]/subscriptions", path):
        schema_ = SUBSCRIPTION_ERROR
    if schema_ is None and response.status_code >= 400:
        schema_ = GENERIC_ERROR
    if schema_ is None or response.status_code == 204 or not response.content:
        return
    body = response.json()
    mode = _mode(method, path, case.query) if response.status_code < 300 else "strict"
    problems = [p for p in vendor_spec.errors(schema_, body, mode)
                if not any(where.match(path) and what.match(p) for where, what in KNOWN_PROBLEMS)]
    assert problems == [], (method, path, got, mode, problems[:5])


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_every_served_vendor_operation_answers_as_the_vendor_documents(case):
    """Each example goes out with a read/write token of the demo organisation (so it gets past the guard)."""
    params = dict(case.path_parameters or {})
    case.path_parameters = {k: (DEMO_ORG if k.lower() == "orgid" else v) for k, v in params.items()}
    response = case.call(headers={**(case.headers or {}), **HEADERS})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    conforms_to_the_vendor_schema(case, response)


def test_the_run_covers_every_served_vendor_operation():
    """No served operation is left out of the run (the cut is by the mock's own routes)."""
    served = _served()
    covered = {(m.upper(), vendor_spec.template(p)) for p, item in DOCUMENT["paths"].items() for m in item
               if m != "parameters"}
    assert covered == served
