"""TinyDB, through its public API: the live tables of an in-memory database (tests/test_library_internals.py)."""
from __future__ import annotations


def live_tables(db) -> dict:
    """The ``{table name: {document id: document}}`` dict an in-memory TinyDB holds, itself, not a copy.

    Public API only (``TinyDB.storage``, the ``Storage.read``/``write`` contract), but it relies on
    ``MemoryStorage.read`` handing out the dict it keeps: the store reads and changes tables in place, because
    TinyDB's ``Table`` copies the whole table on every write (O(n): 100,000 documents per write at 100k users)
    and numbers its documents, where the store keys them by their Webex ``id``.
    """
    tables = db.storage.read()
    if tables is None:
        tables = {}
        db.storage.write(tables)
    return tables
