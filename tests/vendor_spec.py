"""The vendor's OpenAPI 3.0 spec (``reference/`` in the repository) as JSON Schema validators, for fidelity tests.

OpenAPI 3.0 schemas are not quite JSON Schema: ``$ref`` points into ``components``, ``nullable`` replaces a
``null`` type, and the patterns are ECMA regular expressions. ``validator(path, method, status)`` returns a
``jsonschema`` validator for the documented response of one operation.
"""
from __future__ import annotations

import copy
import functools
import json
import re

from jsonschema import Draft202012Validator

from mockserver.reference import VENDOR_SPEC

SPEC_FILE = VENDOR_SPEC
_PARAM = re.compile(r"\{[^}]*\}|<(?:[^>:]*:)?[^>]*>")
_ANNOTATIONS = ("example", "examples", "xml", "discriminator", "externalDocs", "deprecated")

#: How a response is checked. "strict": as documented. "list": item schemas of a list view, whose array
#: fields the vendor removes ("Array fields are removed from List API", webex-cc-facts.md 3.2), so a
#: required array may be absent. "projection": ``attributes=...`` returns only the fields asked for.
MODES = ("strict", "list", "projection")
#: Other fields the vendor's list views leave out (webex-cc-facts.md 3.2: desktop-layout lists, live).
LIST_OMITTED = frozenset({"jsonFileContent"})


def template(path: str) -> str:
    """A path with its parameter names erased: ``/organization/<orgid>/site/<id>`` -> ``/organization/{}/site/{}``."""
    return _PARAM.sub("{}", path.rstrip("/") or "/")


@functools.lru_cache(maxsize=1)
def spec() -> dict:
    """The vendor spec, parsed once per test session."""
    return json.loads(SPEC_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def operations() -> dict[tuple[str, str], tuple[str, dict]]:
    """``{(METHOD, template): (spec path, operation)}`` for every operation of the spec."""
    out = {}
    for path, item in spec()["paths"].items():
        for method, op in item.items():
            if method in ("get", "put", "post", "delete", "patch", "head", "options"):
                out[(method.upper(), template(path))] = (path, op)
    return out


def operation(method: str, path: str) -> tuple[str, dict] | None:
    """The spec's ``(path, operation)`` for a request path template of the mock (either parameter style)."""
    return operations().get((method.upper(), template(path)))


def success_status(op: dict) -> str | None:
    """The operation's documented 2xx status (its first one)."""
    return next((code for code in op.get("responses", {}) if code.startswith("2")), None)


def response_schema(op: dict, status: str) -> dict | None:
    """The JSON body schema documented for ``status`` (any content type; they agree in this spec)."""
    response = op.get("responses", {}).get(status) or {}
    for content in response.get("content", {}).values():
        if "schema" in content:
            return content["schema"]
    return None


@functools.lru_cache(maxsize=None)
def _definitions(mode: str) -> dict:
    """Every component schema, converted once per mode."""
    return {name: _convert(schema, mode) for name, schema in spec()["components"]["schemas"].items()}


def to_json_schema(schema: dict, mode: str = "strict") -> dict:
    """A standalone JSON Schema (2020-12) for an OpenAPI schema of this spec."""
    if mode not in MODES:
        raise ValueError(mode)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": _definitions(mode),
            **_convert(schema, mode)}


@functools.lru_cache(maxsize=None)
def _validator_for(schema_json: str, mode: str) -> Draft202012Validator:
    return Draft202012Validator(to_json_schema(json.loads(schema_json), mode))


def validator(schema: dict, mode: str = "strict") -> Draft202012Validator:
    """A cached validator for an OpenAPI schema."""
    return _validator_for(json.dumps(schema, sort_keys=True), mode)


def errors(schema: dict, body, mode: str = "strict") -> list[str]:
    """Every way ``body`` breaks ``schema``, as readable lines (empty when it conforms)."""
    found = sorted(validator(schema, mode).iter_errors(body), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '<body>'}: {e.message[:300]}" for e in found]


def _convert(node, mode: str):
    """OpenAPI 3.0 -> JSON Schema for one node (recursively)."""
    if isinstance(node, list):
        return [_convert(v, mode) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in _ANNOTATIONS:
            continue
        if key == "$ref":
            out["$ref"] = value.replace("#/components/schemas/", "#/$defs/")
        elif key == "properties":
            out[key] = {name: _convert(sub, mode) for name, sub in value.items()}
        elif key == "pattern":
            out[key] = python_pattern(value)
        elif key == "nullable":
            continue
        elif key == "additionalProperties" and value == {"type": "object"}:
            # springdoc renders a Java ``Map<String, Object>`` so, but a Java Object is any JSON value: the
            # vendor's own examples of these maps (the ``meta`` of list envelopes) hold strings and integers.
            out[key] = True
        else:
            out[key] = _convert(value, mode)
    if node.get("nullable") is True:
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    if "required" in out and mode != "strict":
        props = node.get("properties", {})
        if mode == "projection":
            out.pop("required")
        else:
            out["required"] = [name for name in out["required"]
                               if props.get(name, {}).get("type") != "array" and name not in LIST_OMITTED]
    return out


def python_pattern(pattern: str) -> str:
    """An ECMA pattern as Python ``re`` reads it: ``[\\d-_]`` is a literal ``-`` in ECMA, an error in Python."""
    try:
        re.compile(pattern)
        return pattern
    except re.error:
        fixed = re.sub(r"(\\[dswDSW])-", r"\1\\-", pattern)
        re.compile(fixed)
        return fixed


def item_schema(kind_path: str) -> dict | None:
    """The response schema of ``GET /organization/{orgid}/<kind_path>/{id}`` (a resource's item view)."""
    found = operation("GET", f"/organization/{{orgid}}/{kind_path}/{{id}}")
    return copy.deepcopy(response_schema(found[1], "200")) if found else None


# -- allowances shared by the fidelity tests and the vendor-spec fuzz run (docs/differences.md) -------------------
#: Live creates answer 201 and deletes 204 where the spec says 200 (webex-cc-facts.md 3.5).
LIVE_CODES = {("POST", "200"): "201", ("DELETE", "200"): "204"}
#: What an error answer is checked against when the operation documents none for its status.
GENERIC_ERROR = {"$ref": "#/components/schemas/ApiErrorResponse"}
#: The vendor documents the 200 body of GET /v3/user-profile (and of GET /v2/ai-feature) as a *string* holding
#: an example of the envelope; the real body is the usual envelope, checked against the vendor's own schemas.
SPEC_FIXES = {
    ("GET", "/organization/{orgid}/v3/user-profile", "200"): {
        "type": "object", "properties": {
            "meta": {"$ref": "#/components/schemas/MetaDataPagedInfo"},
            "data": {"type": "array", "items": {"$ref": "#/components/schemas/UserProfileGranularAccessDTO"}}}},
    # GET /v2/ai-feature is documented as a string too; the body is the usual envelope of AiFeatureDTO.
    ("GET", "/organization/{orgid}/v2/ai-feature", "200"): {
        "type": "object", "properties": {
            "meta": {"$ref": "#/components/schemas/MetaDataPagedInfo"},
            "data": {"type": "array", "items": {"$ref": "#/components/schemas/AiFeatureDTO"}}}},
}
