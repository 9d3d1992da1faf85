"""Parse settings (R16): JSONPath expressions evaluated on an HTTP response, as Flow Designer's "Output Variable".

Library: ``python-jsonpath`` (jg-rp). Chosen because it implements RFC 9535, the JSONPath standard, in pure
Python (no native build, no parser generator tables written at import), is actively maintained, compiles an
expression once into a reusable object, reports syntax errors with the position, and its environment can be
configured: strict RFC mode, a recursion limit, and the set of filter functions. Flow Designer expressions such
as ``$.data[0].id`` and Jayway-style filters ``$.data[?(@.name=='x')].id`` are valid RFC 9535.

Bounds against pathological expressions: a length limit, the library's recursion limit for ``..``, and no
regular-expression functions (``match``/``search`` could backtrack for seconds on a crafted pattern).
"""
from __future__ import annotations

from functools import lru_cache

MAX_EXPRESSION = 512


@lru_cache(maxsize=1)
def _jsonpath():
    """``(jsonpath module, environment)``, made on first use: the library's import is a tenth of the server's
    start-up and only flows with parse settings need it (docs/performance.md)."""
    import jsonpath

    env = jsonpath.JSONPathEnvironment(strict=True)
    env.max_recursion_depth = 32  # descendant segments (`..`) stop at this depth
    for name in ("match", "search"):  # regex filters: catastrophic backtracking is possible
        env.function_extensions.pop(name, None)
    return jsonpath, env

#: Flow Designer's variable for "nothing matched".
EMPTY = ""


class InvalidExpression(ValueError):
    """A JSONPath expression that does not compile; the message names it."""


@lru_cache(maxsize=1024)
def compile_path(expression: str):
    """The compiled expression (cached), or ``InvalidExpression`` naming it and the problem."""
    if not isinstance(expression, str) or not expression.strip():
        raise InvalidExpression(f"JSONPath expression {expression!r} is empty.")
    if len(expression) > MAX_EXPRESSION:
        raise InvalidExpression(f"JSONPath expression {expression[:40]!r}... is longer than {MAX_EXPRESSION} "
                                "characters.")
    jsonpath, env = _jsonpath()
    try:
        return env.compile(expression.strip())
    except (jsonpath.JSONPathError, RecursionError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidExpression(f"JSONPath expression {expression!r} is invalid: {first}.") from None


def evaluate(expression: str, document):
    """One output variable: a singular path gives its value (EMPTY when nothing matches); a filter, wildcard,
    slice or descendant path gives a list of every match (Flow Designer: "filter expressions return arrays")."""
    path = compile_path(expression)
    jsonpath, _ = _jsonpath()
    try:
        found = path.findall(document)
    except (jsonpath.JSONPathError, RecursionError) as exc:
        raise InvalidExpression(f"JSONPath expression {expression!r} failed: {str(exc).splitlines()[0]}.") from None
    if path.singular_query():
        return found[0] if found else EMPTY
    return found
