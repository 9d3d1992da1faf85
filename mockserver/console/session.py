"""Console sessions: server-side, bounded, behind an HttpOnly SameSite cookie; each carries its CSRF token."""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import OrderedDict

COOKIE = "wxcc_console"
MAX_SESSIONS = 500  # the oldest session is forgotten first: memory stays flat whoever keeps calling
TTL_SECONDS = 8 * 3600  # real time, not the mock clock: moving the clock must not sign the console out


class Sessions:
    """``sid -> dict`` (csrf, token, person, admin flag, pending OAuth state), newest last."""

    def __init__(self, size: int = MAX_SESSIONS, ttl: float = TTL_SECONDS):
        self.size, self.ttl = size, ttl
        self._items: OrderedDict[str, tuple[float, dict]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sid: str | None) -> dict | None:
        """The live session of a cookie value, or None."""
        if not sid:
            return None
        with self._lock:
            item = self._items.get(sid)
            if item is None or time.monotonic() - item[0] > self.ttl:
                self._items.pop(sid, None)
                return None
            self._items.move_to_end(sid)
            return item[1]

    def new(self, data: dict | None = None) -> tuple[str, dict]:
        """A fresh session (a new CSRF token; ``data`` carried over), and its id."""
        sid = secrets.token_urlsafe(32)
        session = {**(data or {}), "csrf": secrets.token_urlsafe(32)}
        with self._lock:
            self._items[sid] = (time.monotonic(), session)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return sid, session

    def drop(self, sid: str | None) -> None:
        """Forget a session (sign-out, or before a new id replaces it)."""
        with self._lock:
            self._items.pop(sid or "", None)


def csrf_ok(session: dict | None, sent: str | None) -> bool:
    """The form's token is the session's (constant-time compare)."""
    expected = (session or {}).get("csrf") or ""
    return bool(expected and sent) and hmac.compare_digest(expected.encode(), str(sent).encode())
