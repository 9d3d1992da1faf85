"""The center's column tables (marks, spans) read back exactly the tuples written, whatever the number of distinct
values a coded column meets (its codes widen from one byte to two and four)."""
from __future__ import annotations

from mockserver.activity.columns import Columns


def test_rows_read_back_as_written_across_code_widths():
    rows = [(i, f"agent-{i % 300}", None if i % 3 else f"task-{i}", f"v{i}") for i in range(70_000)]
    table = Columns("qcoc")
    table.extend(rows)
    assert [col.codes.typecode for col in (table.cols[1], table.cols[3])] == ["H", "I"]
    assert len(table) == 70_000 and list(table) == rows
    assert table[0] == rows[0] and table[-1] == rows[-1] and table[100:103] == rows[100:103]
    assert table.first_from(0, 69_990) == 69_990 and table.first_from(0, 10 ** 9) == 70_000
    del table[:69_000]
    assert list(table) == rows[69_000:] and table[0] == rows[69_000]
    table.append((1, "agent-0", "x", "v0"))  # a value seen before keeps its code
    assert table[-1] == (1, "agent-0", "x", "v0") and len(table) == 1001
    table.clear()
    assert len(table) == 0 and list(table) == [] and table[0:5] == []


def test_integers_are_offsets_of_four_bytes_and_widen_when_they_must():
    """A time column holds 4-byte offsets from its first value less about 3 days; a value out of reach moves the
    base when the remaining values allow it (the head forgotten), else the column keeps 8-byte values."""
    t0, day = 1_767_225_600_000, 86_400_000
    table = Columns("qc")
    rows = [(t0 - 2 * day, "k")] + [(t0 + i * 3_600_000, "k") for i in range(24 * 30)]  # one before, 30 days
    table.extend(rows)
    col = table.cols[0]
    assert col.values.typecode == "I" and col.values.itemsize == 4 and list(table) == rows
    assert table.first_from(0, t0 + 10 * day) == 241 and table.first_from(0, 0) == 0
    del table[:24 * 29 + 1]  # the bound forgot 29 days: a value 50 days on fits after moving the base
    table.append((t0 + 50 * day, "k"))
    assert col.values.typecode == "I" and list(table) == rows[24 * 29 + 1:] + [(t0 + 50 * day, "k")]
    table.append((t0 - 40 * day, "k"))  # 90 days apart from the last: 8-byte values, every row unchanged
    assert col.values.typecode == "q" and list(table)[-2:] == [(t0 + 50 * day, "k"), (t0 - 40 * day, "k")]
    assert table[0] == rows[24 * 29 + 1] and table[1:3] == rows[24 * 29 + 2:24 * 29 + 4]
    small = Columns("q")
    small.extend([(5,), (-3,), (2 ** 40,), (-(2 ** 40),)])  # counts, negatives, past 32 bits
    assert list(small) == [(5,), (-3,), (2 ** 40,), (-(2 ** 40),)]


def test_an_open_set_is_coded_until_its_cap_then_kept_as_objects(monkeypatch):
    from mockserver.activity import columns
    monkeypatch.setattr(columns, "OPEN_CODES", 300)
    table = Columns("sq")
    rows = [(f"session-{i}", i) for i in range(1000)]
    table.extend(rows[:300])
    assert type(table.cols[0]) is columns._Codes and table.cols[0].codes.itemsize == 2
    table.extend(rows[300:])  # the 301st distinct value: the column becomes a list of the values, none lost
    assert type(table.cols[0]) is list and list(table) == rows
    table.append(("session-0", 1))  # and takes any value from then on
    assert table[-1] == ("session-0", 1) and len(table) == 1001
    table.clear()  # cleared, it codes again
    table.append(("x", 1))
    assert type(table.cols[0]) is columns._Codes and list(table) == [("x", 1)]


def test_a_row_refused_leaves_every_column_as_it_was():
    table = Columns("qcoq")
    table.append((1, "a", "x", 2))
    for bad in ((2, "a", "y", None), (2, ["unhashable"], "y", 3), (None, "a", "y", 3), (2, "a", "y")):
        try:
            table.append(bad)
        except (TypeError, ValueError):
            pass
        else:
            raise AssertionError(f"{bad} was taken")
        assert [len(col) for col in table.cols] == [1, 1, 1, 1] and list(table) == [(1, "a", "x", 2)]
    table.append((3, "b", None, 4))
    assert list(table) == [(1, "a", "x", 2), (3, "b", None, 4)]


def test_rows_from_an_index_are_read_lazily_and_as_written():
    table = Columns("qcso")
    rows = [(1_767_225_600_000 + i, f"k{i % 3}", f"s{i}", None if i % 2 else i) for i in range(500)]
    table.extend(rows)
    for lo in (0, 1, 250, 499, 500, 900):
        assert list(table.iter_from(lo)) == rows[lo:]
    it = table.iter_from(498)
    table.append((1_767_225_600_000 + 1000, "k0", "s", 1))  # the table may grow while a reader holds an iterator
    assert len(table) == 501 and list(it)[:2] == rows[498:]
