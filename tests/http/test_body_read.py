"""The request body is read once: one read of exactly its Content-Length from a server that ends the input
stream itself (``wsgi.input_terminated``), Werkzeug's guarded stream otherwise; every later reader gets it."""
from __future__ import annotations

import io
from urllib.parse import parse_qsl

import pytest
from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from mockserver.http.errors import ApiError
from mockserver.http.inputs import MAX_JSON_DEPTH, body_bytes, depth, parse, parse_form


class CountingInput(io.BytesIO):
    """A WSGI input that records the size of every read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.reads: list = []

    def read(self, size=-1):
        self.reads.append(size)
        return super().read(size)

    def readinto(self, buffer):  # what Werkzeug's guarded stream calls
        self.reads.append(("readinto", len(buffer)))
        return super().readinto(buffer)


def _context(app, body: bytes, terminated=True, length=True):
    stream = CountingInput(body)
    env = {"wsgi.input": stream, "CONTENT_LENGTH": str(len(body)) if length else ""}
    if terminated:
        env["wsgi.input_terminated"] = True
    return stream, app.test_request_context("/x", method="POST", environ_overrides=env)


def test_a_body_of_known_length_is_one_read_of_that_length(app):
    body = b"grant_type=refresh_token&refresh_token=" + b"t" * 300
    stream, ctx = _context(app, body)
    with ctx:
        assert body_bytes() == body
        assert request.get_data(cache=True) == body  # later readers (the journal, the view) get the same bytes
        assert body_bytes() == body
    assert stream.reads == [len(body)]


def test_without_a_terminated_stream_or_a_length_werkzeug_reads_it(app):
    body = b'{"name": "x"}'
    stream, ctx = _context(app, body, terminated=False)
    with ctx:
        assert body_bytes() == body
    assert stream.reads  # through Werkzeug's stream, bounded by the Content-Length
    stream, ctx = _context(app, body, length=False)
    with ctx:
        assert body_bytes() == b""  # no length and no terminated stream: Werkzeug's safe empty stream, as before
        assert request.get_data() == b""


def test_a_declared_length_over_the_limit_is_still_413(app):
    app.config["MAX_CONTENT_LENGTH"] = 10
    stream, ctx = _context(app, b"x" * 11)
    with ctx, pytest.raises(RequestEntityTooLarge):
        body_bytes()
    assert stream.reads == []  # nothing read


@pytest.mark.parametrize("raw", [
    b"grant_type=refresh_token&client_id=abc&refresh_token=x.1.y_P0A1_org", b"a=1&&b=2&a=3", b"=x&novalue&c=",
    b"", b"&", b"a=b=c", b"q=a+b&r=%41%zz&s=%E2%82%AC", b"x=%ff", b"a;b=1&c=2", b"\xff=1", b"k=v&" * 50,
])
def test_a_form_body_parses_as_werkzeugs_parser_does(raw):
    expected: dict = {}
    try:
        for name, value in parse_qsl(raw.decode(), keep_blank_values=True, errors="werkzeug.url_quote"):
            expected.setdefault(name, value)
    except ValueError:
        expected = {}
    assert parse_form(raw) == expected


def test_the_depth_limit_holds_with_the_bracket_count_shortcut():
    just_over = b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1)
    with pytest.raises(ApiError) as refused:
        parse(just_over)
    assert refused.value.status == 400 and "nested deeper" in refused.value.reason
    at_limit = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    assert depth(parse(at_limit)) == MAX_JSON_DEPTH
    wide = b'{"a": [' + b",".join([b"[]"] * 200) + b'], "s": "{{{[[["}'  # many brackets, two levels
    assert parse(wide)["s"] == "{{{[[["
