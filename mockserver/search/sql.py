"""The search view in SQLite (stdlib, a temporary file): filters and aggregations compiled to SQL over the records'
JSON, for the queries it can express; anything else (lists, global variables, activities) stays in Python.

Chosen by measurement (docs/search.md, benchmarks/search_store.py): over a day of a 500-agent center, the
one-day aggregation and a filtered page took 470 and 175 ms in Python over parsed records, 26 and 1.3 ms in
SQLite. Each SQL form mirrors the Python predicate (``filters.py``), and a test runs every query both ways.
"""
from __future__ import annotations

import itertools
import re
import sqlite3
import threading

import orjson

from .filters import _regex
from .rows import Writer

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NUM = "IN ('integer', 'real')"
#: The view's file: pages of 4 KB (64 KB pages packed the rows tighter while they were in memory, but every page
#: read or written is then 64 KB of copying) and a page cache of 8 MB per table (measured, docs/activity.md).
PAGE_SIZE = 4096
CACHE_KB = 8192
#: The field that is its records' key where a table has it (tasks; an agent session has no ``id`` field): a filter
#: on it is answered by the key's index, and no index of its own is kept (one B-tree less written per row: over
#: 30 days of a 500-agent center, 3.5 of the 12 s SQLite spent writing the rows).
KEY_FIELD = "id"


class NotCompilable(Exception):
    """A query part SQL here does not express: the caller uses the Python path."""


def _re2_match(pattern, value):
    return 1 if isinstance(value, str) and _regex(pattern).search(value) is not None else 0


def leaves(table: dict, prefix: str = "") -> list[str]:
    """Every scalar path of a record table outside lists (``lastQueue.id``...): one column each."""
    out = []
    for name, kind in table.items():
        if isinstance(kind, str):
            out.append(prefix + name)
        elif isinstance(kind, dict):
            out += leaves(kind, prefix + name + ".")
    return out


