"""An app with fast retry settings, a receiver on 127.0.0.1, and helpers to subscribe and publish."""
from __future__ import annotations

import pytest

from mockserver import create_app

from ..conftest import DEMO_ORG
from .receiver import Receiver

SECRET = "a-32-character-or-longer-secret-for-tests"


class Hooks:
    """The app under test as a webhook client sees it."""

    def __init__(self, **settings):
        self.app = create_app({"access_log": False, "webhook_backoff": 0.05, **settings})
        self.rt = self.app.extensions["wxcc"]
        self.client = self.app.test_client()
        tok = self.client.post("/_mock/tokens", json={"user": "full.admin@acme.example", "scopes": [
            "cjp:config_read", "cjp:config_write"]}).get_json()["access_token"]
        self.headers = {"Authorization": f"Bearer {tok}"}

    def subscribe(self, url: str, events, version="v1", secret=SECRET, **extra) -> dict:
        body = {"name": "Integration hooks", "eventTypes": list(events), "destinationUrl": url, **extra}
        if secret:
            body["secret"] = secret
        if version == "v2":
            body.setdefault("resourceVersion", "task:1.0.0")
        resp = self.client.post(f"/{version}/subscriptions", json=body, headers=self.headers)
        assert resp.status_code == 201, resp.get_data(as_text=True)
        return resp.get_json()["data"]

    def publish(self, type_: str, time_ms: int, **data):
        return self.rt.bus.publish(DEMO_ORG, type_, time_ms, data)

    def log(self, sub_id: str, version="v1") -> dict:
        resp = self.client.get(f"/_mock/webhooks/{DEMO_ORG}/{version}/subscriptions/{sub_id}/deliveries")
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return resp.get_json()

    def sub(self, sub_id: str, version="v1") -> dict:
        resp = self.client.get(f"/{version}/subscriptions/{sub_id}", headers=self.headers)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return resp.get_json()["data"]


@pytest.fixture(params=["process", "thread"])
def delivery_mode(request, monkeypatch):
    """Run a test under both delivery workers: the delivery process (the default) and the in-process threads."""
    monkeypatch.setenv("MOCKSERVER_WEBHOOK_DELIVERY", request.param)
    return request.param


@pytest.fixture
def hooks():
    return Hooks()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()
