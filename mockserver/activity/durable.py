"""The runtime state clients write (campaigns with their contact lists, DNC lists, scheduled callbacks) kept in the
store, so ``--storage FILE``, reset and snapshots treat it as they treat configuration.

The views keep working on the center's ``extras`` (in memory, under the center's lock); a view that changes an
item marks it with ``touch`` and the activity service writes the marked items to the store before the response
leaves (``save``), one document per item (a campaign with its lists and contacts, a DNC list, a callback). A
center built later (after a restart) or told to reload (after a snapshot restore) reads them back (``load``).
"""
from __future__ import annotations

import orjson

#: extras key -> the store kind of its items (one document per item, the item's id as the document id).
KINDS = {"campaigns": "runtime-campaign", "dnc": "runtime-dnc-list", "callbacks": "runtime-callback"}
_DIRTY = "_durable_dirty"


def touch(c, key: str, item_id: str) -> None:
    """Mark one item of ``c.extras[key]`` as changed (created, changed or removed)."""
    c.extras.setdefault(_DIRTY, set()).add((key, item_id))


def save(store, c) -> int:
    """Write the marked items of a center to the store (removed ones deleted); how many were written."""
    dirty = c.extras.pop(_DIRTY, None)
    if not dirty:
        return 0
    for key, item_id in sorted(dirty):
        item = c.extras.get(key, {}).get(item_id)
        if item is None:
            store.delete(c.org_id, KINDS[key], item_id)
        elif key == "dnc":  # a DNC list is a dict of numbers: the document wraps it
            store.put(c.org_id, KINDS[key], {"id": item_id, "numbers": item})
        else:
            store.put(c.org_id, KINDS[key], {**item, "id": item_id})
    return len(dirty)


def load(store, c) -> None:
    """Replace the center's durable extras by what the store holds; due callbacks are scheduled again."""
    c.extras.pop(_DIRTY, None)
    for key, kind in KINDS.items():
        docs = store.scan(c.org_id, kind)
        if key == "dnc":
            c.extras[key] = {d["id"]: _thaw(d["numbers"]) for d in docs}
        else:
            c.extras[key] = {d["id"]: _thaw(d) for d in docs}
    for cid, doc in c.extras["callbacks"].items():
        if not doc.get("taskId") and isinstance(doc.get("startMs"), int):
            c.schedule(doc["startMs"], "callback_due", cid)  # the handler skips a callback changed meanwhile


def _thaw(doc: dict) -> dict:
    """A private deep copy (stored documents are shared and never mutated in place)."""
    return orjson.loads(orjson.dumps(doc))
