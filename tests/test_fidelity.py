"""Fidelity: for every configuration route the app has, the mock's response validates against the response
schema the vendor spec documents for the same operation (``reference/``).

Parametrised over ``app.url_map``: a new resource (or a new route) is covered without new test code. One
app serves the module; every test starts from the seeded demo organisation (``store.reset``).
"""
from __future__ import annotations

import uuid

import marshmallow as ma
import pytest

from . import app_routes, operation_calls, vendor_spec
from .conftest import ALL_SCOPES, DEMO_ORG, assert_webex_error
from .uploads import is_upload, multipart

ROUTES = app_routes.config_routes()
#: Operations beyond plain CRUD, called as operation_calls.py says (their errors: tests/resources/test_operations.py).
CALLED = set(operation_calls.CALLS)
GENERIC_ERROR, LIVE_CODES = vendor_spec.GENERIC_ERROR, vendor_spec.LIVE_CODES
#: The shared fixes of the vendor's schemas, plus this suite's own (added below, next to their tests).
SPEC_FIXES = dict(vendor_spec.SPEC_FIXES)


def category(method: str, rule: str) -> str:
    """What kind of operation a route is, from its method and path shape."""
    last = rule.rstrip("/").rsplit("/", 1)[-1]
    if last == "bulk":
        return "bulk"
    if last == "incoming-references":
        return "references"
    item = last.startswith("<")
    return {("GET", False): "list", ("GET", True): "item", ("POST", False): "create", ("PUT", True): "replace",
            ("PATCH", True): "patch", ("DELETE", True): "delete"}.get((method, item), "other")


def _ids(routes):
    return [f"{m} {r}" for m, r, _ in routes]


def _only(*cats):
    return [r for r in ROUTES if category(r[0], r[1]) in cats and (r[0], r[1]) not in CALLED]


class Mock:
    """The app under test, with helpers to reach real objects of any kind."""

    def __init__(self, app):
        self.app, self.client, self.rt = app, app.test_client(), app.extensions["wxcc"]
        self.catalog = self.rt.resources
        resp = self.client.post("/_mock/tokens", json={"user": "full.admin@acme.example", "scopes": ALL_SCOPES})
        assert resp.status_code == 201, resp.get_json()
        self.headers = {"Authorization": f"Bearer {resp.get_json()['access_token']}"}

    def call(self, method: str, path: str, body=None, headers=None):
        """A JSON request, or the multipart form of a create or replace of an upload resource (audio, greetings)."""
        spec = self.upload_spec(path)
        if spec is not None and body is not None and is_upload(spec, method, path):
            return self.client.open(path, method=method, headers=headers or self.headers, **multipart(spec, body))
        return self.client.open(path, method=method, json=body, headers=headers or self.headers)

    def upload_spec(self, path: str):
        """The upload resource whose create or item path this is, if any."""
        rest = path.split("?", 1)[0].split(f"/organization/{DEMO_ORG}/", 1)[-1]
        for spec in self.catalog.specs.values():
            if spec.upload and (rest in spec.create or any(
                    rest.startswith(i.split("<id>")[0]) and "/" not in rest[len(i.split("<id>")[0]):]
                    for i in spec.items)):
                return spec
        return None

    def spec(self, endpoint: str):
        """The resource declaration behind a route (blueprints are named after the vendor's kind)."""
        return self.catalog.specs[endpoint.split(".", 1)[0]]

    def stored(self, kind: str, predicate=None) -> dict:
        """A stored document of a kind (not a system default, which refuses changes)."""
        docs = self.rt.store.scan(DEMO_ORG, kind, lambda d: d.get("systemDefault") is not True
                                  and (predicate is None or predicate(d)))
        assert docs, f"the demo tenant has no {kind}"
        return dict(docs[0])

    def make(self, kind: str, parent_id: str | None = None) -> str:
        """A new object of a kind, made by the engine from the resource's own example (users are looked up)."""
        spec = self.catalog.specs[kind]
        if not spec.can_create:
            return self.stored(kind)["id"]
        if spec.parent and parent_id is None:
            parent_id = self.make(spec.parent[0])
        with self.app.test_request_context():
            return self.catalog.engines[kind].create(DEMO_ORG, spec.example(self.make), parent_id)["id"]

    def path(self, rule: str, spec, doc: dict | None = None, id: str | None = None) -> str:
        """The rule with real values: the org, the document's id and its parent's id."""
        values = {"orgid": DEMO_ORG, "id": id or (doc or {}).get("id", "")}
        if spec.parent:
            values[spec.parent[1]] = (doc or {}).get(spec.parent[1]) or self.make(spec.parent[0])
        out = rule
        for name, value in values.items():
            out = out.replace(f"<{name}>", value)
        assert "<" not in out, f"no value for a parameter of {rule}"
        return out

    def referenced(self, kind: str) -> dict | None:
        """A stored object of a kind that others point at, or None."""
        engine = self.catalog.engines[kind]
        for doc in self.rt.store.scan(DEMO_ORG, kind, lambda d: d.get("systemDefault") is not True):
            if engine.referrers(DEMO_ORG, doc["id"]):
                return dict(doc)
        return None


