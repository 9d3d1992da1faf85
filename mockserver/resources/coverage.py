"""How much of the vendor's configuration API the mock implements, per resource, as a markdown table.

    python -m mockserver.resources.coverage [--spec PATH]

Vendor operations come from Cisco's spec (default ``reference/webex-contact-center.openapi.json``
in the repository): every path under ``/organization/{orgid}/`` and the Data Sources family (``/dataSources``,
configuration that lives outside the organisation path); the mock's from the routes of a freshly built app.
Operations match on method and path template (parameter names aside). The table is copied into docs/coverage.md;
a test keeps the two in step.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from ..reference import VENDOR_SPEC

DEFAULT_SPEC = VENDOR_SPEC
PREFIX = "/organization/{orgid}/"
DATA_SOURCES = "/dataSources"
MOCK_PREFIXES = ("/organization/<orgid>/", DATA_SOURCES)
METHODS = ("get", "post", "put", "patch", "delete")
_PARAM = re.compile(r"\{[^}]*\}|<(?:[^>:]*:)?[^>]*>")


def template(path: str) -> str:
    """A path with parameter names erased, in either style: ``/site/<id>`` and ``/site/{siteId}`` agree."""
    return _PARAM.sub("{}", path.rstrip("/"))


def is_configuration(path: str) -> bool:
    """Whether a vendor path is counted: under ``/organization/{orgid}/`` or the ``/dataSources`` family."""
    return path.startswith(PREFIX) or path == DATA_SOURCES or path.startswith(DATA_SOURCES + "/")


def label(method: str, path: str) -> str:
    """``METHOD /path`` with the organisation prefix dropped (``GET /v2/site``, ``GET /dataSources/schemas``)."""
    return f"{method} {path[len(PREFIX) - 1:] if path.startswith(PREFIX) else path.rstrip('/')}"


def resource_of(path: str) -> str:
    """The vendor resource a configuration path belongs to (``/v2/site`` and ``/site/{id}`` -> ``site``)."""
    if not path.startswith(PREFIX):
        return DATA_SOURCES.lstrip("/")
    parts = path[len(PREFIX):].split("/")
    return parts[1] if parts[0] in ("v1", "v2", "v3") and len(parts) > 1 else parts[0]


def vendor_operations(spec: dict) -> dict[str, list[tuple[str, str]]]:
    """``{resource: [(METHOD, path)]}`` for every configuration operation of the spec, in spec order."""
    out: dict[str, list[tuple[str, str]]] = {}
    for path, item in spec["paths"].items():
        if not is_configuration(path):
            continue
        for method in METHODS:
            if method in item:
                out.setdefault(resource_of(path), []).append((method.upper(), path))
    return out


def mock_operations(app) -> set[tuple[str, str]]:
    """``{(METHOD, template)}`` of the app's configuration routes."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(MOCK_PREFIXES):
            found.update((m, template(rule.rule)) for m in rule.methods - {"HEAD", "OPTIONS"})
    return found


def rows(spec: dict, app) -> list[tuple[str, list[str], list[str]]]:
    """``(resource, implemented, missing)`` per vendor resource, operations as ``METHOD /path``."""
    mine = mock_operations(app)
    out = []
    for resource, ops in sorted(vendor_operations(spec).items()):
        done, todo = [], []
        for method, path in sorted(ops, key=lambda o: (o[1], METHODS.index(o[0].lower()))):
            (done if (method, template(path)) in mine else todo).append(label(method, path))
        out.append((resource, done, todo))
    return out


#: Runtime API families counted beside the configuration API (paths at the host root, runtime facts 1).
RUNTIME_FAMILIES = {"search": ("/search",), "subscriptions": ("/v1/subscriptions", "/v2/subscriptions"),
                    "event-types": ("/v1/event-types", "/v2/event-types")}


def runtime_rows(spec: dict, app) -> list[tuple[str, list[str], list[str]]]:
    """``(family, implemented, missing)`` for the runtime families of ``RUNTIME_FAMILIES``."""
    mine = {(m, template(r.rule)) for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}}
    out = []
    for family, prefixes in RUNTIME_FAMILIES.items():
        done, todo = [], []
        for path, item in spec["paths"].items():
            if not path.startswith(prefixes):
                continue
            for method in METHODS:
                if method in item:
                    (done if (method.upper(), template(path)) in mine else todo).append(f"{method.upper()} {path}")
        out.append((family, done, todo))
    return out


def table(spec: dict, app) -> str:
    """The markdown table: implemented operations and a count out of the vendor's total, per resource."""
    lines = ["| Resource | Implemented | Operations the mock implements | Not implemented |",
             "|---|---|---|---|"]
    total_done = total = 0
    for resource, done, todo in rows(spec, app):
        total_done, total = total_done + len(done), total + len(done) + len(todo)
        cell = lambda ops: "<br>".join(f"`{op}`" for op in ops) or "—"  # noqa: E731
        lines.append(f"| `{resource}` | {len(done)}/{len(done) + len(todo)} | {cell(done)} | {cell(todo)} |")
    lines.append(f"| **all** | **{total_done}/{total}** | | |")
    return "\n".join(lines) + "\n"


#: The vendor spec's runtime tags the activity simulation serves (Agent Wellbeing only for /v1/agentburnout/*).
RUNTIME_TAGS = ("Tasks", "Agents", "Queues", "Estimated Wait Time", "Captures", "Callbacks", "Call Monitoring",
                "Campaign Manager", "Contact List Management", "DNC Management", "Notification", "Realtime",
                "Agent Summaries", "Agent Wellbeing")


def runtime_operations(spec: dict) -> list[tuple[str, str]]:
    """``(METHOD, path)`` of every operation of the runtime tags, in spec order."""
    out = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            op = item.get(method)
            tags = set((op or {}).get("tags") or [])
            if op is None or not tags & set(RUNTIME_TAGS):
                continue
            if tags == {"Agent Wellbeing"} and not path.startswith("/v1/agentburnout/"):
                continue
            out.append((method.upper(), path))
    return out


def runtime_table(spec: dict, app) -> str:
    """The runtime APIs per vendor tag: implemented operations out of the tag's total."""
    mine = {(m, template(r.rule)) for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}}
    by_tag: dict[str, tuple[list, list]] = {}
    for method, path in runtime_operations(spec):
        tag = next(t for t in spec["paths"][path][method.lower()]["tags"] if t in RUNTIME_TAGS)
        done, todo = by_tag.setdefault(tag, ([], []))
        (done if (method, template(path)) in mine else todo).append(f"{method} {path}")
    lines = ["| Tag | Implemented | Not implemented |", "|---|---|---|"]
    total = total_done = 0
    for tag in RUNTIME_TAGS:
        done, todo = by_tag.get(tag, ([], []))
        total, total_done = total + len(done) + len(todo), total_done + len(done)
        lines.append(f"| {tag} | {len(done)}/{len(done) + len(todo)} | "
                     + ("<br>".join(f"`{op}`" for op in todo) or "—") + " |")
    lines.append(f"| **all** | **{total_done}/{total}** | |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(prog="python -m mockserver.resources.coverage",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="the vendor's OpenAPI document")
    parser.add_argument("--runtime", action="store_true", help="the runtime APIs per tag instead")
    args = parser.parse_args(argv)
    try:
        spec = json.loads(args.spec.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read the vendor spec {args.spec}: {exc}", file=sys.stderr)
        return 2
    from .. import create_app

    app = create_app({"access_log": False})
    sys.stdout.write(runtime_table(spec, app) if args.runtime else table(spec, app))
    return 0


if __name__ == "__main__":
    sys.exit(main())
