"""Finished history records compressed together, ``SIZE`` at a time, instead of each on its own.

A finished task record alone, compressed against a typical one (``packing.py``), keeps about 440 bytes of its
1.7 KB of JSON: the ids of the tenant's queue, team, site and entry point are in every record but not in the
dictionary. Compressed with the records put just before it, those ids cost nothing after the first: 32 records
keep about 218 bytes each (zlib's level 6: 22 us a record; measured over a generated day of the 600-user tenant),
and one bytes object per block instead of one per record (the allocator's small-object pools hold fewer of them).

A block fills with the records as they are put (their JSON), then is sealed: compressed whole. Reading one record
inflates its block (about 120 us for 32); readers of many records in order (a window, an export, the search
view's batch) inflate each block once (``Reader``). A record put again (a capture flag set after the end) goes
into the open block, its older copy in a sealed one is no longer read; a block is freed with its last record.
"""
from __future__ import annotations

import zlib
from array import array

import orjson

#: Records per block (16: 286 bytes a record, 64 us to inflate a block; 64: 257 bytes, 180 us).
SIZE = 32
#: zlib's level 6 (its default): over a generated day's sealed blocks (10,624 records of the 600-user tenant),
#: 269 -> 218 bytes a record for 9 -> 22 us of compression a record (level 3: 254 bytes, 10 us; 4: 236, 18 us;
#: 5: 222, 21 us; inflating a block 100-125 us at each level). Kept memory was the target not met (issue 13,
#: docs/activity.md "Scale"): about 4 s of CPU more over a generated month of 300,000 contacts, 51 bytes less each.
_WBITS, _LEVEL, _MEM = 15, 6, 8


class Block:
    """Up to ``SIZE`` records: their JSON while open, one compressed buffer once sealed."""

    __slots__ = ("ids", "times", "data", "ends")

    def __init__(self):
        self.ids: list[str] = []
        self.times = array("q")
        self.data: list[bytes] | bytes = []  # the records' JSON while open; compressed once sealed
        self.ends: array | None = None  # where each record's JSON ends in the inflated block (sealed)

    def put(self, rid: str, t: int, raw: bytes) -> None:
        """Add a record to the open block, or replace the one of that id it already holds."""
        try:
            i = self.ids.index(rid)
        except ValueError:
            self.ids.append(rid)
            self.times.append(t)
            self.data.append(raw)
            return
        self.times[i], self.data[i] = t, raw

    @property
    def full(self) -> bool:
        return len(self.ids) >= SIZE

    def seal(self, zdict: bytes) -> None:
        raws, ends, end = self.data, array("I"), 0
        for raw in raws:
            end += len(raw)
            ends.append(end)
        z = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS, _MEM, zlib.Z_DEFAULT_STRATEGY, zdict)
        self.data, self.ends = z.compress(b"".join(raws)) + z.flush(), ends

    def time_of(self, rid: str) -> int:
        return self.times[self.ids.index(rid)]


class Reader:
    """Records read out of blocks, each block inflated once while it is the last one read."""

    __slots__ = ("zdict", "block", "inflated")

    def __init__(self, zdict: bytes):
        self.zdict, self.block, self.inflated = zdict, None, b""

    def record(self, block: Block, rid: str) -> dict:
        i = block.ids.index(rid)
        if block.ends is None:  # open: the record's own JSON
            return orjson.loads(block.data[i])
        if block is not self.block:
            self.inflated = zlib.decompressobj(_WBITS, self.zdict).decompress(block.data)
            self.block = block
        ends = block.ends
        return orjson.loads(memoryview(self.inflated)[ends[i - 1] if i else 0:ends[i]])
