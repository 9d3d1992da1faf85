"""How a record becomes a row of the search view: its ~150 columns read by one generated function, and the row
written with the columns it has (the others are NULL by default).

Both are on the simulation's write path (every task it touches is a row: a month of a large center is 300,000),
measured over a day of a 500-agent center: reading the columns path by path cost 27 us a record, the generated
reader 10 us; binding a NULL costs the sqlite3 module six times an integer (it looks for an adapter for None), and a
task record has about a hundred absent columns: a row written with its present columns only costs half.
"""
from __future__ import annotations

import operator

#: Statements kept per table, one per shape of present columns (the simulation's records have a handful).
MAX_SHAPES = 64
_SCALARS = frozenset((str, int, float, bool, type(None)))


def getter(path: str):
    """The rule for one column: the scalar at the path, else None (an object, a list, a missing step)."""
    parts = path.split(".")

    def get(record):
        node = record
        for part in parts:
            node = node.get(part) if isinstance(node, dict) else None
        return None if isinstance(node, (dict, list)) else node
    return get


def _careful(paths: list[str]):
    """``getter``'s rule for every column in one function, each step checked."""
    lines = ["def extract(record):", "    out = []", "    add = out.append"]
    for path in paths:
        lines.append("    node = record")
        for part in path.split("."):
            lines.append(f"    node = node.get({part!r}) if isinstance(node, dict) else None")
        lines.append("    add(None if isinstance(node, (dict, list)) else node)")
    lines.append("    return out")
    scope: dict = {}
    exec(compile("\n".join(lines), "<columns>", "exec"), scope)  # noqa: S102 (the paths are our field table's)
    return scope["extract"]


def extractor(paths: list[str]):
    """``record -> (values, absent)``: the columns by ``getter``'s rule and, for each, whether it is None.

    Each nested object is looked up once, the values are one list display, and one scan of their types (in C)
    sends a record of an unexpected shape (an object or a list where a scalar belongs, as in a hand-edited
    snapshot; any type beyond JSON's scalars) to the careful reader."""
    lines, names, cells = ["def extract(record):", "    g = record.get"], {}, []
    for k, path in enumerate(paths):
        parts, get = path.split("."), "g"
        for depth in range(1, len(parts)):
            prefix = ".".join(parts[:depth])
            if prefix not in names:
                n = names[prefix] = f"n{len(names)}"
                lines.append(f"    {n} = {get}({parts[depth - 1]!r})")
                lines.append(f"    {n} = ({n} if isinstance({n}, dict) else EMPTY).get")
            get = names[prefix]
        lines.append(f"    c{k} = {get}({parts[-1]!r})")
        cells.append(f"c{k}")
    lines += ["    out = [" + ", ".join(cells) + "]",
              "    if SCALARS.issuperset(map(type, out)):",
              "        return out, (" + ", ".join(f"{c} is None" for c in cells) + ",)",
              "    out = careful(record)",
              "    return out, tuple(v is None for v in out)"]
    scope: dict = {"EMPTY": {}, "SCALARS": _SCALARS, "careful": _careful(paths)}
    exec(compile("\n".join(lines), "<columns>", "exec"), scope)  # noqa: S102 (the paths are our field table's)
    return scope["extract"]


class Writer:
    """Rows of one table written by shape: ``insert or replace`` naming the present columns only."""

    def __init__(self, columns: list[str], quote):
        self.columns, self.quote = columns, quote
        self.extract = extractor(columns)
        self.shapes: dict[tuple, tuple] = {}  # absent-flags -> (statement, picker of the present values)
        self.whole = self._statement([True] * len(columns))

    def _statement(self, present) -> tuple:
        keep = [i for i, here in enumerate(present) if here]
        cols = ", ".join(["org", "id", "t", *(self.quote(self.columns[i]) for i in keep), "doc"])
        pick = operator.itemgetter(*keep) if len(keep) > 1 else (lambda values: tuple(values[i] for i in keep))
        return f"insert or replace into r ({cols}) values ({', '.join('?' * (len(keep) + 4))})", pick

    def shape(self, absent: tuple) -> tuple:
        found = self.shapes.get(absent)
        if found is None:
            if len(self.shapes) >= MAX_SHAPES:  # records of many shapes (hand-made): every column, NULLs bound
                return self.whole
            found = self.shapes[absent] = self._statement([not a for a in absent])
        return found

    def batches(self, org: str, records) -> list[tuple[str, list]]:
        """``(statement, rows)`` for ``(id, t, record, doc)`` items, one statement per shape."""
        groups: dict[tuple, list] = {}
        for rid, t, record, doc in records:
            values, absent = self.extract(record)
            group = groups.get(absent)
            if group is None:
                group = groups[absent] = []
            group.append((rid, t, values, doc))
        out = []
        for absent, items in groups.items():
            statement, pick = self.shape(absent)
            out.append((statement, [(org, rid, t, *pick(values), doc) for rid, t, values, doc in items]))
        return out
