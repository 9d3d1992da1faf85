"""What the WSGI server is handed for a JSON body: the list itself when small (taken under the GIL the server
holds), one chunk of an iterator when large (sent without holding it); HEAD and 204 have no body."""
from __future__ import annotations

from mockserver.http.jsonutil import SMALL_BODY, Response, json_response, raw_response


def _app_iter(app, resp: Response, method: str = "GET"):
    with app.test_request_context("/x", method=method) as ctx:
        return resp.get_app_iter(ctx.request.environ)


def test_a_small_body_is_handed_over_as_a_list_of_its_bytes(app):
    resp = json_response({"id": "t1", "name": "Team"})
    out = _app_iter(app, resp)
    assert type(out) is list and out == [b'{"id":"t1","name":"Team"}']


def test_a_large_body_is_one_chunk_of_an_iterator(app):
    body = b"[" + b",".join(b'"%05d"' % i for i in range(SMALL_BODY // 7 + 10)) + b"]"
    assert len(body) > SMALL_BODY
    out = _app_iter(app, raw_response(body))
    assert type(out) is not list
    assert list(out) == [body]  # the whole body, once, then the end


def test_a_body_of_exactly_the_limit_is_still_a_list(app):
    body = b'"' + b"x" * (SMALL_BODY - 2) + b'"'
    out = _app_iter(app, raw_response(body))
    assert type(out) is list and out == [body]


def test_head_and_no_content_answers_carry_no_body(app):
    assert b"".join(_app_iter(app, json_response({"a": 1}), "HEAD")) == b""
    assert b"".join(_app_iter(app, Response(status=204))) == b""
