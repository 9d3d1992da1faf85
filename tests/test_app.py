"""Foundation: health, error shapes, the mock token shortcut and the OpenAPI snapshot."""
import pytest

from mockserver.auth import access
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


@pytest.mark.parametrize("body, field", [
    ({"user": "full.admin@acme.example", "expiresIn": 10**30}, "expiresIn"),
    ({"user": "full.admin@acme.example", "scopes": {"cjp:config": 1}}, "scopes"),
    ({"user": "full.admin@acme.example", "scopes": ["cjp:config", None]}, "scopes"),
    ({"user": "full.admin@acme.example", "roles": "full_admin"}, "roles"),
    ([{"user": "full.admin@acme.example"}], "_schema"),
])
def test_mock_token_bad_fields_are_400_naming_them(client, body, field):
    assert_webex_error(client.post("/_mock/tokens", json=body), 400, field)


def test_client_tracking_id_is_echoed(client):
    resp = client.get("/health", headers={"TrackingId": "INTEGRATION-1234"})
    assert resp.headers["TrackingID"] == "INTEGRATION-1234"


def test_openapi_snapshot_is_current():
    assert SNAPSHOT.read_text() == render_openapi(), "run `mockserver openapi` and commit openapi/openapi.json"


def test_unexpected_exception_is_a_logged_webex_500(app, caplog):
    def boom():
        raise RuntimeError("a bug")

    access.add_url_rule(app, "/_mock/boom", "boom", boom, "mock", vendor=False)
    resp = app.test_client().get("/_mock/boom")
    body = assert_webex_error(resp, 500)
    assert "a bug" not in resp.get_data(as_text=True)
    assert any(body["trackingId"] in r.getMessage() for r in caplog.records if r.levelname == "ERROR")


def test_oauth_paths_answer_unknown_methods_in_rfc6749_shape(client):
    resp = client.put("/v1/authorize")
    assert resp.status_code == 405 and resp.json["error"] == "invalid_request"


def test_too_large_body_is_webex_413(app):
    app.config["MAX_CONTENT_LENGTH"] = 100
    resp = app.test_client().post("/_mock/tokens", data=b"x" * 1000, content_type="application/json")
    assert_webex_error(resp, 413)