@pytest.fixture(scope="module")
def mock():
    return Mock(app_routes.shared_app())


@pytest.fixture(autouse=True)
def _fresh_demo(mock):
    mock.rt.store.reset(DEMO_ORG)


def documented(method: str, rule: str, status: str) -> tuple[dict | None, bool]:
    """``(schema, documented)``: the spec's body schema for ``status``; the generic error body when undocumented."""
    path, op = vendor_spec.operation(method, rule)
    fix = SPEC_FIXES.get((method, path, status))
    if fix:
        return fix, True
    if status in op.get("responses", {}):
        return vendor_spec.response_schema(op, status), True
    return (GENERIC_ERROR if int(status) >= 400 else None), False


def check(resp, method: str, rule: str, mode: str = "strict"):
    """The response's status is the vendor's documented 2xx (or the live one) and its body fits the schema."""
    _, op = vendor_spec.operation(method, rule)
    expected = vendor_spec.success_status(op)
    got = str(resp.status_code)
    assert got in (expected, LIVE_CODES.get((method, expected))), (got, expected, resp.get_data(as_text=True))
    schema, _ = documented(method, rule, expected)
    if schema is None or got == "204":
        assert resp.get_data() == b"", "a documented empty response has a body"
        return None
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert vendor_spec.errors(schema, body, mode) == [], f"{method} {rule} ({mode})"
    return body


def check_error(resp, method: str, rule: str, status: int, reason: str | None = None) -> dict:
    """A Webex error body that also fits the error schema the spec documents for this operation and status."""
    body = assert_webex_error(resp, status, reason)
    schema, _ = documented(method, rule, str(status))
    assert vendor_spec.errors(schema, body) == []
    return body


# -- successful operations ------------------------------------------------------------------------------


def _success(mock, method, rule, endpoint):
    """Perform one operation the way a client would; return ``(response, validation mode)``."""
    spec, cat = mock.spec(endpoint), category(method, rule)
    if (method, rule) in CALLED:
        path, body = operation_calls.CALLS[(method, rule)](mock)
        return mock.call(method, path, body), "strict"
    if cat == "list":  # list views drop array fields, as the vendor documents (webex-cc-facts.md 3.2)
        doc = mock.stored(spec.kind)
        return mock.call("GET", mock.path(rule, spec, doc)), "list"
    if cat in ("item", "other"):
        return mock.call(method, mock.path(rule, spec, mock.stored(spec.kind))), "strict"
    if cat == "references":
        doc = mock.referenced(spec.kind) or mock.stored(spec.kind)
        return mock.call("GET", mock.path(rule, spec, doc)), "strict"
    if cat == "create":
        return mock.call("POST", mock.path(rule, spec), _complete(mock, spec)), "strict"
    if cat == "replace":
        path = mock.path(rule, spec, mock.stored(spec.kind))
        got = mock.call("GET", path)  # a client reads, edits, and sends the whole object back
        assert got.status_code == 200, got.get_data(as_text=True)
        return mock.call("PUT", path, _edited(spec, got.get_json())), "strict"
    if cat == "patch":
        doc = mock.stored(spec.kind)
        return mock.call("PATCH", mock.path(rule, spec, doc), _edit(spec)), "strict"
    if cat == "delete":
        stored = mock.rt.store.get(DEMO_ORG, spec.kind, mock.make(spec.kind))
        return mock.call("DELETE", mock.path(rule, spec, stored)), "strict"
    if cat == "bulk":
        return mock.call(method, mock.path(rule, spec, mock.stored(spec.kind)), _bulk(mock, spec, method, rule)), \
            "strict"
    raise AssertionError(f"no fidelity check for {method} {rule}")


