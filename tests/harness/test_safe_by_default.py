"""Safe on a network by default: beyond loopback the control API and the console need a generated admin token."""
from __future__ import annotations

import types

import pytest

from mockserver.runtime import is_loopback
from mockserver.serving import startup
from tests.conftest import assert_webex_error

from .conftest import make_app


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True),
                                            ("[::1]", True), ("localhost", True), ("0.0.0.0", False),
                                            ("::", False), ("10.0.0.5", False), ("mock.example", False)])
def test_which_listening_addresses_count_as_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_on_loopback_the_control_api_needs_no_token():
    app = make_app(host="127.0.0.1")
    assert app.extensions["wxcc"].admin_token == ""
    assert app.test_client().get("/_mock/orgs").status_code == 200


@pytest.mark.parametrize("method, path", [("post", "/_mock/tokens"), ("get", "/_mock/orgs"), ("get", "/console/")])
def test_beyond_loopback_a_random_token_is_generated_and_required(method, path):
    app = make_app(host="0.0.0.0")
    rt = app.extensions["wxcc"]
    assert rt.admin_token_generated and len(rt.admin_token) >= 24
    assert make_app(host="0.0.0.0").extensions["wxcc"].admin_token != rt.admin_token  # random per start
    client = app.test_client()
    resp = getattr(client, method)(path, json={"user": "full.admin@acme.example"} if method == "post" else None)
    if path.startswith("/_mock"):
        assert_webex_error(resp, 401, "admin token")
        again = getattr(client, method)(path, json={"user": "full.admin@acme.example"} if method == "post" else None,
                                        headers={"X-Mock-Admin-Token": rt.admin_token})
        assert again.status_code in (200, 201)
    else:
        assert resp.status_code in (302, 303, 401) and "unlock" in (resp.headers.get("Location", "") + resp.text)


def test_an_unauthenticated_token_request_beyond_loopback_changes_nothing():
    app = make_app(host="0.0.0.0")
    client = app.test_client()
    resp = client.post("/_mock/tokens", json={"user": "full.admin@acme.example"})
    assert_webex_error(resp, 401, "admin token")
    ok = client.post("/_mock/tokens", json={"user": "full.admin@acme.example"},
                     headers={"Authorization": f"Bearer {app.extensions['wxcc'].admin_token}"})
    assert ok.status_code in (200, 201) and ok.get_json()["access_token"]


def test_an_explicit_token_wins_and_off_opens_the_control_api():
    assert make_app(host="0.0.0.0", admin_token="mine").extensions["wxcc"].admin_token == "mine"
    opened = make_app(host="0.0.0.0", admin_token="off")
    assert opened.extensions["wxcc"].admin_token == "" and opened.test_client().get("/_mock/orgs").status_code == 200


def _ready_banner(monkeypatch, capsys, **cfg):
    """What ``serve`` prints once listening, with the server itself replaced by one that is ready at once."""
    def fake_run(app, config, on_ready):
        on_ready(types.SimpleNamespace(port=5999))
        return 0
    import mockserver.serving.server as server
    monkeypatch.setattr(server, "run", fake_run)
    for key, value in cfg.items():
        monkeypatch.setenv(f"MOCKSERVER_{key.upper()}", value)
    args = types.SimpleNamespace(host=None, port=None, fixtures=None, storage=None, quiet=True, all_tokens=False)
    assert startup.serve(args) == 0
    return capsys.readouterr().out


def test_the_generated_token_is_printed_once_even_when_quiet(monkeypatch, capsys):
    out = _ready_banner(monkeypatch, capsys, host="0.0.0.0")
    lines = [line for line in out.splitlines() if "X-Mock-Admin-Token:" in line]
    assert len(lines) == 1 and len(lines[0].rsplit(" ", 1)[1]) >= 24


def test_off_beyond_loopback_prints_a_warning(monkeypatch, capsys):
    out = _ready_banner(monkeypatch, capsys, host="0.0.0.0", admin_token="off")
    assert "WARNING: MOCKSERVER_ADMIN_TOKEN=off" in out and "X-Mock-Admin-Token" not in out


def test_on_loopback_nothing_about_an_admin_token_is_printed(monkeypatch, capsys):
    out = _ready_banner(monkeypatch, capsys, host="127.0.0.1")
    assert "Admin-Token" not in out and "WARNING" not in out
