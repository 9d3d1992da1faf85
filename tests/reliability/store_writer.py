"""Sustained writes straight into a file-backed ``Store``, one acknowledgement line per write on stdout.

Run as ``python -m tests.reliability.store_writer PATH FIRST``: performs ``operations(FIRST)`` (inserts, with
replaces and deletes of earlier ids mixed in) until killed. Line ``k`` of stdout is printed only after
operation ``k`` returned (the write is acknowledged), so a killer knows exactly which writes were acknowledged.
"""
from __future__ import annotations

import itertools
import sys
from typing import Iterator

from mockserver.storage import Store

ORG, KIND = "crash-org", "item"


def operations(first: int) -> Iterator[tuple[str, str, dict | None]]:
    """The endless, deterministic sequence ``(op, id, doc)`` starting at ``first``."""
    for n in itertools.count(first):
        yield "put", f"w{n}", {"id": f"w{n}", "n": n, "pad": "x" * (n % 200)}
        if n % 3 == 0 and n > first:
            yield "put", f"w{n - 1}", {"id": f"w{n - 1}", "n": -(n - 1)}
        if n % 7 == 0 and n - 2 >= first:
            yield "del", f"w{n - 2}", None


def apply(model: dict, op: tuple) -> None:
    """What one operation does to ``{id: doc}``."""
    kind, id_, doc = op
    if kind == "put":
        model[id_] = doc
    else:
        model.pop(id_, None)


def main(path: str, first: int) -> None:
    store = Store(path)
    for i, (kind, id_, doc) in enumerate(operations(first)):
        if kind == "put":
            store.put(ORG, KIND, doc)
        else:
            store.delete(ORG, KIND, id_)
        print(i, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
