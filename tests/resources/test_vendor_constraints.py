"""The generated constraints file is the vendor spec's, and stays so.

Regenerate: ``python -m mockserver.resources.constraints``.
"""
from __future__ import annotations

import json
import re

from mockserver.reference import VENDOR_SPEC
from mockserver.resources import constraints

from .conftest import SPECS

VENDOR = json.loads(VENDOR_SPEC.read_text(encoding="utf-8"))
VENDOR_NAME = r"^[a-zA-Z0-9_-]+(\s?[a-zA-Z0-9_-]+)*$"


def test_constraints_file_is_in_sync_with_the_reference_spec():
    assert constraints.FILE.read_text(encoding="utf-8") == constraints.render(VENDOR), \
        "run `python -m mockserver.resources.constraints` and commit mockserver/resources/vendor_constraints.json"


def test_every_served_resource_schema_is_a_vendor_schema_with_constraints():
    table = constraints.table()
    for spec in SPECS.values():
        assert spec.vendor_schema in VENDOR["components"]["schemas"], spec.kind
        assert spec.vendor_schema in table, spec.kind


def test_constraints_are_the_specs_own_values():
    """Spot checks against the spec text itself, not against retyped numbers."""
    table, schemas = constraints.table(), VENDOR["components"]["schemas"]
    for name, entry in table.items():
        for field, c in entry["props"].items():
            prop = schemas[name]["properties"][field]
            for key in ("maxLength", "minItems", "maxItems", "minimum", "maximum", "enum"):
                assert c.get(key) == prop.get(key), (name, field, key)
            if prop.get("minLength"):
                assert c["minLength"] == prop["minLength"], (name, field)


def test_the_vendor_name_pattern_is_replaced_by_the_linear_one():
    """The ReDoS fix: the spec's exponential pattern never reaches the regex engine, and means the same."""
    text = constraints.FILE.read_text(encoding="utf-8")
    assert json.dumps(VENDOR_NAME) not in text
    linear = constraints.python_pattern(VENDOR_NAME)
    assert json.dumps(linear) in text
    for name in ["Happy Hours", "a", "x_y-z 1", "two  spaces", " lead", "trail ", "tab\tok", "semi;colon", ""]:
        assert bool(re.fullmatch(VENDOR_NAME, name)) == bool(re.fullmatch(linear, name)), name


def test_java_patterns_are_translated_to_python():
    assert constraints.python_pattern(r"^[a-zA-Z\d-_\s]+$") == r"^[a-zA-Z\d\-_\s]+$"
    for entry in constraints.table().values():
        for c in entry["props"].values():
            for node in (c, c.get("items", {})):
                if "pattern" in node:
                    re.compile(node["pattern"])


def test_a_schema_closed_by_the_spec_refuses_unknown_properties(monkeypatch):
    """additionalProperties: false is the one place unknown keys are refused (none of the spec's DTOs today)."""
    vendor = {"components": {"schemas": {"ClosedDTO": {"type": "object", "additionalProperties": False,
                                                       "properties": {"name": {"type": "string", "maxLength": 3}}}}}}
    built = constraints.build(vendor)
    assert built == {"ClosedDTO": {"props": {"name": {"maxLength": 3}}, "closed": ["name"]}}
    monkeypatch.setattr(constraints, "table", lambda: built)
    assert constraints.check("ClosedDTO", {"name": "abcd", "colour": 1}) == [
        "name: must be at most 3 characters long.", "colour: Unknown field."]
    assert constraints.check("ClosedDTO", {"name": "ab"}) == []


def test_no_vendor_dto_is_closed_today():
    """Hence unknown properties are ignored everywhere (docs/differences.md); a closed one would show here."""
    assert [name for name, entry in constraints.table().items() if "closed" in entry] == []
