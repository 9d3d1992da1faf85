"""Filter trees (runtime facts 2.4) compiled once into predicates over records: ``and``/``or``/``not``, per-type
operators, nested objects, the older ``{field: {equals: {...}}}`` form, lists (any element), global variables.

``match`` is a regular expression run by RE2 (linear time), so no pattern can stall a worker.
"""
from __future__ import annotations

import functools
from collections.abc import Callable

import re2

from . import fields as F

Predicate = Callable[[dict], bool]
MAX_PATTERN = 1000
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.max_mem = 1 << 22  # 4 MB of automaton per pattern at most


@functools.lru_cache(maxsize=256)
def _regex(pattern: str):
    from .errors import SearchRefused  # graphql-core's error class: imported when a search runs, not at start

    if len(pattern) > MAX_PATTERN:
        raise SearchRefused(f"match: the pattern is longer than {MAX_PATTERN} characters.")
    try:
        return re2.compile(pattern, _RE2_OPTIONS)
    except re2.error as exc:
        raise SearchRefused(f"match: {pattern!r} is not a valid regular expression ({exc}).") from None


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _operator(op: str, want) -> Predicate:
    """A test of one value against one operator."""
    if op == "equals":
        return lambda v: v == want
    if op == "notequals":
        return lambda v: v != want
    if op == "in":
        allowed = frozenset(x for x in want or () if x is not None)
        return lambda v: v in allowed
    if op == "notin":
        banned = frozenset(x for x in want or () if x is not None)
        return lambda v: v not in banned
    if op == "contains":
        return lambda v: isinstance(v, str) and want in v
    if op == "match":
        rx = _regex(want)
        return lambda v: isinstance(v, str) and rx.search(v) is not None
    compare = {"gt": lambda v: v > want, "gte": lambda v: v >= want, "lt": lambda v: v < want,
               "lte": lambda v: v <= want}[op]
    return lambda v: _number(v) and compare(v)


def _scalar(field: str, ops: dict) -> Predicate:
    tests = [_operator(op, want) for op, want in ops.items() if want is not None or op in ("equals", "notequals")]
    if len(tests) == 1:  # the usual case: no generator per record
        test = tests[0]
        return lambda r: test(r.get(field))
    return lambda r: all(t(r.get(field)) for t in tests)


def _object(field: str, spec: dict, table: dict) -> Predicate:
    tests: list[Predicate] = []
    for op in ("equals", "notequals"):
        value = spec.get(op)
        if value is not None:  # the older form: every given sub-field equal (or not)
            same = lambda obj, value=value: all((obj or {}).get(k) == v for k, v in value.items())  # noqa: E731
            tests.append(same if op == "equals" else (lambda obj, same=same: not same(obj)))
    rest = {k: v for k, v in spec.items() if k not in ("equals", "notequals")}
    if rest:
        inner = compile_filter(rest, table)
        tests.append(lambda obj: inner(obj if isinstance(obj, dict) else _EMPTY))
    if len(tests) == 1:
        test = tests[0]
        return lambda r: test(r.get(field))
    return lambda r: all(t(r.get(field)) for t in tests)


_EMPTY: dict = {}


def _any(field: str, spec: dict, table: dict) -> Predicate:
    inner = compile_filter(spec, table)
    return lambda r: any(inner(x) for x in (r.get(field) or ()) if isinstance(x, dict))


def variables(record: dict, kind: str) -> list[tuple]:
    """``(name, value)`` of a record's global variables of one kind (``string``, ``integer``...).

    The record holds them as ``globalVariables``: a ``{name: value}`` object, or a list of ``{name, value,
    type}`` rows; without a type, the kind follows the JSON type of the value.
    """
    raw = record.get("globalVariables")
    rows = raw.items() if isinstance(raw, dict) else (
        ((r.get("name"), r.get("value"), r.get("type")) for r in raw if isinstance(r, dict))
        if isinstance(raw, list) else ())
    out = []
    for row in rows:
        name, value, declared = (*row, None) if len(row) == 2 else row
        got = str(declared).lower() if declared else _kind_of(value)
        if got == kind:
            out.append((name, value))
    return out


def _kind_of(value) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer" if -2**31 <= value < 2**31 else "long"
    if isinstance(value, float):
        return "double"
    return "string" if isinstance(value, str) else None


def _globals(kind: str, spec: dict) -> Predicate:
    name_test = _scalar("name", spec["name"]) if spec.get("name") else (lambda r: True)
    value_test = _scalar("value", spec["value"]) if spec.get("value") else (lambda r: True)
    return lambda r: any(name_test({"name": n}) and value_test({"value": v}) for n, v in variables(r, kind))


def compile_filter(spec: dict | None, table: dict) -> Predicate:
    """One predicate for a whole filter tree over records of ``table``."""
    if not spec:
        return lambda r: True
    preds: list[Predicate] = []
    for key, value in spec.items():
        if value is None:
            continue
        if key == "and":
            subs = [compile_filter(v, table) for v in value if v is not None]
            preds.append(lambda r, subs=subs: all(p(r) for p in subs))
        elif key == "or":
            subs = [compile_filter(v, table) for v in value if v is not None]
            preds.append(lambda r, subs=subs: not subs or any(p(r) for p in subs))
        elif key == "not":
            sub = compile_filter(value, table)
            preds.append(lambda r, sub=sub: not sub(r))
        elif key.endswith("GlobalVariables"):
            preds.append(_globals(key.removesuffix("GlobalVariables"), value))
        else:
            kind = table[key]
            if isinstance(kind, str):
                preds.append(_scalar(key, value))
            elif isinstance(kind, list):
                preds.append(_any(key, value, kind[0]))
            else:
                preds.append(_object(key, value, kind))
    if len(preds) == 1:
        return preds[0]
    return lambda r: all(p(r) for p in preds)


def activity_filter(ext: dict | None, root: str) -> Predicate | None:
    """The ``extFilter`` of a root as a record predicate (a record matches when one of its activities does)."""
    if not ext:
        return None
    if root == "agentSession":
        nodes = ((ext.get("channelInfo") or {}).get("activities") or {}).get("nodes")
        inner = compile_filter(nodes, F.AGENT_ACTIVITY)
        return lambda r: any(inner(a) for c in (r.get("channelInfo") or ()) if isinstance(c, dict)
                             for a in (c.get("activities") or ()) if isinstance(a, dict))
    nodes = (ext.get("activities") or {}).get("nodes")
    inner = compile_filter(nodes, F.ACTIVITY)
    return lambda r: any(inner(a) for a in (r.get("activities") or ()) if isinstance(a, dict))
