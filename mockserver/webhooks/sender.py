"""One HTTP POST per delivery attempt (``exchange.py`` for http://, http.client for https://) with a timeout, no
redirect following, a bounded read of the answer, and one kept-alive connection per subscription when the receiver
allows it. A connection goes only to addresses checked when it is opened (``urls.addresses``), never to what the
name resolves to a moment later; the delivery process is handed addresses its parent resolved and checked, and
connects to those only."""
from __future__ import annotations

import functools
import http.client
import socket
import ssl
import time

from . import urls
from .exchange import PlainConnection

MAX_RESPONSE_READ = 65536  # bytes of a receiver's answer read at most (the rest is ignored)


class Sender:
    """Connections by subscription; each subscription is served by one delivery thread at a time."""

    def __init__(self, timeout: float, extra_hosts):
        self.timeout, self.extra_hosts = timeout, extra_hosts
        self._conns: dict[tuple, tuple] = {}  # per subscription: (target, kept-alive connection)
        self._reused: dict[tuple, bool] = {}

    def post(self, key, url: str, body: bytes, headers: dict, checked: tuple | None = None):
        """``(HTTP status or None, error text or None)`` of one POST for the subscription ``key``; ``checked``:
        the addresses (``urls.addresses``) to connect to, resolved and checked by the caller for this attempt."""
        try:
            scheme, host, port, path = _checked(url, self.extra_hosts)
        except urls.RefusedUrl as exc:
            return None, str(exc)
        # Addresses handed in are part of the target: a name that resolves elsewhere now gets a new connection.
        timeout, target = self.timeout, (scheme, host, port, checked)
        for fresh in (False, True):
            conn = self._connection(key, target, timeout, fresh)
            started = time.monotonic()
            try:
                conn.request("POST", path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read(MAX_RESPONSE_READ)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self.close(key)
                if not fresh and self._reused.pop(key, False):
                    continue  # the receiver closed a kept-alive connection meanwhile: once more on a new one
                return None, f"{type(exc).__name__}: {exc}"[:300]
            except urls.RefusedUrl as exc:
                self.close(key)
                return None, str(exc)
            except (OSError, http.client.HTTPException, ValueError) as exc:  # ValueError: e.g. a name IDNA refuses
                self.close(key)
                return None, f"{type(exc).__name__}: {exc}"[:300]
            if resp.will_close or not resp.isclosed():  # keep the connection only when the answer was read whole
                self.close(key)
            else:
                self._reused[key] = True
            if time.monotonic() - started > timeout:
                return None, f"no complete answer within {timeout} s"
            if 300 <= resp.status < 400:
                return resp.status, "redirect not followed (as Webex)"
            return resp.status, None if 200 <= resp.status < 300 else f"receiver answered {resp.status}"
        return None, "no answer"

    def _connection(self, key, target, timeout: float, fresh: bool):
        """The subscription's kept-alive connection to ``target``, or a new one (a receiver that keeps
        connections open is spared a TCP handshake per event; only the subscription's worker uses it)."""
        kept = self._conns.get(key)
        if kept is not None and kept[0] == target and not fresh:
            return kept[1]
        self.close(key)
        scheme, host, port, checked = target
        conn = (_HTTPS(host, port, timeout=timeout, context=ssl.create_default_context())
                if scheme == "https" else PlainConnection(host, port, timeout, MAX_RESPONSE_READ))
        extra = self.extra_hosts
        if checked is None:
            conn._create_connection = lambda address, timeout, source=None: open_checked(*address, timeout, extra)
        else:
            conn._create_connection = lambda address, timeout, source=None: open_first(checked, timeout)
        self._conns[key] = (target, conn)
        self._reused[key] = False
        return conn

    def close(self, key) -> None:
        """Close the kept connection of a subscription (if any)."""
        kept = self._conns.pop(key, None)
        if kept is not None:
            kept[1].close()


@functools.lru_cache(maxsize=512)
def _checked(url: str, extra_hosts: frozenset[str]):
    """``urls.check`` of a URL (pure: no resolving; a subscription's deliveries all ask about the same URL)."""
    return urls.check(url, extra_hosts)


class _OneSend:
    """Headers and body in one ``send``: http.client sends them in two, and on loopback each send costs as much
    as the rest of the request (the receiver's side of TCP runs in the sender's system call)."""

    def _send_output(self, message_body=None, encode_chunked=False):
        if not isinstance(message_body, bytes) or encode_chunked:
            return super()._send_output(message_body, encode_chunked)
        self._buffer.extend((b"", b""))  # http.client's own request head, as its _send_output builds it
        head = b"\r\n".join(self._buffer)
        del self._buffer[:]
        self.send(head + message_body)


class _HTTPS(_OneSend, http.client.HTTPSConnection):
    pass


def connect(family: int, sockaddr: tuple, timeout: float) -> socket.socket:
    """One TCP connection to an address already checked (the one place a delivery opens a socket)."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


def open_checked(host: str, port: int, timeout: float, extra_hosts) -> socket.socket:
    """Resolve ``host`` now, refuse if any address is not allowed, then connect to the first that answers."""
    return open_first(urls.addresses(host, port, extra_hosts), timeout, host)


def open_first(checked, timeout: float, host: str = "the destination") -> socket.socket:
    """Connect to the first of ``checked`` (``[(family, sockaddr)]``, already allowed) that answers."""
    error: OSError | None = None
    for family, sockaddr in checked:
        try:
            return connect(family, sockaddr, timeout)
        except OSError as exc:
            error = exc
    raise error or OSError(f"cannot connect to {host}")
