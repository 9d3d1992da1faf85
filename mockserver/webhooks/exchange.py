"""One HTTP/1.1 POST over a plain socket, for ``http://`` destinations: what ``http.client`` does for a delivery,
with less of the delivery process's CPU per attempt (measured: its head parsing through ``email.parser`` and its
buffered reader were a third of the delivery process's time per delivery while the API was saturated;
docs/performance.md, Webhook delivery). The request goes in one ``sendall``; the answer's status line and headers
are parsed here, its body read to its end up to ``limit`` bytes (the connection is kept only when it was read
whole and the receiver allows it). ``https://`` destinations keep ``http.client`` (``sender.py``).

The same surface as the part of ``http.client.HTTPConnection`` the sender uses (``request``, ``getresponse``,
``close``, ``_create_connection``), and the same exceptions, so the sender's rules (one retry on a kept-alive
connection the receiver closed, errors as failed attempts, no redirect following) apply unchanged.
"""
from __future__ import annotations

import http.client
import re

MAX_HEAD = 65536  # bytes of an answer's status line and headers at most (http.client: 65,536 per line)
MAX_HEADERS = 100  # header lines of an answer at most (http.client's own limit)
_BAD_VALUE = re.compile(r"[\r\n\x00]")


class PlainConnection:
    """A kept-alive HTTP/1.1 connection to one checked destination (the socket comes from ``_create_connection``)."""

    def __init__(self, host: str, port: int, timeout: float, limit: int = 65536):
        self.host, self.port, self.timeout, self.limit = host, port, timeout, limit  # limit: answer bytes read
        self.sock = None
        self._create_connection = None  # (address, timeout) -> a connected socket; set by the sender
        try:
            name = host.encode("ascii").decode()
        except UnicodeEncodeError:
            name = host.encode("idna").decode()
        name = f"[{name}]" if ":" in name else name
        self._host = name if port == 80 else f"{name}:{port}"

    def request(self, method: str, path: str, body: bytes, headers: dict) -> None:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self._host}", "Accept-Encoding: identity",
                 f"Content-Length: {len(body)}"]
        for name, value in headers.items():
            value = str(value)
            if _BAD_VALUE.search(value) or _BAD_VALUE.search(name):  # as http.client: no header injection
                raise ValueError(f"Invalid header value {value!r}")
            lines.append(f"{name}: {value}")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        if self.sock is None:
            self.sock = self._create_connection((self.host, self.port), self.timeout)
        self.sock.sendall(data)

    def getresponse(self) -> "Answer":
        answer = Answer(self.sock, self.limit)
        if answer.will_close:
            self.close()
        return answer

    def close(self) -> None:
        sock, self.sock = self.sock, None
        if sock is not None:
            sock.close()


class Answer:
    """A receiver's answer, read at once: ``status``, ``will_close``; ``read`` and ``isclosed`` as http.client's."""

    def __init__(self, sock, limit: int):
        self._sock, self._buf, self._limit = sock, bytearray(), limit
        while True:
            head = self._head()
            status, keep, length, chunked = _parse(head)
            if status != 100:  # 100 Continue: the real answer follows (http.client skips it too)
                break
        self.status = status
        self.will_close = not keep
        if status in (204, 304) or 100 <= status < 200:
            return
        if chunked:
            complete = self._chunks()
        elif length is not None:
            complete = self._exactly(length)
        else:
            complete = False  # to the end of the connection: read what the bound allows, then close
            self._until_close()
        if not complete or self._buf:  # not read whole, or bytes that belong to no answer: not reused
            self.will_close = True

    def read(self, amt: int | None = None) -> bytes:
        return b""

    def isclosed(self) -> bool:
        return True

    # -- reading ------------------------------------------------------------------------------------------
    def _more(self) -> bool:
        data = self._sock.recv(65536)
        self._buf += data
        return bool(data)

    def _head(self) -> bytes:
        if not self._buf and not self._more():  # nothing at all: the receiver closed the (kept-alive) connection
            raise http.client.RemoteDisconnected("Remote end closed connection without response")
        return self._until(b"\r\n\r\n", "header line")

    def _until(self, sep: bytes, what: str) -> bytes:
        """The bytes up to ``sep`` (which is taken off too), read as they come, at most ``MAX_HEAD``."""
        while True:
            end = self._buf.find(sep)
            if end >= 0:
                part = bytes(self._buf[:end])
                del self._buf[:end + len(sep)]
                return part
            if len(self._buf) > MAX_HEAD:
                raise http.client.LineTooLong(what)
            if not self._more():
                raise http.client.IncompleteRead(bytes(self._buf))

    def _exactly(self, length: int) -> bool:
        """Read a body of ``length`` bytes (up to the bound); True when read whole."""
        want = min(length, self._limit)
        while len(self._buf) < want:
            if not self._more():
                raise http.client.IncompleteRead(bytes(self._buf), length - len(self._buf))
        del self._buf[:want]
        return want == length

    def _until_close(self) -> None:
        read = 0
        while read < self._limit:
            read += len(self._buf)
            self._buf.clear()
            if read >= self._limit or not self._more():
                break
        self._buf.clear()

    def _chunks(self) -> bool:
        """Read a chunked body (up to the bound); True when its last chunk and trailer were read."""
        total = 0
        while total <= self._limit:
            line = self._line()
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise http.client.IncompleteRead(b"") from None
            if size == 0:
                while self._line():  # the trailer, to its empty line
                    pass
                return True
            if size > self._limit - total:
                return False
            self._exactly(size + 2)  # the chunk and its CRLF
            total += size
        return False

    def _line(self) -> bytes:
        return self._until(b"\r\n", "chunk size")


def _parse(head: bytes):
    """``(status, keep-alive, content length or None, chunked)`` of an answer's head."""
    lines = head.split(b"\r\n")
    if len(lines) > MAX_HEADERS + 1:
        raise http.client.HTTPException(f"got more than {MAX_HEADERS} headers")
    parts = lines[0].split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or len(parts[1]) != 3 or not parts[1].isdigit():
        raise http.client.BadStatusLine(repr(lines[0][:100]))
    status = int(parts[1])
    if status < 100:
        raise http.client.BadStatusLine(repr(lines[0][:100]))
    keep = parts[0] != b"HTTP/1.0"
    length, chunked = None, False
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep:
            continue
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"connection":
            tokens = {t.strip() for t in value.split(b",")}
            keep = (keep and b"close" not in tokens) or (not keep and b"keep-alive" in tokens)
        elif name == b"transfer-encoding":
            chunked = value.endswith(b"chunked")
        elif name == b"content-length":
            if not value.isdigit():
                raise http.client.HTTPException(f"invalid Content-Length {value[:40]!r}")
            length = int(value)
    return status, keep, (None if chunked else length), chunked
