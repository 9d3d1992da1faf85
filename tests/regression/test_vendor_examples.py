"""The vendor's own request examples, replayed: every create and replace the mock serves accepts them.

The spec gives its examples per property (``example`` on each field; an object-level ``example`` where it has
one); the body is assembled from them exactly as published. Adjusted only where it must be:
- ids that must reference objects of the demo tenant (the resource's declared references, ``organizationId``,
  and the path's ``id`` on a replace) are taken from the demo tenant;
- names get a numeric suffix, so that the example does not collide with a fixture of the same name (409);
- an example that contradicts its own schema (a whole DTO given as the example of a list field, say) is
  replaced by the example built from the field's schema, so the body still says what the spec means.
Each request expects the spec's success status, or the live one where the facts record it (201 for create).
"""
from __future__ import annotations

import copy
import json
import re

import pytest
from jsonschema import Draft202012Validator

from mockserver.resources import specs

from .. import app_routes, vendor_spec
from ..conftest import DEMO_ORG

LIVE_CODES = vendor_spec.LIVE_CODES  # webex-cc-facts.md 3.5
SPECS = {spec.kind: spec for spec in specs()}
_SKIP_PROPS = {"createdTime", "lastUpdatedTime"}


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = vendor_spec.spec()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _valid(value, schema: dict) -> bool:
    return not list(Draft202012Validator(vendor_spec.to_json_schema(schema)).iter_errors(value))


def example_of(schema: dict, depth: int = 0):
    """The spec's example for a schema: its own when it fits, else assembled from its properties' examples."""
    if depth > 6:
        return None
    resolved = _resolve(schema)
    own = schema.get("example", resolved.get("example"))
    if own is not None and _valid(own, schema):
        return copy.deepcopy(own)
    if own is not None:
        fixed = _coerce(own, resolved)
        if fixed is not None:
            return fixed
    if resolved.get("type") == "array" or "items" in resolved:
        item = example_of(resolved.get("items", {}), depth + 1)
        return [item] if item is not None else None
    if resolved.get("type") == "object" or "properties" in resolved:
        out = {}
        for name, prop in (resolved.get("properties") or {}).items():
            if name in _SKIP_PROPS or _resolve(prop).get("readOnly") or prop.get("readOnly"):
                continue
            value = example_of(prop, depth + 1)
            if value is not None:
                out[name] = value
        if depth and not set(resolved.get("required", ())) <= set(out):
            return None  # a sub-object the spec gives no example of its required fields for: left out
        return out or None
    return None


def _coerce(value, schema: dict):
    """A scalar example that breaks its own schema, made to fit with the least change (or None)."""
    if "enum" in schema and not isinstance(value, (dict, list)):
        return schema["enum"][0]
    if isinstance(value, (dict, list)) and schema.get("type") == "string":
        return json.dumps(value)  # a JSON document given as the example of a string holding JSON
    if isinstance(value, dict) and (schema.get("type") == "array" or "items" in schema):
        # The whole DTO given as the example of its list field: the list it holds.
        lists = [v for v in value.values() if isinstance(v, list) and _valid(v, schema)]
        return copy.deepcopy(lists[0]) if lists else None
    if isinstance(value, (dict, list)):
        return None
    if isinstance(value, str):
        spaced = " ".join(re.sub(r"[^A-Za-z0-9]", " ", value).split())[: schema.get("maxLength", 10 ** 6)]
        for candidate in (spaced, spaced.replace(" ", ""), spaced.replace(" ", "_")):
            if candidate and _valid(candidate, schema):
                return candidate
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        low, high = schema.get("minimum", value), schema.get("maximum", value)
        fixed = min(max(value, low), high)
        return fixed if _valid(fixed, schema) else None
    return None


def _request_schema(op: dict) -> dict | None:
    for content in op.get("requestBody", {}).get("content", {}).values():
        if "schema" in content:
            return content["schema"]
    for param in op.get("parameters", []):  # team, skill, ... declare the DTO as a query parameter (facts 3.1)
        if param.get("in") == "query" and "$ref" in param.get("schema", {}):
            return param["schema"]
    return None


def _kind_of(rule: str):
    """The resource and its path for a mock route (``/organization/<orgid>/v3/address-book/<id>``)."""
    rel = rule.removeprefix("/organization/<orgid>/")
    for spec in SPECS.values():
        if rel in spec.create or rel in spec.items:
            return spec, rel
    return None, rel


def _cases():
    out = []
    for method, rule, _ in app_routes.config_routes():
        if method not in ("POST", "PUT"):
            continue
        spec, rel = _kind_of(rule)
        found = vendor_spec.operation(method, rule)
        if spec is None or found is None or _request_schema(found[1]) is None or _uploads(spec):
            continue
        out.append((method, rule, spec.kind, rel))
    return sorted(out)


