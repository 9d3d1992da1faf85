"""The search view's column extractor reads what the per-path rule says: a scalar at the path, else None."""
from __future__ import annotations

from mockserver.search import fields as F
from mockserver.search import sql


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
    extract = sql._extractor(paths)
    for record in shapes:
        assert extract(record) == [sql._getter(p)(record) for p in paths]
    assert extract(shapes[1])[paths.index("lastQueue.name")] == "Q"
    assert extract(shapes[2])[paths.index("lastAgent.id")] is None
    assert extract(shapes[4])[paths.index("lastSite.id")] == "s"
    assert extract(shapes[5])[paths.index("channelMetaData.email.subject")] == "s"
