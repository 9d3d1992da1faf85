"""The in-process transport adapter: ``requests`` calls served by the app without a socket."""
import pytest
import requests

from mockserver.testing.inprocess import DEFAULT_BASE_URL, session_for

from .helpers import PROBE

BASE = DEFAULT_BASE_URL
READWRITE = "C0ffee0000000000000000000000000000000000000000000000000000000002"


@pytest.fixture
def session(app):
    with session_for(app) as s:
        yield s


def test_json_round_trip_with_headers_and_query(session):
    org = session.post(f"{BASE}/_mock/orgs", json={"template": "empty"}).json()
    resp = session.get(f"{BASE}/organization/{org['id']}{PROBE}", params={"page": "1"},
                       headers={"Authorization": f"Bearer {org['tokens']['full_admin']}", "TrackingId": "IN-PROC-1"})
    assert resp.status_code == 404 and resp.headers["TrackingID"] == "IN-PROC-1"
    assert resp.json()["error"]["key"] == "404" and resp.url.endswith("?page=1")
    [entry] = session.get(f"{BASE}/_mock/journal").json()["items"]
    assert entry["query"] == {"page": "1"} and entry["orgId"] == org["id"]


def test_form_bodies_reach_the_issuer(session):
    form = {"grant_type": "refresh_token", "client_id": READWRITE, "client_secret": "mock-secret-readwrite-0002",
            "refresh_token": "unknown"}
    resp = session.post(f"{BASE}/v1/access_token", data=form)
    assert resp.status_code == 400 and resp.json()["error"] == "invalid_grant"  # the client authenticated


def test_dropped_connection_is_a_connection_error(session):
    session.post(f"{BASE}/_mock/faults", json={"path": "/health", "drop": True, "times": 1})
    with pytest.raises(requests.ConnectionError, match="dropped"):
        session.get(f"{BASE}/health")
    assert session.get(f"{BASE}/health").json()["status"] == "ok"


def test_other_urls_are_not_routed(session):
    assert session.get_adapter(BASE + "/health").__class__.__name__ == "WSGIAdapter"
    assert session.get_adapter("http://127.0.0.1:1/health").__class__.__name__ == "HTTPAdapter"


def test_cookies_carry_the_consent_flow(session):
    import re
    from urllib.parse import parse_qs, urlsplit

    params = {"response_type": "code", "client_id": READWRITE, "redirect_uri": "http://localhost:8080/callback",
              "scope": "cjp:config_read", "state": "s1"}
    page = session.get(f"{BASE}/v1/authorize", params=params)
    assert page.status_code == 200 and session.cookies  # the CSRF cookie was kept
    request_id = re.search(r'name="request_id" value="([^"]+)"', page.text).group(1)
    resp = session.post(f"{BASE}/v1/authorize", allow_redirects=False,
                        data={"request_id": request_id, "user": "full.admin@acme.example", "decision": "approve"})
    assert resp.status_code == 302
    query = parse_qs(urlsplit(resp.headers["Location"]).query)
    assert query["state"] == ["s1"] and query["code"]


def test_streamed_request_bodies(session):
    resp = session.post(f"{BASE}/_mock/orgs", data=(chunk for chunk in [b'{"template":', b' "empty"}']),
                        headers={"Content-Type": "application/json"})
    assert resp.status_code == 201 and resp.json()["template"] == "empty"


def test_answers_are_read_as_requests_reads_them_from_a_socket():
    """Repeated headers joined, a gzip body decoded (the Search API gzips large answers), status and reason."""
    import gzip

    from mockserver.testing.inprocess import WSGIAdapter

    def app(environ, start_response):
        start_response("201 Created", [("Content-Encoding", "gzip"), ("Content-Type", "application/json"),
                                       ("X-Twice", "a"), ("X-Twice", "b")])
        return [gzip.compress(b'{"ok": true}')]

    sess = requests.Session()
    sess.mount("http://wsgi.invalid/", WSGIAdapter(app))
    resp = sess.get("http://wsgi.invalid/x")
    assert (resp.status_code, resp.reason, resp.json()) == (201, "Created", {"ok": True})
    assert resp.headers["X-Twice"] == "a, b"
