"""Unserved routes: a Webex-shaped 404 whatever token comes, saying so when the path is a vendor operation."""
from __future__ import annotations

import json

import pytest

from mockserver.reference import VENDOR_SPEC
from mockserver.resources import constraints

from ..conftest import DEMO_ORG, assert_webex_error


def test_operations_file_is_in_sync_with_the_reference_spec():
    vendor = json.loads(VENDOR_SPEC.read_text(encoding="utf-8"))
    assert constraints.OPERATIONS_FILE.read_text(encoding="utf-8") == constraints.render_operations(vendor), \
        "run `python -m mockserver.resources.constraints` and commit mockserver/resources/vendor_operations.json"


@pytest.mark.parametrize("scopes", [["cjp:user"], ["cjp:config_read"], ["spark:kms"]])
def test_unserved_configuration_path_is_404_whatever_token(client, auth, scopes):
    """Not a 403 naming a scope: that sends users hunting for the wrong scope."""
    headers = auth(scopes=scopes)
    body = assert_webex_error(client.get(f"/organization/{DEMO_ORG}/no-such-thing", headers=headers), 404)
    assert "no-such-thing" in body["error"]["reason"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, None])
def test_unserved_vendor_operation_is_404_saying_so_whatever_token(client, auth, headers):
    headers = auth(scopes=["cjp:config_read"]) if headers is None else headers
    body = assert_webex_error(client.get("/admin/v1/api/workspace", headers=headers), 404, "does not serve")
    assert "GET /admin/v1/api/workspace is an operation of the Webex Contact Center API" in body["error"]["reason"]
    assert_webex_error(client.get("/v1/no-such-api", headers=headers), 404, "No resource at /v1/no-such-api")


def test_an_operation_name_in_an_id_position_says_not_served():
    """What ``GET .../bulk-export`` answered before it was served: never "bulk-export not found" as an id."""
    from mockserver.http import unserved

    assert unserved.vendor_operation("GET", f"/organization/{DEMO_ORG}/site/bulk-export", 3) == \
        "/organization/{}/site/bulk-export"
    assert unserved.vendor_operation("GET", f"/organization/{DEMO_ORG}/site/some-id", 3) is None
    assert "does not serve" in unserved.reason("GET", f"/organization/{DEMO_ORG}/site/bulk-export", 3)


def test_bulk_export_is_served_not_taken_for_an_id(client, auth):
    resp = client.get(f"/organization/{DEMO_ORG}/site/bulk-export", headers=auth())
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]


def test_a_missing_id_is_still_not_found(client, auth):
    assert_webex_error(client.get(f"/organization/{DEMO_ORG}/site/no-such-id", headers=auth()), 404,
                       "not found for given orgId")
    assert_webex_error(client.delete(f"/organization/{DEMO_ORG}/site/bulk-export", headers=auth()), 404,
                       "not found for given orgId")  # the vendor has no DELETE .../bulk-export: an id then


def test_unserved_configuration_path_of_another_organization_is_403(client, auth):
    """The token must still belong to the path's organisation (only scopes and roles are not asked about)."""
    from ..conftest import NOLICENSE_ORG

    assert_webex_error(client.get(f"/organization/{NOLICENSE_ORG}/no-such-thing", headers=auth()), 403,
                       NOLICENSE_ORG)


def test_unserved_configuration_path_still_checks_the_token_first(client):
    assert_webex_error(client.get(f"/organization/{DEMO_ORG}/no-such-thing"), 400, "Authorization header")
    assert_webex_error(client.get(f"/organization/{DEMO_ORG}/no-such-thing",
                                  headers={"Authorization": "Bearer nope"}), 401)
