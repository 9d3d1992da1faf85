"""Foundation: health, error shapes, the mock token shortcut and the OpenAPI snapshot."""
from mockserver.cli import SNAPSHOT, render_openapi

from .conftest import DEMO_ORG, assert_webex_error


def test_health_reports_fixtures(client):
    body = client.get("/health").get_json()
    assert body["status"] == "ok"
    ids = [o["id"] for o in body["fixtures"]["organizations"]]
    assert DEMO_ORG in ids and body["fixtures"]["integrations"] == 2


def test_unknown_route_is_webex_404(client):
    assert_webex_error(client.get("/no/such/route"), 404, "/no/such/route")


def test_wrong_method_is_webex_405(client):
    resp = client.delete("/health")
    assert_webex_error(resp, 405)
    assert "GET" in resp.headers["Allow"]


def test_mock_token_for_unknown_user_is_404(client):
    assert_webex_error(client.post("/_mock/tokens", json={"user": "nobody@nowhere"}), 404, "nobody@nowhere")


def test_mock_token_validation_is_400_naming_field(client):
    body = assert_webex_error(client.post("/_mock/tokens", json={"user": 5}), 400, "user")
    assert body["error"]["message"][0]["description"].startswith("user:")


def test_client_tracking_id_is_echoed(client):
    resp = client.get("/health", headers={"TrackingId": "INTEGRATION-1234"})
    assert resp.headers["TrackingID"] == "INTEGRATION-1234"


def test_openapi_snapshot_is_current():
    assert SNAPSHOT.read_text() == render_openapi(), "run `mockserver openapi` and commit openapi/openapi.json"
