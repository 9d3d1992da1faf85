"""Paths the mock does not serve: a 404 in the Webex shape that says so, naming the vendor operation when it is one.

The vendor's operations come from ``resources/vendor_operations.json`` (generated from the spec with the
constraints, see ``resources/constraints.py``). A route the mock adds later simply takes the path over: these
checks only run for requests that no route served.
"""
from __future__ import annotations

import functools
import json

from flask import request

from ..resources.constraints import OPERATIONS_FILE
from .errors import ApiError


@functools.lru_cache(maxsize=1)
def _operations() -> dict[tuple[str, int], list[tuple[str, ...]]]:
    """``(METHOD, segment count) -> [segments]`` of every vendor operation (``{}`` = a parameter)."""
    out: dict = {}
    for op in json.loads(OPERATIONS_FILE.read_text(encoding="utf-8")):
        method, _, path = op.partition(" ")
        segments = tuple(path.strip("/").split("/"))
        out.setdefault((method, len(segments)), []).append(segments)
    return out


def vendor_operation(method: str, path: str, min_literals: int = 0) -> str | None:
    """The vendor operation template a concrete path is an instance of (the most literal one), or None."""
    segments = path.strip("/").split("/")
    if len(segments) > 32:
        return None
    best, score = None, min_literals - 1
    for template in _operations().get((method.upper(), len(segments)), ()):
        literals = 0
        for want, got in zip(template, segments):
            if want == "{}":
                continue
            if want != got:
                break
            literals += 1
        else:
            if literals > score:
                best, score = template, literals
    return "/" + "/".join(best) if best is not None else None


def reason(method: str, path: str, min_literals: int = 0) -> str | None:
    """The 404 reason for a vendor operation the mock does not serve, or None when the path is none."""
    template = vendor_operation(method, path, min_literals)
    if template is None:
        return None
    return (f"{method.upper()} {template} is an operation of the Webex Contact Center API that this mock does "
            f"not serve.")


def refuse_if_operation(route_rule: str) -> None:
    """On an item route's 404: when the "id" is in fact a vendor operation (``site/bulk-export``), say so.

    ``route_rule`` is the matched route; only vendor templates with more literal segments than it count.
    """
    literals = sum(1 for s in route_rule.strip("/").split("/") if not s.startswith("<"))
    text = reason(request.method, request.path, literals + 1)
    if text:
        raise ApiError(404, text)
