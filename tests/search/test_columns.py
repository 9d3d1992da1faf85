"""The search view's column extractor reads what the per-path rule says: a scalar at the path, else None."""
from __future__ import annotations

from mockserver.search import fields as F
from mockserver.search import rows, sql


class Sub(dict):
    """A mapping of another type than JSON's (the extractor's fast path reads plain JSON values only)."""


class Text(str):
    """A string of another type than JSON's."""


def test_the_extractor_agrees_with_the_path_rule_on_every_shape():
    paths = sql.leaves(F.TASK)
    shapes = [
        {},
        {"id": "t1", "lastQueue": {"id": "q", "name": "Q", "duration": 3}, "owner": None, "isActive": True},
        {"id": 5, "lastQueue": "not an object", "lastAgent": {"id": ["a", "list"], "name": {"x": 1}}},
        {"lastTeam": {"id": None}, "attributes": {"k": "v"}, "createdTime": 1.5, "totalDuration": 0},
        {"lastSite": Sub(id="s", name=Sub(x=1)), "status": Sub(), "origin": Text("+1555"), "isActive": False},
        {"channelMetaData": {"email": {"subject": "s", "metadata": ["a"]}, "chat": "no"}, "feedback": [1]},
    ]
    reader = rows.extractor(paths)

    def extract(record):
        values, absent = reader(record)
        assert absent == tuple(v is None for v in values)
        return values
    for record in shapes:
        assert extract(record) == [rows.getter(p)(record) for p in paths]
    assert extract(shapes[1])[paths.index("lastQueue.name")] == "Q"
    assert extract(shapes[2])[paths.index("lastAgent.id")] is None
    assert extract(shapes[4])[paths.index("lastSite.id")] == "s"
    assert extract(shapes[5])[paths.index("channelMetaData.email.subject")] == "s"


def test_rows_written_by_shape_hold_every_column_the_rule_reads(monkeypatch):
    monkeypatch.setattr(rows, "MAX_SHAPES", 3)  # past three shapes, rows are written with every column bound
    table = sql.Table(F.TASK)
    records = [{"id": f"t{i}", "createdTime": i, "status": ["new", None, "ended"][i % 3],
                "lastQueue": {"id": f"q{i % 4}", "duration": i} if i % 2 else None, "isActive": i % 5 == 0,
                **({"attributes": {"k": i}} if i % 7 == 0 else {}), **({"totalDuration": i * 10} if i > 8 else {})}
               for i in range(30)]
    table.put_many("org", [(r["id"], r["createdTime"], r) for r in records[:20]])
    for r in records[20:]:
        table.put("org", r["id"], r["createdTime"], r, None)
    table.put("org", "t3", 3, {"id": "t3", "createdTime": 3}, None)  # replaced: the columns it lacks now are NULL
    records[3] = {"id": "t3", "createdTime": 3}
    got = table.db.execute("select * from r order by t").fetchall()
    number = table.orgs["org"]  # the organisation's number in the rows
    want = [(number, r["id"], r["createdTime"], *[rows.getter(p)(r) for p in table.columns], None) for r in records]
    assert got == want
    assert len(table.writer.shapes) == 3