class Table:
    """Records of one kind: ``(org, id, t)``, one column per scalar field, then the JSON ``doc`` (NULL where the
    records are read from ``fetch``: tasks, whose JSON the history holds) (filters and
    aggregations read columns, not JSON: SQLite here predates its binary JSON, and parsing text per row per field
    was the cost), indexed on ``(org, t)`` and on ``(org, <field>, t)`` for the ``indexed`` fields.

    The JSON comes last: a column after a kilobyte of text costs more to reach in every row a filter reads
    (measured: a filtered day scan 10.3 -> 8.6 ms). The indexed fields are the ids reports filter on (an agent's,
    a queue's, a team's contacts); the planner is given fixed statistics (``sqlite_stat1``) saying an id picks
    few rows of a window: without them it prefers the time index, which returns rows in the page's order,
    and scans the whole window (8.5 ms against 0.3 ms for the contacts of 4 agents in a day of 12 000)."""

    def __init__(self, fields: dict, indexed: tuple[str, ...] = (), fetch=None):
        self.lock = threading.Lock()
        # ``fetch(org, ids) -> {id: record}``: where the records put without their JSON (``doc=None``) are read
        # from (the history keeps them already: the JSON here was a second copy, 1.7 KB of a task's 2.6 KB row).
        self.fetch = fetch
        self.columns = leaves(fields)
        self.writer = Writer(self.columns, _x)
        self.indexed = indexed
        # An organisation's rows carry its number, not its 36-character id: every index leads with it, and the
        # shorter entries make writing 30 days of a 500-agent center's rows about a fifth cheaper (measured).
        self.orgs: dict[str, int] = {}
        self._numbers = itertools.count()
        self.db = self._open()

    def _org(self, org: str) -> int:
        """The organisation's number in the rows (given on its first write; unique, never reused)."""
        return self.orgs.setdefault(org, next(self._numbers))  # atomic: two first writes agree on one number

    def _known(self, org: str) -> int:
        """The organisation's number for a read (-1, which no row has, when it never wrote one)."""
        return self.orgs.get(org, -1)

    def _open(self) -> sqlite3.Connection:
        """A new, empty database: a private temporary file (SQLite unlinks it as it opens it, so nothing is left
        behind, even by a killed process) with a page cache of ``CACHE_KB``: the operating system keeps the
        rows, not this process (measured, docs/activity.md "Scale": in memory they were 1.5 KB of resident memory
        per contact). Nothing here needs to outlive the process: the history rebuilds the view when it is
        restored, so there is no journal and nothing is synced."""
        db = sqlite3.connect("", check_same_thread=False, isolation_level=None)
        db.execute(f"pragma page_size = {PAGE_SIZE}")
        db.execute(f"pragma cache_size = -{CACHE_KB}")
        db.execute("pragma journal_mode = off")
        db.execute("pragma synchronous = off")
        db.execute("pragma temp_store = file")
        db.create_function("re2match", 2, _re2_match, deterministic=True)
        cols = ", ".join(_x(c) for c in self.columns)
        db.execute(f"create table r (org integer, id text, t integer, {cols}, doc text, primary key (org, id))")
        db.execute("create index r_time on r (org, t)")
        # Assumed shape (the planner's only use of it): 1M records, 10 organisations, 1000 records per id, one
        # per millisecond; what matters is that an id narrows a window more than the window itself.
        stats = [("r", "sqlite_autoindex_r_1", "1000000 100000 1"), ("r", "r_time", "1000000 100000 1")]
        for i, path in enumerate(self.indexed):
            if path == KEY_FIELD:  # the key's index serves it (``_scalar``)
                continue
            db.execute(f"create index r_{i} on r (org, {_x(path)}, t)")
            stats.append(("r", f"r_{i}", "1000000 100000 1000 1"))
        db.execute("analyze")  # creates sqlite_stat1 (with nothing in it: the table is empty)
        db.execute("delete from sqlite_stat1")
        db.executemany("insert into sqlite_stat1 values (?, ?, ?)", stats)
        db.execute("analyze sqlite_schema")  # loads the statistics just written
        return db

    def put(self, org: str, rid: str, t: int, record: dict, doc: bytes | None) -> None:
        doc_text = doc.decode() if doc is not None else None
        [(statement, rows)] = self.writer.batches(self._org(org), [(rid, t, record, doc_text)])
        with self.lock:
            self.db.execute(statement, rows[0])

    def put_many(self, org: str, records) -> None:
        """``put`` for many ``(id, t, record)`` kept without their JSON (read from ``fetch``): a statement per shape."""
        batches = self.writer.batches_bare(self._org(org), records)
        if not batches:
            return
        with self.lock:
            self.db.execute("begin")
            try:
                for statement, rows in batches:
                    self.db.executemany(statement, rows)
            finally:
                self.db.execute("commit")

    def window(self, org: str, start: int, end: int) -> list[dict]:
        """The records of ``[start, end)``, parsed, by time then id."""
        with self.lock:
            rows = self.db.execute("select id, doc from r where org = ? and t >= ? and t < ? order by t, id",
                                   (self._known(org), start, end)).fetchall()
        return self.docs(org, rows)

    def docs(self, org: str, rows) -> list[dict]:
        """``(id, doc)`` rows as records: the JSON, or the record ``fetch`` gives for a row kept without it."""
        missing = [rid for rid, d in rows if d is None]
        found = self.fetch(org, missing) if missing and self.fetch else {}
        out = [orjson.loads(d) if d is not None else found.get(rid) for rid, d in rows]
        return [r for r in out if r is not None]

    def forget(self, org: str, ids: list[str]) -> None:
        """Remove some records of an organisation (the history's bound dropped them)."""
        with self.lock:
            self.db.executemany("delete from r where org = ? and id = ?", [(self._known(org), rid) for rid in ids])

    def fields(self, org: str, start: int, end: int, paths: list[str]) -> list[dict]:
        """The records of ``[start, end)`` as ``{path: value}`` for ``paths`` only (booleans as 0 and 1), by time
        then id: read from the columns, without parsing each record's JSON."""
        cols = ", ".join(_x(p) for p in paths)
        with self.lock:
            rows = self.db.execute(f"select {cols} from r where org = ? and t >= ? and t < ? order by t, id",
                                   (self._known(org), start, end)).fetchall()
        return [dict(zip(paths, row)) for row in rows]

    def drop(self, org: str) -> None:
        """Forget an organisation's rows; the file starts again empty when no organisation has any left."""
        with self.lock:
            self.db.execute("delete from r where org = ?", (self.orgs.pop(org, -1),))
            if self.db.execute("select 1 from r limit 1").fetchone() is None:
                self.db.close()
                self.db = self._open()

    def close(self) -> None:
        """Close the database (its file goes with it)."""
        with self.lock:
            self.db.close()

    def query(self, sql: str, params, functions=()):
        with self.lock:
            for name, fn in functions:
                self.db.create_function(name, 1, fn, deterministic=True)
            try:
                return self.db.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:  # e.g. a path that is an object, not a column: Python then
                raise NotCompilable(str(exc)) from None


