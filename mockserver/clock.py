"""Time and ids for the whole mock, injectable: tests freeze, set or advance the clock instead of sleeping."""
from __future__ import annotations

import random
import threading
import time
import uuid


class Clock:
    """Wall time plus an offset, or a frozen instant. Token expiry, rate windows and timestamps all read it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._offset = 0.0
        self._frozen: float | None = None

    def now(self) -> float:
        """Seconds since the epoch, as the mock sees them."""
        frozen = self._frozen
        return frozen if frozen is not None else time.time() + self._offset

    def now_ms(self) -> int:
        """Epoch milliseconds, the unit of every Webex timestamp."""
        return int(self.now() * 1000)

    def freeze(self, at: float | None = None) -> float:
        """Stop the clock at ``at`` (default: now)."""
        with self._lock:
            self._frozen = self.now() if at is None else float(at)
            return self._frozen

    def unfreeze(self) -> None:
        """Let time run again from the instant it shows now."""
        with self._lock:
            if self._frozen is not None:
                self._offset = self._frozen - time.time()
                self._frozen = None

    def set(self, at: float) -> None:
        """Jump to ``at``; a frozen clock stays frozen there."""
        with self._lock:
            if self._frozen is not None:
                self._frozen = float(at)
            else:
                self._offset = float(at) - time.time()

    def advance(self, seconds: float) -> float:
        """Move forward (or back, with a negative value)."""
        with self._lock:
            if self._frozen is not None:
                self._frozen += seconds
            else:
                self._offset += seconds
        return self.now()

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._offset, self._frozen = 0.0, None

    def state(self) -> dict:
        """What the control API shows."""
        return {"now": self.now(), "nowMs": self.now_ms(), "frozen": self._frozen is not None,
                "offsetSeconds": (self._frozen - time.time()) if self._frozen is not None else self._offset}


def new_id() -> str:
    """A Webex-style identifier (a UUID4 string)."""
    return str(uuid.uuid4())


#: The version (4) and variant (RFC 4122) bits of a version-4 UUID, as ``uuid.UUID(int=..., version=4)`` sets them.
_V4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_V4_SET = (4 << 76) | (0x8000 << 48)


def uuid4_text(bits: int) -> str:
    """``str(uuid.UUID(int=bits, version=4))`` without the object (a third of the time)."""
    h = f"{bits & _V4_CLEAR | _V4_SET:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def prng_id() -> str:
    """A version-4 UUID (text) from Python's PRNG, for ids that need uniqueness, not secrecy (tracking ids, a
    token's ``jti``): no ``os.urandom`` system call (which lets go of the GIL, and under load a thread waits
    milliseconds to get it back) and no ``UUID`` object."""
    return uuid4_text(random.getrandbits(128))