def _complete(mock, spec) -> dict:
    """A create body with every field a careful client sends: a demo object's fields, then the resource's
    own example (a fresh unique name and references it made)."""
    private = {"organizationId", "id", "version", "createdTime", "lastUpdatedTime", "systemDefault"}
    if spec.parent:
        private.add(spec.parent[1])
    base = {k: v for k, v in mock.stored(spec.kind).items() if k not in private}
    return {**base, **spec.example(mock.make)}


def _edit(spec) -> dict:
    """A small change any resource accepts."""
    for field, value in (("description", "Changed by a client"), ("workPhone", "+15555550123"),
                         ("number", "15555550124"), ("dialledNumber", "+15555550125"),
                         ("attributeTag", "changed"), ("suggestedResponses", {"enable": False}),
                         ("enabled", False), ("callDropSummariesEnabled", False)):
        if field in spec.fields:
            return {field: value}
    raise AssertionError(f"no editable field known for {spec.kind}")


def _edited(spec, doc: dict) -> dict:
    return {**doc, **_edit(spec)}


def _bulk(mock, spec, method: str, rule: str) -> dict:
    """A bulk body with one item per action the route takes."""
    if method == "PATCH":
        return {"items": [{"itemIdentifier": 1, "requestAction": "SAVE",
                           "item": {"id": mock.stored(spec.kind)["id"], **_edit(spec)}}]}
    parent = mock.stored(spec.kind).get(spec.parent[1]) if spec.parent else None
    doomed = mock.rt.store.get(DEMO_ORG, spec.kind, mock.make(spec.kind, parent))
    doomed = {k: v for k, v in doomed.items() if not spec.parent or k != spec.parent[1]}
    return {"items": [{"itemIdentifier": 1, "requestAction": "SAVE", "item": spec.example(mock.make)},
                      {"itemIdentifier": 2, "requestAction": "DELETE", "item": doomed}]}