def _x(path: str) -> str:
    if not all(_NAME.match(p) for p in path.split(".")):
        raise NotCompilable(path)
    return f'"${path}"'  # "$" keeps a field named id apart from the key column


def _num(path: str) -> str:
    return f"typeof({_x(path)}) {_NUM}"


def _scalar(path: str, ops: dict, params: list) -> str:
    x, out = _x(path), []
    # A task's ``id`` is its row's key: the key's index answers an id filter (no index of the column of its own to
    # keep up on every write). The column's test stays beside the key's, so the answer is the column's alone.
    keyed = path == KEY_FIELD
    for op, want in ops.items():
        if want is None and op not in ("equals", "notequals"):
            continue
        if isinstance(want, bool):
            want = int(want)
        if op == "equals":
            out.append(f"({x} IS ? AND id IS ?)" if keyed else f"{x} IS ?")
            params.extend((want, want) if keyed else (want,))
        elif op == "notequals":
            out.append(f"{x} IS NOT ?")
            params.append(want)
        elif op in ("in", "notin"):
            vals = [int(v) if isinstance(v, bool) else v for v in want or () if v is not None]
            if not vals:
                out.append("0" if op == "in" else "1")
                continue
            marks = ", ".join("?" * len(vals))
            if op == "in" and keyed:
                out.append(f"({x} IN ({marks}) AND id IN ({marks}))")
                params.extend(vals)
            else:
                out.append(f"{x} IN ({marks})" if op == "in" else f"({x} IS NULL OR {x} NOT IN ({marks}))")
            params.extend(vals)
        elif op == "contains":
            out.append(f"(typeof({x}) = 'text' AND instr({x}, ?) > 0)")
            params.append(want)
        elif op == "match":
            _regex(want)  # a bad pattern is the same 400 as on the Python path
            out.append(f"re2match(?, {x}) = 1")
            params.append(want)
        else:
            sign = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
            out.append(f"({_num(path)} AND {x} {sign} ?)")
            params.append(want)
    return "(" + " AND ".join(out or ["1"]) + ")"


