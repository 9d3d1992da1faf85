"""A parent read and written with its children inline: the v1 address book's ``addressBookEntries``.

The spec documents ``AddressBookWithEntriesDTO`` for ``GET/PUT /address-book/{id}`` and the deprecated
``POST /address-book`` (webex-cc-facts.md 3.7; the admin tool reads entries from that GET live). The children
are the sub-collection's own documents (``address-book-entry``), so both paths show the same entries.
A replace that sends the list makes it the book's entries (an entry keeps its ``id`` when it sends it back);
one that leaves the list out leaves the entries as they are ([U]: not documented; nothing is lost silently).
"""
from __future__ import annotations

from ..clock import new_id
from ..http.errors import ApiError
from .engine import MAX_BULK_ITEMS


def _child(engine):
    return engine.catalog.engines[engine.catalog.children[engine.kind][0].kind]


def _load(engine, items, field: str):
    """``[(data, sent id or None)]`` of the children sent, or None when the field is absent; all or nothing."""
    if items is None:
        return None
    if not isinstance(items, list):
        raise ApiError(400, f"{field}: must be a list.")
    if len(items) > MAX_BULK_ITEMS:
        raise ApiError(400, f"{field}: at most {MAX_BULK_ITEMS} entries per request.")
    child, out, lines, seen = _child(engine), [], [], {}
    for i, item in enumerate(items):
        try:
            data, _ = child.load(item)
        except ApiError as exc:
            lines += [f"{field}[{i}].{d}" for d in (exc.descriptions or [exc.reason])]
            continue
        for name in child.spec.unique:
            value = data.get(name)
            key = (name, value.lower() if isinstance(value, str) else value)
            if value is not None and key in seen:
                raise ApiError(409, f"Similar entity is already present: {field}[{i}].{name} {value!r} repeats "
                                    f"{field}[{seen[key]}].")
            seen[key] = i
        sent = item.get("id")
        out.append((data, sent if isinstance(sent, str) and sent else None))
    if lines:
        raise ApiError(400, "; ".join(lines), descriptions=lines)
    return out


def get(engine, org: str, id: str, field: str) -> dict:
    """The parent with its children."""
    with engine.store.atomic():
        doc = engine.get(org, id)
        return _with(engine, org, doc, field)


def _with(engine, org: str, doc: dict, field: str) -> dict:
    child = _child(engine)
    kids = engine.store.lookup(org, child.kind, child.parent_field, doc["id"])
    return {**doc, field: [child.public(k) for k in kids]}


def create(engine, org: str, payload, field: str) -> dict:
    """A new parent and its children, in one step."""
    if not isinstance(payload, dict):
        raise ApiError(400, f"Request body must be a JSON object ({engine.spec.title}).")
    entries = _load(engine, payload.get(field), field) or []
    with engine.store.atomic():
        doc = engine.create(org, {k: v for k, v in payload.items() if k != field})
        _write(engine, org, doc["id"], entries, {})
        return _with(engine, org, doc, field)


def replace(engine, org: str, id: str, payload, field: str) -> dict:
    """PUT of the parent; a sent list becomes its children (kept ids updated, others created, missing deleted)."""
    if not isinstance(payload, dict):
        raise ApiError(400, f"Request body must be a JSON object ({engine.spec.title}).")
    entries = _load(engine, payload.get(field), field)
    child = _child(engine)
    with engine.store.atomic():
        doc = engine.replace(org, id, {k: v for k, v in payload.items() if k != field})
        if entries is not None:
            old = {d["id"]: d for d in engine.store.lookup(org, child.kind, child.parent_field, id)}
            kept = {sent for _, sent in entries if sent in old}
            for gone in set(old) - kept:
                engine.store.delete(org, child.kind, gone)
            _write(engine, org, id, entries, old)
        return _with(engine, org, doc, field)


def _write(engine, org: str, parent_id: str, entries, old: dict) -> None:
    child, now = _child(engine), engine.rt.clock.now_ms()
    for data, sent in entries:
        before = old.get(sent)
        if before is not None:
            doc = {"organizationId": org, "id": sent, "version": before.get("version", 0) + 1, **data,
                   "createdTime": before.get("createdTime", now), "lastUpdatedTime": now}
        else:
            doc = {"organizationId": org, "id": new_id(), "version": 0, **data, "createdTime": now,
                   "lastUpdatedTime": now}
        doc[child.parent_field] = parent_id
        (engine.store.put if before is not None else engine.store.insert)(org, child.kind, doc)
