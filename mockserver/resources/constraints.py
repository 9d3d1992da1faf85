"""The vendor spec's own constraints on DTO fields, derived from the spec and applied to every write body.

(The same generator writes ``vendor_operations.json``, the list of the spec's operations.)

``vendor_constraints.json`` (beside this module) is generated from ``reference/webex-contact-center.openapi.json``
by ``python -m mockserver.resources.constraints``, so the installed package and the Docker image (which do not
carry ``reference/``) need no spec at run time; ``tests/resources/test_vendor_constraints.py`` fails when the
file is out of step with the spec. Only the keywords a Spring service enforces on a body are kept:
minLength, maxLength, pattern, enum, minItems, maxItems, minimum, maximum, int32 and additionalProperties false.
``required`` is not taken from here: live requires fewer fields than the spec (see ``live.py``).
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

FILE = Path(__file__).with_name("vendor_constraints.json")
OPERATIONS_FILE = Path(__file__).with_name("vendor_operations.json")
KEYWORDS = ("minLength", "maxLength", "pattern", "enum", "minItems", "maxItems", "minimum", "maximum")
INT32 = (-(2 ** 31), 2 ** 31 - 1)
# The vendor's name pattern of business hours, holiday lists and overrides backtracks exponentially on a near
# miss (``(\s?[..]+)*``); this one accepts exactly the same names (words joined by single whitespace) in linear
# time. The generator writes the replacement, so the spec's pattern never reaches the regex engine.
LINEAR = {r"^[a-zA-Z0-9_-]+(\s?[a-zA-Z0-9_-]+)*$": r"^[a-zA-Z0-9_-]+(\s[a-zA-Z0-9_-]+)*$"}
_JAVA_RANGE = re.compile(r"(\\[dswDSW])-")  # Java reads "[\d-_]" as a literal '-', Python as a bad range


def python_pattern(pattern: str) -> str:
    """A vendor (Java) pattern as the equivalent, linear-time Python pattern."""
    pattern = LINEAR.get(pattern, pattern)
    return _JAVA_RANGE.sub(r"\1\\-", pattern)


# -- the generator ---------------------------------------------------------------------------------------------
def _compact(prop: dict) -> dict:
    out = {}
    if "$ref" in prop:
        out["ref"] = prop["$ref"].rsplit("/", 1)[-1]
    if prop.get("type") == "integer" and prop.get("format") == "int32":
        out["int32"] = True
    for key in KEYWORDS:
        if key in prop:
            out[key] = python_pattern(prop[key]) if key == "pattern" else prop[key]
    if out.get("minLength") == 0:
        del out["minLength"]
    if isinstance(prop.get("items"), dict):
        items = _compact(prop["items"])
        if items:
            out["items"] = items
    return out


def build(vendor: dict) -> dict:
    """``{schema name: {"props": {field: constraints}, "closed": bool}}`` for every object schema of the spec."""
    out = {}
    for name, schema in sorted(vendor.get("components", {}).get("schemas", {}).items()):
        props = {p: c for p, c in ((p, _compact(v)) for p, v in (schema.get("properties") or {}).items()) if c}
        entry = {"props": props}
        if schema.get("additionalProperties") is False:
            entry["closed"] = sorted(schema.get("properties") or {})
        if props or "closed" in entry:
            out[name] = entry
    return out


def render(vendor: dict) -> str:
    """The file's text (stable: sorted keys, one schema per line)."""
    lines = [f"  {json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in build(vendor).items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


_PARAM = re.compile(r"\{[^}]*\}")
METHODS = ("get", "put", "post", "delete", "patch")


def render_operations(vendor: dict) -> str:
    """``vendor_operations.json``: every operation of the spec as ``"METHOD /path/{}"`` (parameter names erased),
    so that a 404 can say "not served" for the vendor's operations (``mockserver/http/unserved.py``)."""
    ops = sorted({f"{m.upper()} {_PARAM.sub('{}', path)}" for path, item in vendor.get("paths", {}).items()
                  for m in item if m in METHODS})
    return "[\n" + ",\n".join(f"  {json.dumps(op)}" for op in ops) + "\n]\n"


# -- run time --------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def table() -> dict:
    """The generated constraints (read once)."""
    return json.loads(FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=512)
def _regex(pattern: str):
    return re.compile(pattern)


def _describe(value, c: dict, label: str, out: list) -> None:
    if isinstance(value, str):
        if "minLength" in c and len(value) < c["minLength"]:
            out.append(f"{label}: must be at least {c['minLength']} character(s) long.")
        if "maxLength" in c and len(value) > c["maxLength"]:
            out.append(f"{label}: must be at most {c['maxLength']} characters long.")
        if "pattern" in c and not _regex(c["pattern"]).search(value):
            out.append(f"{label}: must match the pattern {c['pattern']}.")
        if "enum" in c and value not in c["enum"]:
            out.append(f"{label}: must be one of {', '.join(map(str, c['enum']))}.")
    elif isinstance(value, int) and not isinstance(value, bool):
        low, high = c.get("minimum"), c.get("maximum")
        if c.get("int32"):
            low = INT32[0] if low is None else max(low, INT32[0])
            high = INT32[1] if high is None else min(high, INT32[1])
        if low is not None and value < low:
            out.append(f"{label}: must be at least {low}.")
        if high is not None and value > high:
            out.append(f"{label}: must be at most {high}.")
    elif isinstance(value, list):
        if "minItems" in c and len(value) < c["minItems"]:
            out.append(f"{label}: must have at least {c['minItems']} item(s).")
        if "maxItems" in c and len(value) > c["maxItems"]:
            out.append(f"{label}: must have at most {c['maxItems']} item(s).")
        items = c.get("items")
        if items:
            for i, item in enumerate(value):
                _describe(item, items, f"{label}[{i}]", out)
    elif isinstance(value, dict) and "ref" in c:
        check(c["ref"], value, label + ".", out)


def check(schema: str, body: dict, prefix: str = "", out: list | None = None) -> list:
    """Descriptions of every spec constraint ``body`` breaks (empty: none); unknown schemas check nothing.

    Nulls are left to the schema (an optional field may be null); types too (marshmallow names them).
    Recursion follows the body, whose depth the engine has bounded already.
    """
    out = [] if out is None else out
    entry = table().get(schema)
    if entry is None or not isinstance(body, dict):
        return out
    props = entry["props"]
    for name, value in body.items():
        c = props.get(name)
        if c is not None and value is not None:
            _describe(value, c, prefix + name, out)
    if "closed" in entry:  # additionalProperties: false in the spec: the one place unknown keys are refused
        out.extend(f"{prefix}{k}: Unknown field." for k in sorted(set(body) - set(entry["closed"])))
    return out


def main() -> None:
    """Regenerate both generated files from the reference spec (run after updating ``reference/``)."""
    from ..reference import VENDOR_SPEC

    vendor = json.loads(VENDOR_SPEC.read_text(encoding="utf-8"))
    FILE.write_text(render(vendor), encoding="utf-8")
    OPERATIONS_FILE.write_text(render_operations(vendor), encoding="utf-8")
    print(f"wrote {FILE} and {OPERATIONS_FILE}")


if __name__ == "__main__":
    main()
