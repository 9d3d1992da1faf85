"""An ended task as the center keeps it: a small row beside its history record instead of a whole ``Task``.

Once a task is terminal and no logged-in agent holds it any more (no wrap-up left, no channel showing it), its
record is final and the center needs little of it: the state (actions on it are refused by the table), the
channel and creation time (``GET /v1/tasks`` filters and orders on them), the agents it had (capture
participants), and its ``GET /v1/tasks`` item, serialised once, so the task list joins stored bytes instead of
building a dict per task. Everything else a reader wants (durations, handled, wrap-up) is in the history record.
The capture flag is kept apart: ``POST /v1/captures/query`` sets it after the end. Measured (docs/activity.md,
"Scale"): a ``Task`` with its dicts and lists is about 1.3 KB, a row about 0.5 KB.

The item is kept in two parts (``forms.py``): a *form* shared by every task of the same channel, status, owner,
queue and reason (a bytes format with the id and the rest as arguments) and the task's own bytes (creation and
update times, origin, destination: about 95 bytes instead of the item's 450); the creation time is read from them.
"""
from __future__ import annotations

from sys import intern

from . import forms, machine
from .model import NOBODY

_NOT_CAPTURED, _CAPTURED = b'"captureRequested":false', b'"captureRequested":true'


class Ended:
    """A terminal task: what its readers need that its history record does not give cheaply."""

    # ``item``: with a shared ``form``, the task's own bytes; else the list item whole behind its creation time
    # (forms.py: both begin with the creation time's digits, read by ``created``).
    # ``shape``: state, channel, queue, wrap-up code and agents, one tuple shared by the rows of the same ones
    # (``forms.shape``): five slots instead of ten, 72 bytes a row instead of 112 (docs/activity.md, "Scale").
    # The list's hot reads (id, capture flag, form, item) stay slots of their own.
    __slots__ = ("id", "capture", "item", "form", "shape")
    # What a Task shows once it ended, for the code that reads either (a channel's state, monitoring, actions).
    pending_wrapup, monitored, offered_to, owner, consult, sim = NOBODY, None, None, None, None, None
    conference = ()

    @property
    def created(self) -> int:
        return forms.created(self.item)

    @property
    def state(self) -> str:
        return self.shape[0]

    @property
    def channel(self) -> str:
        return self.shape[1]

    @property
    def queue(self) -> str | None:
        return self.shape[2]

    @property
    def wrapup_code(self) -> str | None:
        return self.shape[3]

    @property
    def agents(self) -> tuple:
        return self.shape[4]

    def item_bytes(self) -> bytes:
        """The ``GET /v1/tasks`` item (serialised when the task ended; the capture flag as it is now). The flag is
        the first ``captureRequested`` of the item: no string value can hold it unescaped."""
        item = self.plain_item()
        return item.replace(_NOT_CAPTURED, _CAPTURED, 1) if self.capture else item

    def plain_item(self) -> bytes:
        """The item as serialised when the task ended (not captured)."""
        return forms.unwhole(self.item) if self.form is None else self.form % (self.id.encode(), self.item)


def held(c, task) -> bool:
    """A logged-in agent still holds the task (a wrap-up to do, a channel or its capacity showing it)."""
    if task.pending_wrapup:
        return True
    for aid in (task.owner, task.offered_to, *task.agents, *task.conference):
        s = c.sessions.get(aid) if aid else None
        if s is not None and (task.id in s.tasks or any(ch[2] == task.id for ch in s.channels.values())):
            return True
    return False


def item(c, task, capture: bool | None = None) -> dict:
    """One task as ``GET /v1/tasks`` shows it; ``owner`` absent while no agent ever had it (facts 4.1, live)."""
    t = c.tenant
    attrs = {"channelType": task.channel, "status": machine.STATUS[task.state],
             "captureRequested": task.capture if capture is None else capture, "createdTime": task.created,
             "lastUpdatedTime": task.updated, "origin": task.origin or "", "destination": task.destination or "",
             "direction": task.direction}
    last = task.owner or (task.agents[-1] if task.agents else None)
    if last:
        attrs["owner"] = {"id": last, "name": t.agents[last].name if last in t.agents else ""}
    if task.queue:
        attrs["queue"] = {"id": task.queue, "name": t.name("queue", task.queue)}
    if task.reason or task.termination:
        attrs["reasonCode"] = task.termination or task.reason
    return {"id": task.id, "attributes": attrs}


def compact(c, task) -> Ended:
    """The row of a terminal ``Task``. Its item keeps the names of the owner and queue as they were when it
    ended (the list used to read them at each request: the same bytes while the configuration stays)."""
    row = Ended.__new__(Ended)
    # The channel's name is made per contact (a lowercased copy): the row keeps the one shared copy (57 bytes a
    # contact, measured with tracemalloc over a generated day).
    row.id, row.capture = task.id, task.capture
    row.shape = forms.shape(task.state, intern(task.channel), task.queue, task.wrapup_code, forms.agents(task.agents))
    row.form, row.item = forms.split(item(c, task, capture=False), task.created)
    return row


def can_compact(c, task) -> bool:
    return type(task) is not Ended and task.state in machine.TERMINAL and not held(c, task)


def dump(row: Ended) -> list:
    return [row.id, row.state, row.channel, row.created, row.queue, row.wrapup_code, list(row.agents),
            row.capture, row.plain_item().decode()]


def _shared(value):
    return intern(value) if type(value) is str else value


def load(d: list) -> Ended:
    row = Ended.__new__(Ended)
    (row.id, state, channel, created, queue, code, agents, row.capture, item) = d
    # Names and ids the tenant shares with every row come back from JSON as a copy per row (a restored month would
    # hold 300,000 copies of each): one shared copy instead, as a generated row has. Not the ids of the rows.
    row.shape = forms.shape(_shared(state), _shared(channel), _shared(queue), _shared(code),
                            forms.agents(map(_shared, agents)))
    row.form, row.item = forms.parse(item.encode(), created)
    return row
