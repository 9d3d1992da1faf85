"""Sorted ``(time, id)`` pairs kept in two columns: an array of 8-byte times and a list of ids.

The center's task order and the history's index of each kind hold one pair per contact; as a list of tuples a
pair costs 72 bytes (the tuple and its pointer), here 16 (the ids are the strings the tasks and records share).
It reads as the list did where that is cheap (``len``, iteration, items and slices give tuples, slice
assignment and deletion), and finds a time or a pair by bisecting the columns rather than comparing tuples.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator


class Keys:
    """``(time, id)`` pairs in ascending order (the caller keeps them sorted: ``add`` for one out of place)."""

    __slots__ = ("times", "ids")

    def __init__(self, pairs: Iterable[tuple[int, str]] = ()):
        self.times, self.ids = array("q"), []
        self.extend(pairs)

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[tuple[int, str]]:
        return zip(self.times, self.ids)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(zip(self.times[i], self.ids[i]))
        return self.times[i], self.ids[i]

    def __setitem__(self, i: slice, pairs: Iterable[tuple[int, str]]) -> None:
        new = Keys(pairs)
        self.times[i], self.ids[i] = new.times, new.ids

    def __delitem__(self, i) -> None:
        del self.times[i]
        del self.ids[i]

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def append(self, pair: tuple[int, str]) -> None:
        t, rid = pair
        self.times.append(t)
        self.ids.append(rid)

    def extend(self, pairs: Iterable[tuple[int, str]]) -> None:
        for t, rid in pairs:
            self.times.append(t)
            self.ids.append(rid)

    def left(self, t: int, rid: str = "") -> int:
        """Where ``(t, rid)`` would go, before an equal pair (``bisect_left`` of the pairs)."""
        lo = bisect_left(self.times, t)
        if not rid:
            return lo
        return bisect_left(self.ids, rid, lo, bisect_right(self.times, t, lo))

    def right(self, t: int, rid: str | None = None) -> int:
        """Where ``(t, rid)`` would go, after an equal pair; ``rid`` None: after every pair of time ``t``."""
        hi = bisect_right(self.times, t)
        if rid is None:
            return hi
        return bisect_right(self.ids, rid, bisect_left(self.times, t, 0, hi), hi)

    def find(self, t: int, rid: str) -> int:
        """The index of the pair ``(t, rid)``, or -1."""
        i = self.left(t, rid)
        return i if i < len(self.ids) and self.times[i] == t and self.ids[i] == rid else -1

    def add(self, t: int, rid: str) -> None:
        """Put a pair in its place (appended when it is the last: records arrive in time order)."""
        if not self.ids or (self.times[-1], self.ids[-1]) < (t, rid):
            self.append((t, rid))
            return
        i = self.left(t, rid)
        self.times.insert(i, t)
        self.ids.insert(i, rid)