def _uploads(spec) -> bool:
    """Multipart uploads (audio files, greetings): their body is a DTO part plus audio bytes, not a JSON example;
    they are left out of this replay (not yet covered by it)."""
    return getattr(spec, "upload", None) is not None


CASES = _cases()


def _set(doc, path: str, value) -> None:
    """Point a declared reference (``siteId``, ``activeSkills[].skillId``) of an example at ``value``."""
    head, _, rest = path.partition(".")
    name, many = head.removesuffix("[]"), head.endswith("[]")
    if not isinstance(doc, dict) or name not in doc:
        return
    if not rest:
        doc[name] = [value] * max(1, len(doc[name])) if many and isinstance(doc[name], list) else value
        return
    for child in (doc[name] if many and isinstance(doc[name], list) else [doc[name]]):
        _set(child, rest, value)


def _demo_id(rt, kind: str, exclude: str | None = None):
    for doc in rt.store.list(DEMO_ORG, kind):
        if doc["id"] != exclude:
            return doc["id"]
    return None


def adjusted(rt, spec, body: dict, target_id: str | None, n: int) -> dict:
    body = {**body, "organizationId": DEMO_ORG}
    if target_id:
        body["id"] = target_id
    else:
        body.pop("id", None)
    body.pop("version", None)  # the example's version 1 would be a stale version of a fresh object
    for name in spec.unique:
        if isinstance(body.get(name), str):
            body[name] = f"{body[name]}{n}"
    for ref in spec.refs:
        found = _demo_id(rt, ref.kind, exclude=target_id)
        if found is None:
            found = _make(rt, ref.kind)
        _set(body, ref.path, found)
    return body


def _make(rt, kind: str) -> str:
    from ..resources.conftest import SPECS as RESOURCE_SPECS

    spec = RESOURCE_SPECS[kind]
    doc = spec.example(lambda k: _make(rt, k))
    engine = rt.resources.engines[kind]
    return engine.create(DEMO_ORG, doc)["id"]


@pytest.fixture(scope="module")
def mock():
    from mockserver import create_app

    app = create_app({"access_log": False})
    client = app.test_client()
    token = client.post("/_mock/tokens", json={"user": "full.admin@acme.example",
                                               "scopes": ["cjp:config", "cjp:config_read", "cjp:config_write"]})
    return app, client, {"Authorization": f"Bearer {token.get_json()['access_token']}"}


@pytest.mark.parametrize("method,rule,kind,rel", CASES, ids=[f"{m} {r}" for m, r, _, _ in CASES])
def test_vendor_request_example_is_accepted(mock, method, rule, kind, rel):
    app, client, headers = mock
    rt = app.extensions["wxcc"]
    spec = SPECS[kind]
    _, op = vendor_spec.operation(method, rule)
    body = example_of(_request_schema(op))
    assert isinstance(body, dict) and body, f"the spec has no example body for {method} {rule}"
    parent = None
    if spec.parent:
        parent = _demo_id(rt, spec.parent[0]) or _make(rt, spec.parent[0])
    target = None
    if method == "PUT" and not spec.can_create:  # users come from Control Hub: replace a demo tenant's user
        target = _demo_id(rt, kind)
    elif method == "PUT":
        made = spec.example(lambda k: _make(rt, k))
        target = rt.resources.engines[kind].create(DEMO_ORG, made, parent)["id"]
    body = adjusted(rt, spec, body, target, len(CASES) + CASES.index((method, rule, kind, rel)))
    if target:  # fields documented as fixed after create (team siteId, teamType) keep the object's values
        stored = rt.store.get(DEMO_ORG, kind, target)
        body.update({name: stored[name] for name in spec.immutable if name in stored})
    path = "/organization/" + DEMO_ORG + "/" + rel.replace("<id>", target or "")
    if spec.parent:
        path = path.replace(f"<{spec.parent[1]}>", parent)
    resp = client.open(path, method=method, json=body, headers=headers)
    expected = vendor_spec.success_status(op)
    assert str(resp.status_code) in (expected, LIVE_CODES.get((method, expected))), \
        (resp.status_code, resp.get_data(as_text=True)[:800], body)
    answer = resp.get_json()
    for name in ("name", "description", "number"):  # what was sent is what is stored and answered
        if isinstance(body.get(name), str):
            assert answer[name] == body[name], name
    assert answer["organizationId"] == DEMO_ORG and (target is None or answer["id"] == target)


def test_every_served_create_and_replace_is_replayed():
    served = {(m, r) for m, r, _ in app_routes.config_routes() if m in ("POST", "PUT")
              and _kind_of(r)[0] is not None and not r.endswith("/bulk") and not _uploads(_kind_of(r)[0])}
    assert {(m, r) for m, r, _, _ in CASES} == served