def where(spec: dict | None, table: dict, params: list, prefix: str = "") -> str:
    """The SQL condition of a filter tree (``NotCompilable`` for the parts only Python expresses)."""
    if not spec:
        return "1"
    out = []
    for key, value in spec.items():
        if value is None:
            continue
        if key in ("and", "or"):
            subs = [where(v, table, params, prefix) for v in value if v is not None]
            if not subs:
                out.append("1")
            else:
                out.append("(" + f" {key.upper()} ".join(subs) + ")")
        elif key == "not":
            out.append(f"NOT {where(value, table, params, prefix)}")
        elif key.endswith("GlobalVariables") or key not in table:
            raise NotCompilable(key)
        else:
            kind = table[key]
            if isinstance(kind, str):
                out.append(_scalar(prefix + key, value, params))
            elif isinstance(kind, list):
                raise NotCompilable(key)
            else:
                parts = []
                for op in ("equals", "notequals"):
                    given = value.get(op)
                    if given is not None:
                        same = " AND ".join(f"{_x(prefix + key + '.' + k)} IS ?" for k in given) or "1"
                        params.extend(int(v) if isinstance(v, bool) else v for v in given.values())
                        parts.append(f"({same})" if op == "equals" else f"NOT ({same})")
                rest = {k: v for k, v in value.items() if k not in ("equals", "notequals")}
                if rest:
                    parts.append(where(rest, kind, params, prefix + key + "."))
                out.append("(" + " AND ".join(parts or ["1"]) + ")")
    return "(" + " AND ".join(out or ["1"]) + ")"


def through_list(table: dict, path: str) -> bool:
    node = table
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
        if node is None or isinstance(node, list):
            return True
    return False


def aggregate(tbl: Table, org: str, start: int, end: int, keep: dict | None, table: dict, group_paths: list[str],
              aggs, bucket_sql: str | None, bucket_fn) -> dict:
    """``{group key: [(count, total, min, max) per aggregation]}``, computed by SQLite (``bucket_sql``: an SQL
    expression of ``t``, ``"python"`` for ``bucket_fn`` called per row, or None)."""
    if any(through_list(table, p) for p in group_paths) or any(a.many for a in aggs):
        raise NotCompilable("a list path")
    selects, params, functions = [_x(p) for p in group_paths], [], []
    if bucket_sql == "python":
        functions.append(("bucket", bucket_fn))
        selects.append("bucket(t)")
    elif bucket_sql:
        selects.append(bucket_sql)
    width = len(selects)
    for a in aggs:
        x = _x(a.field)
        numeric = f"CASE WHEN {_num(a.field)} THEN {x} END"
        only_params: list = []
        if a.only_spec:
            only = where(a.only_spec, table, only_params)
            x, numeric = f"CASE WHEN {only} THEN {x} END", f"CASE WHEN {only} THEN {numeric} END"
        if a.type == "cardinality":
            selects.append(f"count(DISTINCT {x}), 0, NULL, NULL")
            params += only_params
        else:
            selects.append(f"count({x}), total({numeric}), min({numeric}), max({numeric})")
            params += only_params * 4
    selects.append("count(*)")
    where_params: list = []
    cond = where(keep, table, where_params)
    groups = f" group by {', '.join(str(i + 1) for i in range(width))}" if width else ""
    sql = f"select {', '.join(selects)} from r where org = ? and t >= ? and t < ? and {cond}{groups}"
    out = {}
    for row in tbl.query(sql, [*params, tbl._known(org), start, end, *where_params], functions):
        if row[-1] == 0:
            continue  # no records at all: no row (the Python path makes none either)
        out[tuple(row[:width])] = [tuple(row[width + i * 4: width + i * 4 + 4]) for i in range(len(aggs))]
    return out


def page(tbl: Table, org: str, start: int, end: int, keep: dict | None, table: dict, sorts, offset: int, limit: int):
    """One raw page of records (parsed), in the order the Python path gives."""
    params: list = []
    cond = where(keep, table, params)
    order = []
    for field, desc in sorts:
        x = _x(field)
        order.append(f"({x} IS NOT NULL) DESC, {x} DESC" if desc else f"({x} IS NOT NULL), {x}")
    order += ["t", "id"]
    sql = f"select id, doc from r where org = ? and t >= ? and t < ? and {cond} order by {', '.join(order)} " \
          f"limit ? offset ?"
    return tbl.docs(org, tbl.query(sql, [tbl._known(org), start, end, *params, limit, offset]))
