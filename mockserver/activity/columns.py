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

    def add(self, value) -> int:
        """The code of a value not seen yet (the codes widen for every row, once, when they must)."""
        code = self.index[value] = len(self.values)
        self.values.append(value)
        if code >= 1 << (8 * self.codes.itemsize):
            self.codes = array("H" if code < 1 << 16 else "I", self.codes)
        return code

    def append(self, value) -> None:
        code = self.index.get(value)
        self.codes.append(self.add(value) if code is None else code)

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
        self.codes = array("B")
        self.values.clear()  # in place: the table's generated append holds the index
        self.index.clear()


class Columns:
    """Rows of ``kinds`` columns: ``"q"`` an integer, ``"c"`` a value of a small set (its table only grows: not for
    ids made per contact), ``"o"`` any object (an id, None)."""

    def __init__(self, kinds: str):
        self.kinds = kinds
        self.cols = [array("q") if k == "q" else _Codes() if k == "c" else [] for k in kinds]
        self.append = self._appender()

    def _appender(self):
        """``append(row)`` as one generated function: a loop over the columns cost 3 us a row, a million rows a
        month of a large center (measured)."""
        lines, env = ["def append(row):", f"    if len(row) != {len(self.kinds)}: raise ValueError('a row of "
                      f"{len(self.kinds)} values is expected')"], {}
        for i, (kind, col) in enumerate(zip(self.kinds, self.cols)):
            if kind == "c":
                env[f"k{i}"], env[f"i{i}"] = col, col.index
                lines += [f"    v = row[{i}]", f"    c = i{i}.get(v)", f"    if c is None: c = k{i}.add(v)",
                          f"    k{i}.codes.append(c)"]  # after add: it may widen the codes to a new array
            else:
                env[f"a{i}"] = col.append
                lines.append(f"    a{i}(row[{i}])")
        exec("\n".join(lines), env)  # noqa: S102 (the source is ours: column kinds, no outside text)
        return env["append"]

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
