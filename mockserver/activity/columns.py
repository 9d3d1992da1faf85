"""An append-only table of fixed-width rows kept by column: what the center keeps of every moment (the statistics
marks) and every closed channel-state span, read back as tuples.

A list of tuples costs about 150 bytes a mark and 230 a span (a tuple, its header, an int object per time);
by column it is 4 bytes a time or a count (``array('I')``, an offset from the column's base: ``_Ints``), one or two
bytes a value from a small set (kind, channel, state, agent, queue, team: codes of a table the column grows), and 8
bytes a pointer to any other id (the id strings are the tasks' and sessions' own, shared). Measured on a day of the
generated 600-user tenant (docs/activity.md, "Scale"). The readers see a sequence of tuples: iteration, ``len``,
indexing, slices, ``append``, ``extend``, deleting a head.
"""
from __future__ import annotations

import bisect
import itertools
from array import array


class _Full(Exception):
    """A column cannot take a row's value as it is kept (``Columns`` widens it and appends the row again)."""


class _Codes:
    """A column of values from a small set (a kind, a channel, an agent, a queue): one or two bytes a row (four past
    65,536 distinct values), the values in a table of their own. With a ``cap`` (a set that is open, such as the
    sessions' ids or a client's text) the table takes at most ``cap`` values: the next new one raises ``_Full``
    before anything changes, and the table becomes a list of the values (``Columns._append_widening``)."""

    def __init__(self, cap: int | None = None):
        self.codes = array("B")
        self.values: list = []
        self.index: dict = {}
        self.cap = cap

    def add(self, value) -> int:
        """The code of a value not seen yet (the codes widen for every row, once, when they must)."""
        if self.cap is not None and len(self.values) >= self.cap:
            raise _Full
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

    def iter_from(self, lo: int):
        return map(self.values.__getitem__, itertools.islice(self.codes, lo, None))

    def __len__(self) -> int:
        return len(self.codes)

    def clear(self) -> None:
        self.codes = array("B")
        self.values.clear()  # in place: the table's generated append holds the index
        self.index.clear()


#: An ``_Ints`` column's base is its first value less this, so that values somewhat below it fit too (a span's start
#: before the first span's; 2**28 ms: about 3 days): a time column then holds about 46 days above its first value.
_BELOW = 1 << 28
_SPAN = 1 << 32
#: An open set's column (``"s"``) codes at most this many distinct values (two bytes a row), then keeps objects.
OPEN_CODES = 1 << 16


class _Ints:
    """A column of integers kept as 4-byte offsets from a base (``array('I')``): 4 bytes a time or a count instead
    of 8. A value out of the offsets' range raises ``_Full`` (from the append: ``OverflowError``); ``widen``
    then moves the base if every value would fit again (the bound has forgotten the oldest), else keeps 8-byte
    values (base 0). An empty column takes its base from its first value the same way."""

    __slots__ = ("values", "base")

    def __init__(self):
        self.values, self.base = array("I"), None

    def widen(self, value: int) -> None:
        """Make room for ``value`` (4-byte offsets only: base 0 and 8 bytes need none)."""
        old, base = self.values, self.base or 0
        lo = hi = value
        if old:
            lo, hi = min(lo, min(old) + base), max(hi, max(old) + base)
        if hi - lo < _SPAN - 2 * _BELOW:
            new_base = lo - _BELOW
            shift = base - new_base
            self.values, self.base = array("I", [v + shift for v in old]), new_base
        else:
            self.values, self.base = array("q", [v + base for v in old]), 0

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [v + self.base for v in self.values[i]]
        return self.values[i] + self.base

    def __delitem__(self, i) -> None:
        del self.values[i]

    def __iter__(self):
        return map(self.base.__add__, self.values) if self.base else iter(self.values)

    def iter_from(self, lo: int):
        values = itertools.islice(self.values, lo, None)
        return map(self.base.__add__, values) if self.base else values

    def __len__(self) -> int:
        return len(self.values)

    def clear(self) -> None:
        self.values, self.base = array("I"), None

    def first_from(self, value: int) -> int:
        return bisect.bisect_left(self.values, value - (self.base or 0))


