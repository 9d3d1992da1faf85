"""An append-only table of fixed-width rows kept by column: what the center keeps of every moment (the statistics
marks) and every closed channel-state span, read back as tuples.

A list of tuples costs about 150 bytes a mark and 230 a span (a tuple, its header, an int object per time);
by column it is 8 bytes a time or a count (``array('q')``), one or two bytes a value from a small set (kind,
channel, state, agent, queue, team: codes of a table the column grows), and 8 bytes a pointer to any other id
(the id strings are the tasks' and sessions' own, shared). Measured on a day of the generated 600-user tenant
(docs/activity.md, "Scale"). The readers see a sequence of tuples: iteration, ``len``, indexing, slices,
``append``, ``extend``, deleting a head.
"""
from __future__ import annotations

import bisect
from array import array


class _Codes:
    """A column of values from a small set (a kind, a channel, an agent, a queue): one or two bytes a row (four past
    65,536 distinct values), the values in a table of their own."""

    def __init__(self):
        self.codes = array("B")
        self.values: list = []
        self.index: dict = {}

    def append(self, value) -> None:
        code = self.index.get(value)
        if code is None:
            code = self.index[value] = len(self.values)
            self.values.append(value)
            if code >= 1 << (8 * self.codes.itemsize):  # a wider code for every row, once
                self.codes = array("H" if code < 1 << 16 else "I", self.codes)
        self.codes.append(code)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.values[c] for c in self.codes[i]]
        return self.values[self.codes[i]]

    def __delitem__(self, i) -> None:
        del self.codes[i]

    def __iter__(self):
        return map(self.values.__getitem__, self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def clear(self) -> None:
        self.codes, self.values, self.index = array("B"), [], {}


class Columns:
    """Rows of ``kinds`` columns: ``"q"`` an integer, ``"c"`` a value of a small set (its table only grows: not for
    ids made per contact), ``"o"`` any object (an id, None)."""

    def __init__(self, kinds: str):
        self.kinds = kinds
        self.cols = [array("q") if k == "q" else _Codes() if k == "c" else [] for k in kinds]

    def append(self, row) -> None:
        for col, value in zip(self.cols, row, strict=True):
            col.append(value)

    def extend(self, rows) -> None:
        for row in rows:
            self.append(row)

    def __len__(self) -> int:
        return len(self.cols[0])

    def __iter__(self):
        return zip(*self.cols)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(zip(*(col[i] for col in self.cols)))
        return tuple(col[i] for col in self.cols)

    def __delitem__(self, i) -> None:
        if not isinstance(i, slice):
            raise TypeError("rows go from the head, by slice")
        for col in self.cols:
            del col[i]

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    __hash__ = None

    def clear(self) -> None:
        for col in self.cols:
            if isinstance(col, list):
                col.clear()
            elif isinstance(col, _Codes):
                col.clear()
            else:
                del col[:]

    def first_from(self, column: int, value: int) -> int:
        """The first row whose (ascending) integer ``column`` is at least ``value``."""
        return bisect.bisect_left(self.cols[column], value)
