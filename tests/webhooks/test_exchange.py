"""The plain-socket HTTP/1.1 exchange of http:// deliveries: the request as sent, and every shape of answer a
receiver may give (kept alive, closed, chunked, no length, 100 Continue, too long, malformed, none)."""
from __future__ import annotations

import socket
import threading

import pytest

from mockserver.webhooks.exchange import PlainConnection
from mockserver.webhooks.sender import Sender


class RawReceiver:
    """A TCP server on 127.0.0.1 that answers each request with the next of ``answers`` (raw bytes) and records
    the bytes of every request; ``None`` as an answer closes the connection without a word."""

    def __init__(self, answers: list):
        self.answers, self.requests, self.connections = list(answers), [], 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)  # the accept loop looks for ``close`` this often
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks?x=1"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            while self.answers:
                try:
                    conn, _ = self.sock.accept()
                except TimeoutError:
                    continue
                self.connections += 1
                with conn:
                    self._converse(conn)
        except OSError:  # the listening socket closed
            pass

    def _converse(self, conn) -> None:
        """One connection's requests and answers. A client that closes with part of an answer unread resets the
        connection (the 100,000-byte answer): that ends this connection only, the next one is still accepted."""
        conn.settimeout(10)
        try:
            while self.answers:
                request = self._request(conn)
                if request is None:
                    return
                self.requests.append(request)
                answer = self.answers.pop(0)
                if answer is None:
                    return
                conn.sendall(answer)
                closing = b"Connection: close" in answer
                if closing or (answer.startswith(b"HTTP/1.0") and b"keep-alive" not in answer):
                    return
        except OSError:
            return

    @staticmethod
    def _request(conn) -> bytes | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")))
        while len(body) < length:
            body += conn.recv(65536)
        return data

    def close(self):
        self.answers.clear()
        self.sock.close()
        self.thread.join(5)


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
KEY = ("org", "v1", "sub")


def checked(port):
    return ((socket.AF_INET, ("127.0.0.1", port)),)


@pytest.fixture
def sender():
    s = Sender(2.0, frozenset())
    yield s
    s.close(KEY)


def post(sender, rx, body=b'{"a":1}', headers=None):
    return sender.post(KEY, rx.url, body, headers or {"Content-Type": "application/json", "X-Sig": "abc"},
                       checked(rx.port))


def test_the_request_goes_as_http_client_would_send_it(sender):
    rx = RawReceiver([OK])
    try:
        assert post(sender, rx) == (200, None)
        head, _, body = rx.requests[0].partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        assert lines[0] == b"POST /hooks?x=1 HTTP/1.1"
        assert set(lines[1:]) == {f"Host: 127.0.0.1:{rx.port}".encode(), b"Accept-Encoding: identity",
                                  b"Content-Length: 7", b"Content-Type: application/json", b"X-Sig: abc"}
        assert body == b'{"a":1}'
    finally:
        rx.close()


@pytest.mark.parametrize("first", [
    b"HTTP/1.1 204 No Content\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nTrailer: 1\r\n\r\n",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n",
    b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok",
])
def test_an_answer_read_whole_keeps_the_connection(sender, first):
    rx = RawReceiver([first, OK])
    try:
        assert post(sender, rx)[0] in (200, 202, 204)
        assert post(sender, rx) == (200, None)
        assert rx.connections == 1 and len(rx.requests) == 2
    finally:
        rx.close()


@pytest.mark.parametrize("first", [
    b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nto the end of the connection",
    b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 100000,  # over the read bound: not reused
])
def test_an_answer_not_read_whole_or_closing_gets_a_new_connection(sender, first):
    rx = RawReceiver([first, OK])
    try:
        assert post(sender, rx) == (200, None)
        assert post(sender, rx) == (200, None)
        assert rx.connections == 2
    finally:
        rx.close()


def test_a_kept_connection_the_receiver_closed_is_tried_once_more_on_a_new_one(sender):
    rx = RawReceiver([OK, None, OK])
    try:
        assert post(sender, rx) == (200, None)
        assert post(sender, rx) == (200, None)  # the second request met the closed connection, then went again
        assert rx.connections == 2 and len(rx.requests) == 3
    finally:
        rx.close()


@pytest.mark.parametrize("answer, error", [
    (None, "RemoteDisconnected"),
    (b"SMTP ready\r\n\r\n", "BadStatusLine"),
    (b"HTTP/1.1 2x0 OK\r\n\r\n", "BadStatusLine"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: nine\r\n\r\n", "HTTPException"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nshort", "IncompleteRead"),
    (b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 101 + b"\r\n", "HTTPException"),
])
def test_a_malformed_or_missing_answer_is_a_failed_attempt(sender, answer, error):
    rx = RawReceiver([answer])
    try:
        status, text = post(sender, rx)
        assert status is None and text.startswith(error), text
    finally:
        rx.close()


def test_a_redirect_is_reported_not_followed(sender):
    rx = RawReceiver([b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/\r\nContent-Length: 0\r\n\r\n"])
    try:
        assert post(sender, rx) == (302, "redirect not followed (as Webex)")
        assert len(rx.requests) == 1
    finally:
        rx.close()


def test_a_header_value_with_a_line_break_is_refused_before_anything_is_sent(sender):
    rx = RawReceiver([OK])
    try:
        status, text = post(sender, rx, headers={"X-Evil": "a\r\nX-Injected: 1"})
        assert status is None and text.startswith("ValueError"), text
        assert rx.requests == []
    finally:
        rx.close()


def test_host_header_of_ipv6_and_default_port():
    assert PlainConnection("::1", 8080, 1)._host == "[::1]:8080"
    assert PlainConnection("localhost", 80, 1)._host == "localhost"


def test_an_answer_slower_than_the_timeout_is_a_failed_attempt():
    silent = socket.create_server(("127.0.0.1", 0))  # the kernel accepts the connection; nobody ever answers
    port = silent.getsockname()[1]
    s = Sender(0.3, frozenset())
    try:
        status, text = s.post(KEY, f"http://127.0.0.1:{port}/", b"{}", {}, checked(port))
        assert status is None and "timed out" in text, text
    finally:
        s.close(KEY)
        silent.close()