@pytest.mark.parametrize("method,rule,endpoint", ROUTES, ids=_ids(ROUTES))
def test_success_matches_the_vendor_schema(mock, method, rule, endpoint):
    resp, mode = _success(mock, method, rule, endpoint)
    body = check(resp, method, rule, mode)
    if category(method, rule) == "bulk":  # every item applied
        assert [i["status"] // 100 for i in body["items"]] == [2] * len(body["items"]), body


LISTS = [r for r in _only("list") if vendor_spec.response_schema(
    vendor_spec.operation("GET", r[1])[1], "200").get("type") != "array"]


@pytest.mark.parametrize("method,rule,endpoint", LISTS, ids=_ids(LISTS))
def test_paged_list_with_links_and_attributes(mock, method, rule, endpoint):
    spec = mock.spec(endpoint)
    path = mock.path(rule, spec, mock.stored(spec.kind))
    body = check(mock.call("GET", path + "?page=0&pageSize=1"), "GET", rule, "list")
    assert body["meta"]["pageSize"] == 1 and body["meta"]["links"]["self"].startswith("/organization/")
    body = check(mock.call("GET", path + "?attributes=id"), "GET", rule, "projection")
    assert body["data"] and all(set(d) == {"id"} for d in body["data"])


# -- error responses ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method,rule,endpoint", ROUTES, ids=_ids(ROUTES))
def test_bad_token_is_401_in_the_vendor_shape(mock, method, rule, endpoint):
    spec = mock.spec(endpoint)
    path = operation_calls.CALLS[(method, rule)](mock)[0] if (method, rule) in CALLED else \
        mock.path(rule, spec, mock.stored(spec.kind))
    resp = mock.call(method, path, {}, headers={"Authorization": "Bearer not-a-token"})
    check_error(resp, method, rule, 401)


NOT_FOUND = _only("item", "replace", "patch", "delete", "references")


@pytest.mark.parametrize("method,rule,endpoint", NOT_FOUND, ids=_ids(NOT_FOUND))
def test_unknown_id_is_404_in_the_vendor_shape(mock, method, rule, endpoint):
    spec = mock.spec(endpoint)
    missing = str(uuid.uuid4())
    body = _edit(spec) if method in ("PUT", "PATCH") else None
    resp = mock.call(method, mock.path(rule, spec, mock.stored(spec.kind), id=missing), body)
    check_error(resp, method, rule, 404)


INVALID = _only("create", "replace")


@pytest.mark.parametrize("method,rule,endpoint", INVALID, ids=_ids(INVALID))
def test_invalid_body_is_400_in_the_vendor_shape(mock, method, rule, endpoint):
    # A declared field of the wrong type (an undeclared one is ignored, as live does: facts 3.7).

    spec = mock.spec(endpoint)
    declared = {f: d for f, d in spec.schema._declared_fields.items() if not d.dump_only and f != "id"}
    field = "name" if "name" in declared else sorted(declared)[0]  # a resource without a name: another field
    bad = 42 if isinstance(declared[field], ma.fields.String) else "not a valid value"
    resp = mock.call(method, mock.path(rule, spec, mock.stored(spec.kind)), {field: bad})
    check_error(resp, method, rule, 400, field)


BULKS = _only("bulk")


@pytest.mark.parametrize("method,rule,endpoint", BULKS, ids=_ids(BULKS))
def test_bulk_without_items_is_400_in_the_vendor_shape(mock, method, rule, endpoint):
    spec = mock.spec(endpoint)
    resp = mock.call(method, mock.path(rule, spec, mock.stored(spec.kind)), {"items": 5})
    check_error(resp, method, rule, 400, "items")


DUPLICATES = [r for r in _only("create") if app_routes.shared_app().extensions["wxcc"].resources.specs[
    r[2].split(".", 1)[0]].unique]


@pytest.mark.parametrize("method,rule,endpoint", DUPLICATES, ids=_ids(DUPLICATES))
def test_duplicate_is_409_in_the_vendor_shape(mock, method, rule, endpoint):
    spec = mock.spec(endpoint)
    path, body = mock.path(rule, spec), spec.example(mock.make)
    assert mock.call("POST", path, body).status_code == 201
    check_error(mock.call("POST", path, body), method, rule, 409)


def _referenced_deletes():
    probe = Mock(app_routes.shared_app())
    probe.rt.store.reset(DEMO_ORG)
    return [r for r in _only("delete") if probe.referenced(r[2].split(".", 1)[0])]


REFERENCED = _referenced_deletes()


@pytest.mark.parametrize("method,rule,endpoint", REFERENCED, ids=_ids(REFERENCED))
def test_deleting_a_referenced_object_is_412_in_the_vendor_shape(mock, method, rule, endpoint):
    spec = mock.spec(endpoint)
    doc = mock.referenced(spec.kind)
    body = check_error(mock.call("DELETE", mock.path(rule, spec, doc)), method, rule, 412)
    assert body["error"]["referencedEntities"]


def test_every_helper_route_has_a_call():
    """Routes the shape-based checks cannot call (not plain CRUD) are all in operation_calls.CALLS."""
    plain = {"list", "item", "create", "replace", "patch", "delete", "bulk", "references"}
    crud_paths = {(m, "/organization/<orgid>/" + p) for spec in Mock(app_routes.shared_app()).catalog.specs.values()
                  for p in (*spec.paged, *(spec.v1_list and (spec.v1_list,) or ()), *spec.create, *spec.items,
                            *spec.bulk, *((spec.references_path,) if spec.references_path else ()))
                  for m in ("GET", "POST", "PUT", "PATCH", "DELETE")}
    others = {(m, r) for m, r, _ in ROUTES if (m, r) not in crud_paths or category(m, r) not in plain}
    assert others - CALLED == set()
    assert CALLED <= {(m, r) for m, r, _ in ROUTES}


def test_the_checks_cover_every_kind_of_operation():
    cats = {category(m, r) for m, r, _ in ROUTES}
    assert {"list", "item", "create", "replace", "patch", "delete", "bulk", "references"} <= cats
    assert len(REFERENCED) >= 10 and len(DUPLICATES) >= 15


def test_a_body_that_breaks_the_vendor_schema_is_caught(mock):
    rule = "/organization/<orgid>/site/<id>"
    resp = mock.call("GET", rule.replace("<orgid>", DEMO_ORG).replace("<id>", mock.stored("site")["id"]))
    body = {**resp.get_json(), "active": "yes", "name": "x" * 81}
    _, op = vendor_spec.operation("GET", rule)
    found = vendor_spec.errors(vendor_spec.response_schema(op, "200"), body)
    assert any(line.startswith("active:") for line in found) and any(line.startswith("name:") for line in found)


PUTS = list({mock_kind: r for r in _only("replace") for mock_kind in [r[2].split(".", 1)[0]]}.values())


@pytest.mark.parametrize("method,rule,endpoint", PUTS, ids=_ids(PUTS))
def test_every_demo_object_is_accepted_back_unchanged(mock, method, rule, endpoint):
    """A client that reads any demo object and sends it back gets 200 (system defaults refuse, as live)."""
    spec = mock.spec(endpoint)
    docs = mock.rt.store.scan(DEMO_ORG, spec.kind)
    assert docs
    for doc in docs:
        path = mock.path(rule, spec, doc)
        got = mock.call("GET", path)
        assert got.status_code == 200
        resp = mock.call("PUT", path, got.get_json())
        if doc.get("systemDefault") is True:
            assert_webex_error(resp, 400, "systemDefault")
        else:
            assert resp.status_code == 200, (doc["id"], resp.get_data(as_text=True))
            assert resp.get_json()["version"] == doc["version"] + 1


# -- runtime routes: the Search API and webhook subscriptions --------------------------------------------

_RUNTIME_PREFIXES = ("/search", "/v1/subscriptions", "/v2/subscriptions", "/v1/event-types", "/v2/event-types")
RUNTIME = [r for r in app_routes.vendor_routes() if r[1].startswith(_RUNTIME_PREFIXES)]
# The spec documents the 200 body of /search as a *string* holding an example; the body is the GraphQL envelope.
SPEC_FIXES[("POST", "/search", "200")] = {"type": "object", "required": ["data"], "properties": {
    "data": {"type": "object"}, "errors": {"type": "array"}}}
# EventTypesResponse says an action has at least 4 characters, yet real event types have shorter ones
# (task:new, runtime facts 3.4): the live names win, the rest of the schema is checked as documented.
_EVENT_TYPE = {"type": "object", "required": ["action", "name", "resource"], "properties": {
    "name": {"type": "string", "minLength": 4, "maxLength": 64}, "resource": {"type": "string", "minLength": 4},
    "action": {"type": "string", "minLength": 1, "maxLength": 64}}}
for _version, _meta in (("v1", "Meta"), ("v2", "MetaResourceVersionInfo")):
    SPEC_FIXES[("GET", f"/{_version}/event-types", "200")] = {
        "type": "object", "required": ["data", "meta"], "properties": {
            "data": {"type": "array", "items": _EVENT_TYPE}, "meta": {"$ref": f"#/components/schemas/{_meta}"}}}
_HOOK = {"name": "Fidelity hooks", "eventTypes": ["agent:login"], "destinationUrl": "http://127.0.0.1:9/hooks",
         "secret": "s" * 32}


def _subscription(mock, version: str) -> str:
    body = {**_HOOK, **({"resourceVersion": "agent:1.0.0"} if version == "v2" else {})}
    resp = mock.call("POST", f"/{version}/subscriptions", body)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.get_json()["data"]["id"]


def _runtime_call(mock, method: str, rule: str, headers=None):
    """One runtime operation performed the way a client would."""
    if rule == "/search":
        now = mock.rt.clock.now_ms()
        query = ("query($f: Long!, $t: Long!) { taskDetails(from: $f, to: $t) "
                 "{ tasks { id } pageInfo { hasNextPage } } }")
        return mock.call("POST", "/search", {"query": query, "variables": {"f": now - 3_600_000, "t": now}}, headers)
    version = rule.split("/")[1]
    if rule.endswith("/event-types") or (rule.endswith("/subscriptions") and method == "GET"):
        _subscription(mock, version)
        return mock.call("GET", rule, headers=headers)
    if rule.endswith("/subscriptions"):
        body = {**_HOOK, **({"resourceVersion": "agent:1.0.0"} if version == "v2" else {})}
        return mock.call("POST", rule, body, headers)
    path = rule.replace("<id>", _subscription(mock, version))
    body = {"description": "Changed by a client", **({"resourceVersion": "agent:1.0.0"} if version == "v2" else {})}
    return mock.call(method, path, body if method == "PATCH" else None, headers)


def test_the_runtime_checks_cover_search_and_every_subscription_operation():
    assert {(m, r) for m, r, _ in RUNTIME} == {("POST", "/search")} | {
        (m, f"/{v}/{p}") for v in ("v1", "v2") for m, p in (
            ("GET", "subscriptions"), ("POST", "subscriptions"), ("GET", "subscriptions/<id>"),
            ("PATCH", "subscriptions/<id>"), ("DELETE", "subscriptions/<id>"), ("GET", "event-types"))}


@pytest.mark.parametrize("method,rule,endpoint", RUNTIME, ids=_ids(RUNTIME))
def test_runtime_success_matches_the_vendor_schema(mock, method, rule, endpoint):
    body = check(_runtime_call(mock, method, rule), method, rule)
    if method != "DELETE":
        assert "secret" not in str(body) and "s" * 32 not in str(body)


@pytest.mark.parametrize("method,rule,endpoint", RUNTIME, ids=_ids(RUNTIME))
def test_runtime_bad_token_is_401_in_the_documented_error_shape(mock, method, rule, endpoint):
    resp = _runtime_call(mock, method, rule, headers={"Authorization": "Bearer not-a-token"}) \
        if method != "GET" or "<id>" not in rule else mock.call(method, rule.replace("<id>", str(uuid.uuid4())),
                                                                 headers={"Authorization": "Bearer not-a-token"})
    assert resp.status_code == 401, resp.get_data(as_text=True)
    body = resp.get_json()
    schema, documented_ = documented(method, rule, "401")
    assert documented_ and vendor_spec.errors(schema, body) == []
    assert body["error"]["key"] == (401 if rule != "/search" else "401")  # ErrorResult's key is an integer


def test_search_refusals_fit_the_documented_400_and_413(mock):
    for query, status in (("{ task(to: 1) { tasks { id } } }", 400), ("{ " + "a " * 40000 + "}", 413)):
        resp = mock.call("POST", "/search", {"query": query})
        assert resp.status_code == status
        schema, documented_ = documented("POST", "/search", str(status))
        assert documented_ and vendor_spec.errors(schema, resp.get_json()) == []