class Columns:
    """Rows of ``kinds`` columns: ``"q"`` an integer (``_Ints``), ``"c"`` a value of a small set (its table only
    grows: not for ids made per contact), ``"s"`` a value of a set that is open but mostly small (a session's id, a
    dial number, a client's reason: coded up to ``OPEN_CODES`` distinct values, then kept as objects), ``"o"`` any
    object (an id, None)."""

    def __init__(self, kinds: str):
        self.kinds = kinds
        self._reset()

    def _reset(self) -> None:
        self.cols = [_Ints() if k == "q" else _Codes() if k == "c" else _Codes(OPEN_CODES) if k == "s" else []
                     for k in self.kinds]
        self.append = self._appender()

    def _appender(self):
        """``append(row)`` as one generated function: a loop over the columns cost 3 us a row, a million rows a
        month of a large center (measured). A value a column cannot take as it is kept (``_Full``: an offset out
        of range, an open set's table full) sends the row to ``_append_widening``, which undoes the columns
        already appended, widens that column and appends the row again; any other error (a value of the wrong
        type) is raised with every column as it was, never a row half appended."""
        lines, env = ["def append(row):", f"    if len(row) != {len(self.kinds)}: raise ValueError('a row of "
                      f"{len(self.kinds)} values is expected')", "    try:"], {"_Full": _Full}
        for i, col in enumerate(self.cols):
            if type(col) is _Codes:
                env[f"k{i}"], env[f"i{i}"] = col, col.index
                lines += [f"        v = row[{i}]", f"        c = i{i}.get(v)", f"        if c is None: c = k{i}.add(v)",
                          f"        k{i}.codes.append(c)"]  # after add: it may widen the codes to a new array
            elif type(col) is _Ints:
                if col.base is None:  # no value yet: the first gives the base
                    lines.append("        raise _Full")
                    continue
                env[f"a{i}"], env[f"b{i}"] = col.values.append, col.base
                lines.append(f"        a{i}(row[{i}] - b{i})")  # OverflowError past the offsets' range
            else:
                env[f"a{i}"] = col.append
                lines.append(f"        a{i}(row[{i}])")
        env["widening"] = self._append_widening
        # ``append`` and, for ``_append_widening``, the same without the fallback (``once``: a row refused again
        # is an error, not a loop)
        once = ["def once(row):", lines[1]] + [line[4:] for line in lines[3:]]
        lines += ["    except Exception:", "        widening(row)"]  # it re-raises what widening does not cure
        exec("\n".join(lines + once), env)  # noqa: S102 (the source is ours: column kinds, no outside text)
        self._once = env["once"]
        return env["append"]

    def _undo(self) -> None:
        """Columns appended before one refused a row lose that row's value (they are one longer than the rest)."""
        n = min(len(col) for col in self.cols)
        for col in self.cols:
            if len(col) > n:
                del col[n:]

    def _append_widening(self, row) -> None:
        self._undo()
        for i, (col, value) in enumerate(zip(self.cols, row)):
            if type(col) is _Ints:
                if not isinstance(value, int):
                    raise TypeError(f"column {i}: an integer is expected, not {type(value).__name__}")
                if col.base is None or (col.values.typecode == "I" and not 0 <= value - col.base < _SPAN):
                    col.widen(value)
            elif type(col) is _Codes and col.cap is not None and value not in col.index \
                    and len(col.values) >= col.cap:
                self.cols[i] = list(col)  # the open set past its cap: its values as objects, from now on
        self.append = self._appender()
        try:
            self._once(row)
        except BaseException:
            self._undo()
            raise

    def extend(self, rows) -> None:
        for row in rows:
            self.append(row)

    def __len__(self) -> int:
        return len(self.cols[0])

    def __iter__(self):
        return zip(*self.cols)

    def iter_from(self, lo: int):
        """The rows from ``lo`` on, read as they are iterated: no copy of the tail (a window on a month's first
        day would copy a million spans as a slice) and no hold on the columns' buffers (they may grow meanwhile)."""
        return zip(*(col.iter_from(lo) if type(col) in (_Ints, _Codes) else itertools.islice(col, lo, None)
                     for col in self.cols))

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
        self._reset()

    def first_from(self, column: int, value: int) -> int:
        """The first row whose (ascending) integer ``column`` is at least ``value``."""
        col = self.cols[column]
        return col.first_from(value) if type(col) is _Ints else bisect.bisect_left(col, value)
