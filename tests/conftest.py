"""Shared fixtures: an app per test on in-memory storage with the bundled fixtures, and a token factory."""
from __future__ import annotations

import pytest

from mockserver import create_app

DEMO_ORG = "f222c4e4-0b5a-4a5e-9e2c-8d3b6d0b1a01"
NOLICENSE_ORG = "5b0a2f4e-7d3c-4c1e-9a8b-2e6f1d0c9b02"
ALL_SCOPES = ["cjp:config", "cjp:config_read", "cjp:config_write", "cjp:user"]


@pytest.fixture
def app():
    """A fresh app (in memory, bundled fixtures, quiet access log)."""
    return create_app({"access_log": False})


@pytest.fixture
def client(app):
    """Flask test client of ``app``."""
    return app.test_client()


@pytest.fixture
def rt(app):
    """The app's runtime (store, clock, keys, tokens)."""
    return app.extensions["wxcc"]


@pytest.fixture
def token(client):
    """``token(user='full.admin@acme.example', scopes=..., **extra)`` -> bearer token string."""

    def make(user="full.admin@acme.example", scopes=None, **extra):
        body = {"user": user, "scopes": ALL_SCOPES if scopes is None else scopes, **extra}
        resp = client.post("/_mock/tokens", json=body)
        assert resp.status_code == 201, resp.json
        return resp.json["access_token"]

    return make


@pytest.fixture
def auth(token):
    """``auth(**token_kwargs)`` -> headers dict with the bearer token."""
    return lambda **kw: {"Authorization": f"Bearer {token(**kw)}"}


def assert_webex_error(resp, status: int, reason_part: str | None = None):
    """The response is the Webex error body with that status (and the reason mentions ``reason_part``)."""
    assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True))
    body = resp.get_json()
    assert body["trackingId"].startswith("ccconfig_") or body["trackingId"]
    assert body["error"]["key"] == str(status)
    assert body["error"]["message"][0]["description"]
    assert resp.headers["TrackingID"] == body["trackingId"]
    if reason_part is not None:
        assert reason_part.lower() in body["error"]["reason"].lower(), body["error"]["reason"]
    return body


#: Names whose presence in a test module means its tests run a real server (in a thread or a process).
_LIVE_NAMES = ("LiveServer", "ServerProcess", "soak")


def pytest_collection_modifyitems(config, items):
    """Mark the tests that run a real server ``live``: ``.ci/run`` runs them once more under the fallback
    server (``MOCKSERVER_SERVER=waitress python -m pytest -m live``)."""
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and any(name in vars(module) for name in _LIVE_NAMES):
            item.add_marker(pytest.mark.live)
