"""Reads the seed data: ``integrations.json`` and one folder per organisation under ``orgs/``.

Layout::

    fixtures/integrations.json          OAuth integrations (client id/secret, redirect URIs, scopes)
    fixtures/orgs/<name>/org.json       the organisation: id, name, licences, cluster
    fixtures/orgs/<name>/<kind>.json    a list of documents of that kind (wire format), e.g. people.json, site.json
"""
from __future__ import annotations

from pathlib import Path

import orjson

from . import SYSTEM

#: Fixture files at least this large are kept compact (``compact.py``); smaller ones are parsed at start as they
#: always were (a few MiB of dicts at most, and scans over them stay free of parsing). Here, not in compact.py:
#: a tenant without a large file does not import msgspec.
COMPACT_BYTES = 1 << 20


class FixtureError(ValueError):
    """A fixture file that cannot be used (names the file)."""


def _read(path: Path, keep: dict | None = None, kind: str = ""):
    try:
        raw = path.read_bytes()
        data = orjson.loads(raw)
    except (OSError, orjson.JSONDecodeError) as exc:
        raise FixtureError(f"{path}: {exc}") from None
    if keep is not None:
        keep[kind] = raw
    return data


def load_fixtures(directory: str | Path, raw: dict | None = None,
                  compact: bool = False) -> tuple[dict[str, dict[str, list]], dict]:
    """Return ``({org: {kind: [docs]}}, summary)``; a missing directory is an empty seed.

    ``raw``: filled with ``{org: {kind: file bytes}}``, the serialised documents as read (the store keeps
    them as its reset copy instead of serialising the seed again: half a second at 100,000 users).
    ``compact``: a file of at least ``COMPACT_BYTES`` is split, not parsed: its kind maps to a
    ``compact.Compact`` (``{id: Raw}`` over the file's bytes) instead of a list (the store's, see compact.py).
    """
    root = Path(directory)
    data: dict[str, dict[str, list]] = {SYSTEM: {"org": [], "integration": []}}
    summary = {"directory": str(root), "organizations": [], "integrations": 0}
    if not root.is_dir():
        summary["missing"] = True
        return data, summary
    integrations = root / "integrations.json"
    if integrations.exists():
        data[SYSTEM]["integration"] = [_with_id(d, "clientId") for d in _read(integrations)]
        summary["integrations"] = len(data[SYSTEM]["integration"])
    for org_dir in sorted(p for p in (root / "orgs").glob("*") if p.is_dir()):
        org_file = org_dir / "org.json"
        if not org_file.exists():
            continue
        org = _read(org_file)
        if not isinstance(org, dict) or "id" not in org:
            raise FixtureError(f"{org_file}: an object with an 'id' is required")
        data[SYSTEM]["org"].append(org)
        kinds = data.setdefault(org["id"], {})
        counts = {}
        for kind_file in sorted(org_dir.glob("*.json")):
            if kind_file.name == "org.json":
                continue
            keep = None if raw is None else raw.setdefault(org["id"], {})
            docs = _split(kind_file, keep) if compact else None
            if docs is None:
                docs = _read(kind_file, keep, kind_file.stem)
                if not isinstance(docs, list) or not all(isinstance(d, dict) and "id" in d for d in docs):
                    raise FixtureError(f"{kind_file}: a list of objects each with an 'id' is required")
            kinds[kind_file.stem] = docs
            counts[kind_file.stem] = len(docs)
        summary["organizations"].append({"id": org["id"], "name": org.get("name"), "documents": counts})
    return data, summary


def _split(path: Path, keep: dict | None):
    """A large file's documents as a ``Compact`` (validated: compact.py says how far); None for a small file."""
    try:
        if path.stat().st_size < COMPACT_BYTES:
            return None
        data = path.read_bytes()
        docs = _compact().Compact(data)
    except OSError as exc:
        raise FixtureError(f"{path}: {exc}") from None
    except _compact().CompactError as exc:
        raise FixtureError(f"{path}: {exc}") from None
    if keep is not None:
        keep[path.stem] = docs.data
    return docs


def _compact():
    from . import compact  # msgspec: imported only when a tenant has a large file

    return compact


def _with_id(doc: dict, key: str) -> dict:
    return doc if "id" in doc else {**doc, "id": doc[key]}
