"""An ended task's ``GET /v1/tasks`` item kept as a shared form and the task's own bytes (``ended.py``).

Of an item's 450 bytes, most are the same for every task of one channel, status, owner, queue and reason: the
field names, the owner's and queue's ids and names, the direction. The form is those bytes as a bytes format
(``%`` doubled where the names hold one) with two arguments: the id (kept by the row anyway) and the task's own
bytes, from ``createdTime``'s value to ``destination``'s (about 95 bytes). The item is then ``form % (id, own)``:
the same bytes ``orjson.dumps`` gave, at under 1 us an item (about 0.1 ms over the 100 items of a default page),
for 360 bytes a contact less (docs/activity.md, "Scale"). The own bytes begin with the creation time's digits,
so that the row keeps no int of its own for it (``created``: 40 bytes a contact less, the int and its slot);
``captureRequested`` comes before the times so that its constant ``false`` is the form's, not every row's.

Forms are shared by every center and kept at most ``MAX_FORMS`` (a generated month makes a few thousand: owner
times queue times status); past that, and for an item of another shape (a state written by hand), the item is
kept whole, as it was, behind its creation time's digits and a comma (``whole``).
"""
from __future__ import annotations

import orjson

#: The first fields of an item, in order (``ended.item``); the rest (direction, owner, queue, reason) are the form's.
_HEAD = ("channelType", "status", "captureRequested", "createdTime", "lastUpdatedTime", "origin", "destination")
MAX_FORMS = 1 << 14
_forms: dict[bytes, bytes] = {}
_agents: dict[tuple, tuple] = {}  # one tuple per set of agents (most tasks have one): 64 bytes a row less
_shapes: dict[tuple, tuple] = {}  # one ``(state, channel, queue, wrapup code, agents)`` per kind of ended row
MAX_SHAPES = 1 << 16


def agents(ids) -> tuple:
    """The row's agents, as a tuple shared with every row of the same agents (bounded as the forms)."""
    key = tuple(ids)
    return key if len(key) > 1 else _share(_agents, key, MAX_FORMS)


def _share(table: dict, key: tuple, cap: int) -> tuple:
    """The one tuple ``table`` keeps for ``key`` (made the shared one while the table holds fewer than ``cap``);
    past the cap ``key`` itself, as readable."""
    shared = table.get(key)
    if shared is None:
        shared = table.setdefault(key, key) if len(table) < cap else key
    return shared


def shape(state, channel, queue, wrapup_code, agent_ids: tuple) -> tuple:
    """What an ended row shares with every row of the same state, channel, queue, wrap-up code and agents, as one
    tuple shared by those rows (a generated month makes about 20,000: agent times code times state; bounded, past
    ``MAX_SHAPES`` a row keeps a tuple of its own, as readable)."""
    return _share(_shapes, (state, channel, queue, wrapup_code, agent_ids), MAX_SHAPES)


def _escape(raw: bytes) -> bytes:
    return raw.replace(b"%", b"%%")


def whole(item: bytes, created: int) -> bytes:
    """The own bytes of an item kept whole (no form): the creation time's digits, a comma, the item."""
    return b"%d," % created + item


def created(own: bytes) -> int:
    """The creation time a row's own bytes begin with (``split``, ``whole``)."""
    return int(own[:own.index(b",")])


def unwhole(own: bytes) -> bytes:
    """The item ``whole`` kept behind its creation time."""
    return own[own.index(b",") + 1:]


def split(d: dict, created: int) -> tuple[bytes | None, bytes]:
    """``(form, own)`` of an item (``d``: ``{"id", "attributes"}``, created at ``created``), or ``(None, whole)``
    when it does not fit a form (kept whole)."""
    dumps = orjson.dumps
    tid, attrs = d.get("id"), d.get("attributes")
    if type(created) is not int:
        raise TypeError(f"createdTime: an integer is expected, not {type(created).__name__}")
    if list(d) != ["id", "attributes"] or type(tid) is not str or type(attrs) is not dict \
            or tuple(attrs)[:7] != _HEAD or attrs["captureRequested"] is not False \
            or type(attrs["createdTime"]) is not int or attrs["createdTime"] != created \
            or type(attrs["lastUpdatedTime"]) is not int or len(dumps(tid)) != len(tid.encode()) + 2:
        return None, whole(dumps(d), created)
    rest = {k: v for k, v in attrs.items() if k not in _HEAD}
    form = b'{"id":"%b","attributes":{"channelType":' + _escape(dumps(attrs["channelType"])) + b',"status":' \
        + _escape(dumps(attrs["status"])) + b',"captureRequested":false,"createdTime":%b' \
        + (b"," + _escape(dumps(rest)[1:]) + b"}" if rest else b"}}")
    shared = _forms.get(form)
    if shared is None:
        if len(_forms) >= MAX_FORMS:
            return None, whole(dumps(d), created)
        shared = _forms.setdefault(form, form)
    own = b"%d,\"lastUpdatedTime\":%d,\"origin\":%b,\"destination\":%b" % (
        created, attrs["lastUpdatedTime"], dumps(attrs["origin"]), dumps(attrs["destination"]))
    return shared, own


def parse(raw: bytes, created: int) -> tuple[bytes | None, bytes]:
    """``split`` of an item as serialised (a restored row), kept whole unless its form gives it back exactly."""
    try:
        d = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None, whole(raw, created)
    if type(d) is not dict:
        return None, whole(raw, created)
    form, own = split(d, created)
    if form is None or form % (d["id"].encode(), own) != raw:
        return None, whole(raw, created)
    return form, own
