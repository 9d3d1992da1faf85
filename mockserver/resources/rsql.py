"""RSQL filters (the subset of perplexhub rsql-jpa the vendor documents): parse once, evaluate per document.

Grammar: ``or := and (',' and)*``; ``and := term (';' term)*``; ``term := '(' or ')' | field op args``;
operators ``==`` (``*`` is a wildcard), ``!=``, ``=in=(a,b)``, ``=out=(a,b)``; values bare or quoted
(``"..."``/``'...'`` with backslash escapes). Work is bounded: the text length, the number of comparisons,
the nesting depth and the number of values are all capped, so a hostile filter costs a 400, never a stack.

Differs from Webex: values compare case-insensitively, and quoted values are accepted everywhere (live, a quoted
``email=="x"`` was seen to answer 400, webex-cc-facts.md 3.3); rsql-jpa's other operators are refused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..http.errors import ApiError

MAX_LENGTH = 4000  # characters of filter text
MAX_TERMS = 200  # comparisons in one filter
MAX_DEPTH = 20  # nested parentheses
MAX_VALUES = 500  # values in one =in=/=out= list

OPERATORS = ("==", "!=", "=in=", "=out=")
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_OP = re.compile(r"=[A-Za-z]*=|!=|==|[<>]=?|=")
_RESERVED = set("\"'();,=!~<> ")


class FilterError(ApiError):
    """A 400 whose reason starts with the parameter name (``filter: ...``)."""

    def __init__(self, problem: str, param: str = "filter"):
        super().__init__(400, f"{param}: {problem}")


@dataclass(frozen=True)
class Cmp:
    """One comparison ``field op values``; ``patterns`` are the compiled wildcard values (``==``/``!=``)."""

    field: str
    op: str
    values: tuple
    patterns: tuple

    def matches(self, doc: dict) -> bool:
        """Whether a document satisfies the comparison (a missing field satisfies only != and =out=)."""
        got = _texts(doc.get(self.field))
        if self.op == "==":
            return any(p.fullmatch(v) for p in self.patterns for v in got)
        if self.op == "!=":
            return not any(p.fullmatch(v) for p in self.patterns for v in got)
        wanted = {v.lower() for v in self.values}
        hit = any(v.lower() in wanted for v in got)
        return hit if self.op == "=in=" else not hit


@dataclass(frozen=True)
class Bool:
    """``and``/``or`` of sub-expressions."""

    op: str
    parts: tuple

    def matches(self, doc: dict) -> bool:
        """Evaluate with short-circuit."""
        if self.op == "and":
            return all(p.matches(doc) for p in self.parts)
        return any(p.matches(doc) for p in self.parts)


def _texts(value) -> list[str]:
    """A stored value as the strings a filter compares against (lists match on any element)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, bool):
            out.append("true" if item else "false")
        elif isinstance(item, (str, int, float)):
            out.append(str(item))
    return out


def _pattern(value: str) -> re.Pattern:
    """``*`` matches any run of characters; everything else literally, case-insensitively."""
    return re.compile(".*".join(re.escape(part) for part in value.split("*")), re.IGNORECASE | re.DOTALL)


class _Parser:
    """Recursive descent over the filter text, with explicit bounds on depth and size."""

    def __init__(self, text: str, param: str):
        self.text, self.pos, self.terms, self.param = text, 0, 0, param

    def fail(self, problem: str):
        raise FilterError(f"{problem} (at position {self.pos} of {self.text[:200]!r}).", self.param)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def parse(self):
        node = self.parse_or(0)
        if self.pos != len(self.text):
            self.fail(f"unexpected {self.peek()!r}")
        return node

    def parse_or(self, depth):
        parts = [self.parse_and(depth)]
        while self.peek() == ",":
            self.pos += 1
            parts.append(self.parse_and(depth))
        return parts[0] if len(parts) == 1 else Bool("or", tuple(parts))

    def parse_and(self, depth):
        parts = [self.parse_term(depth)]
        while self.peek() == ";":
            self.pos += 1
            parts.append(self.parse_term(depth))
        return parts[0] if len(parts) == 1 else Bool("and", tuple(parts))

    def parse_term(self, depth):
        if self.peek() == "(":
            if depth >= MAX_DEPTH:
                self.fail(f"nested deeper than {MAX_DEPTH} levels")
            self.pos += 1
            node = self.parse_or(depth + 1)
            if self.peek() != ")":
                self.fail("missing ')'")
            self.pos += 1
            return node
        return self.parse_comparison()

    def parse_comparison(self):
        self.terms += 1
        if self.terms > MAX_TERMS:
            self.fail(f"more than {MAX_TERMS} comparisons")
        m = _FIELD.match(self.text, self.pos)
        if not m:
            self.fail("expected a field name")
        field, self.pos = m.group(0), m.end()
        m = _OP.match(self.text, self.pos)
        if not m:
            self.fail(f"expected an operator after {field!r}")
        op = m.group(0)
        if op not in OPERATORS:
            self.fail(f"unsupported operator {op!r} (supported: {', '.join(OPERATORS)})")
        self.pos = m.end()
        if op in ("=in=", "=out="):
            values = self.parse_list()
        else:
            values = (self.parse_value(),)
        patterns = tuple(_pattern(v) for v in values) if op in ("==", "!=") else ()
        return Cmp(field, op, values, patterns)

    def parse_list(self):
        if self.peek() != "(":
            self.fail("expected '(' to open the value list")
        self.pos += 1
        values = [self.parse_value()]
        while self.peek() == ",":
            self.pos += 1
            values.append(self.parse_value())
            if len(values) > MAX_VALUES:
                self.fail(f"more than {MAX_VALUES} values in a list")
        if self.peek() != ")":
            self.fail("missing ')' after the value list")
        self.pos += 1
        return tuple(values)

    def parse_value(self) -> str:
        quote = self.peek()
        if quote in ("'", '"'):
            return self.parse_quoted(quote)
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in _RESERVED:
            self.pos += 1
        if self.pos == start:
            self.fail("expected a value")
        return self.text[start:self.pos]

    def parse_quoted(self, quote: str) -> str:
        self.pos += 1
        out = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\\" and self.pos + 1 < len(self.text):
                out.append(self.text[self.pos + 1])
                self.pos += 2
            elif ch == quote:
                self.pos += 1
                return "".join(out)
            else:
                out.append(ch)
                self.pos += 1
        self.fail("unterminated quoted value")


def parse(text: str, param: str = "filter"):
    """The expression tree of a filter, or a 400 ``FilterError`` naming the problem."""
    if not text or not text.strip():
        raise FilterError("must not be empty.", param)
    if len(text) > MAX_LENGTH:
        raise FilterError(f"longer than {MAX_LENGTH} characters.", param)
    return _Parser(text.strip(), param).parse()


def fields(node) -> list[str]:
    """Every field name an expression mentions (to check them against the resource)."""
    if isinstance(node, Cmp):
        return [node.field]
    return [f for part in node.parts for f in fields(part)]


def single_equality(node) -> tuple[str, str] | None:
    """``(field, value)`` when the filter is one exact ``field==value`` (answerable from an index)."""
    if isinstance(node, Cmp) and node.op == "==" and len(node.values) == 1 and "*" not in node.values[0]:
        return node.field, node.values[0]
    return None


def rename(node, aliases: dict):
    """The same expression with aliased field names replaced (team ``userId`` -> ``userIds``)."""
    if not aliases:
        return node
    if isinstance(node, Cmp):
        return Cmp(aliases.get(node.field, node.field), node.op, node.values, node.patterns)
    return Bool(node.op, tuple(rename(p, aliases) for p in node.parts))
