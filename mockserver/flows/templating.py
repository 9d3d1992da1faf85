"""``{{variable}}`` templating of HTTP Request activity fields (path, URL, query, headers, body)."""
from __future__ import annotations

import re
from urllib.parse import quote

import orjson

_VAR = re.compile(r"\{\{\s*([A-Za-z_][\w.\-]*)\s*\}\}")
_LEFT = re.compile(r"\{\{.*?\}\}", re.S)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return orjson.dumps(value).decode()  # lists (filter outputs) and objects as JSON


class Renderer:
    """Renders templates against flow variables, remembering what it could not resolve."""

    def __init__(self, variables: dict):
        self.variables = variables
        self.unresolved: list[str] = []
        self.unsupported: list[str] = []

    def render(self, template, *, url_part: bool = False):
        """The template with each ``{{name}}`` replaced; a missing variable renders empty (as in Flow Designer).

        ``url_part``: values are percent-encoded, so a variable cannot add path segments or a query.
        """
        if not isinstance(template, str):
            return template

        def one(m):
            name = m.group(1)
            if name not in self.variables:
                if name not in self.unresolved:
                    self.unresolved.append(name)
                return ""
            text = _text(self.variables[name])
            return quote(text, safe="") if url_part else text

        out = _VAR.sub(one, template)
        # Differs from Webex: Pebble expressions ({{a|urlencode}}, {{x==1}}) are not evaluated: left as they
        # are, and reported.
        self.unsupported.extend(e for e in _LEFT.findall(out) if e not in self.unsupported)
        return out

    def render_map(self, mapping: dict | None) -> dict:
        """Keys and values of a query or header map."""
        return {self.render(str(k)): self.render(v if isinstance(v, str) else _text(v))
                for k, v in (mapping or {}).items()}
