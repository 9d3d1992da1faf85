"""A window's arrivals as they wait for their time: columns of numbers, not a tuple, a string and a dict each.

The generator draws every arrival of a window before the center runs it (the same draws in the same order, so a
seed gives the same contacts). Held as events, a month's 300,000 arrivals weighed about 618 bytes each (the event
tuple, its arguments, the caller's number, the simulated times' dict, five int objects: tracemalloc), and that
memory stayed resident after they ran: Python's small-object arenas freed one arrival at a time, between records
that stay, are not given back. Here an arrival is about 60 bytes of arrays (one allocation per column, handed back
whole), and its event is made as the center reaches it: the same ``(time, sequence, "arrive", args)`` it was.
"""
from __future__ import annotations

from array import array

_IDX_BITS = 21  # an arrival's index within its window: MAX_ARRIVALS (2,000,000) < 2 ** 21
_IDX_MASK = (1 << _IDX_BITS) - 1
ORIGIN = "+1919555%04d"  # the caller's number: its last four digits are drawn


class Arrivals:
    """The generator's arrivals in the order it draws them (entry point by entry point)."""

    def __init__(self, start: int) -> None:
        self.start = start  # times are kept as offsets from the window's start (at most 62 days: 33 bits)
        self.entry_points: list = []  # (entry point id, whether its contacts have a patience)
        self.ep = array("H")
        self.offset, self.origin = array("q"), array("H")
        self.ivr, self.ring, self.handle, self.wrap, self.patience = (array("q") for _ in range(5))

    def entry_point(self, ep_id: str, patience: bool) -> int:
        """The index of an entry point's arrivals (the next ones added are its)."""
        self.entry_points.append((ep_id, patience))
        return len(self.entry_points) - 1

    def add(self, ep: int, when: float, sim: dict, digits: int) -> None:
        self.ep.append(ep)
        self.offset.append(int(when) - self.start)
        self.origin.append(digits)
        self.ivr.append(sim["ivr"])
        self.ring.append(sim["ring"])
        self.handle.append(sim["handle"])
        self.wrap.append(sim["wrap"])
        self.patience.append(sim.get("patience", 0))

    def __len__(self) -> int:
        return len(self.offset)


class Feed:
    """The arrivals in the order the center runs them, latest first (``pop`` takes the next due): a sequence of
    the events they are, made on demand, for ``Center.advance`` (``pop_next``) and ``bound.foresee`` (which
    bisects it)."""

    def __init__(self, arrivals: Arrivals, seq0: int) -> None:
        self.arrivals, self.seq0, self.start = arrivals, seq0, arrivals.start
        # By (time, sequence): the sequence numbers follow the drawing order, so the index breaks a tie as it did.
        keys = sorted((o << _IDX_BITS | i for i, o in enumerate(arrivals.offset)), reverse=True)
        self.keys = array("q", keys)
        del keys
        self.head = None  # the event at the end (the next due), made once for the two looks and the pop

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, k: int) -> tuple:
        n = len(self.keys)
        if k < 0:
            k += n
        if k == n - 1 and self.head is not None:
            return self.head
        if not 0 <= k < n:
            raise IndexError("feed index out of range")
        event = self._event(self.keys[k])
        if k == n - 1:
            self.head = event
        return event

    def _event(self, key: int) -> tuple:
        a, i = self.arrivals, key & _IDX_MASK
        ep_id, patience = a.entry_points[a.ep[i]]
        sim = {"ivr": a.ivr[i], "ring": a.ring[i], "handle": a.handle[i], "wrap": a.wrap[i]}
        if patience:
            sim["patience"] = a.patience[i]
        return self.start + (key >> _IDX_BITS), self.seq0 + i, "arrive", (ep_id, ORIGIN % a.origin[i], sim)

    def pop_next(self) -> tuple | None:
        """Drop the next due event (the caller holds it); the one after it, or None when the feed is empty."""
        keys = self.keys
        keys.pop()
        if not keys:
            self.head = None
            return None
        self.head = event = self._event(keys[-1])
        return event

    def __iter__(self):
        return (self._event(key) for key in self.keys)
