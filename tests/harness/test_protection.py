"""With MOCKSERVER_ADMIN_TOKEN set, the control API needs it; the Webex API does not."""
import pytest

from tests.conftest import DEMO_ORG, assert_webex_error

from .conftest import make_app
from .helpers import PROBE


@pytest.fixture
def locked():
    return make_app(admin_token="s3cret-admin").test_client()


@pytest.mark.parametrize("method, path", [("get", "/_mock/orgs"), ("post", "/_mock/orgs"), ("get", "/_mock/journal"),
                                          ("post", "/_mock/faults"), ("post", "/_mock/clock/advance"),
                                          ("post", "/_mock/keys/rotate"), ("get", "/_mock/snapshot"),
                                          ("post", "/_mock/reset")])
def test_control_api_needs_the_admin_token(locked, method, path):
    assert_webex_error(getattr(locked, method)(path, json={}), 401, "admin token")
    wrong = getattr(locked, method)(path, json={}, headers={"Authorization": "Bearer guess"})
    assert_webex_error(wrong, 401, "admin token")


def test_admin_token_as_bearer_or_header(locked):
    assert locked.get("/_mock/orgs", headers={"Authorization": "Bearer s3cret-admin"}).status_code == 200
    created = locked.post("/_mock/orgs", json={}, headers={"X-Mock-Admin-Token": "s3cret-admin"})
    assert created.status_code == 201
    # the organisation's tokens work on the API without the admin token
    tok = created.get_json()["tokens"]["full_admin"]
    resp = locked.get(f"/organization/{created.get_json()['id']}{PROBE}", headers={"Authorization": f"Bearer {tok}"})
    assert resp.status_code == 404
    assert locked.get(f"/organization/{DEMO_ORG}{PROBE}",
                      headers={"Authorization": "Bearer s3cret-admin"}).status_code == 401


def test_rejected_control_calls_change_nothing(locked):
    locked.post("/_mock/clock/advance", json={"seconds": 86400})
    locked.post("/_mock/faults", json={"status": 500})
    assert locked.get("/health").status_code == 200
    state = locked.get("/_mock/clock", headers={"X-Mock-Admin-Token": "s3cret-admin"}).get_json()
    assert abs(state["offsetSeconds"]) < 1
