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
