"""The access log: one structured line per request, with the tracking id, and never a credential."""
from __future__ import annotations

import json
import logging

import pytest

from mockserver import create_app

from ..conftest import DEMO_ORG

SECRET = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJlLXNlY3JldA"


@pytest.fixture
def logged():
    """A client whose app writes the access log."""
    return create_app({"access_log": True}).test_client()


def _lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "mockserver.access"]


def test_one_line_per_request_with_method_path_status_duration_and_tracking_id(logged, caplog):
    caplog.set_level(logging.INFO, logger="mockserver.access")
    resp = logged.get("/health?verbose=1")
    resp2 = logged.delete("/health")
    first, second = _lines(caplog)
    assert first["method"] == "GET" and first["path"] == "/health" and first["status"] == 200
    assert first["trackingId"] == resp.headers["TrackingID"] and isinstance(first["durationMs"], float)
    assert (second["method"], second["status"], second["trackingId"]) == ("DELETE", 405, resp2.headers["TrackingID"])


def test_credentials_never_reach_the_log(logged, caplog):
    caplog.set_level(logging.DEBUG)
    logged.get(f"/organization/{DEMO_ORG}/v2/site?access_token={SECRET}", headers={"Authorization": f"Bearer {SECRET}"})
    logged.post("/v1/access_token", data={"grant_type": "refresh_token", "refresh_token": SECRET,
                                          "client_id": "x", "client_secret": SECRET})
    logged.get("/health", headers={"Authorization": f"Basic {SECRET}"})
    assert len(_lines(caplog)) == 3
    assert all(SECRET not in r.getMessage() and "c2VjcmV0" not in r.getMessage() for r in caplog.records)


def test_the_guard_refusal_is_logged_with_its_status(logged, caplog):
    caplog.set_level(logging.INFO, logger="mockserver.access")
    resp = logged.get(f"/organization/{DEMO_ORG}/v2/site", headers={"Authorization": f"Bearer {SECRET}"})
    (line,) = _lines(caplog)
    assert line["status"] == 401 and line["trackingId"] == resp.json["trackingId"]


def test_access_log_can_be_switched_off_per_app(client, logged, caplog):
    caplog.set_level(logging.INFO, logger="mockserver.access")
    client.get("/health")  # the shared fixture's app: access_log off
    assert _lines(caplog) == []
    logged.get("/health")  # another app in the same process still logs
    assert len(_lines(caplog)) == 1
