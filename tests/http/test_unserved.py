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
    body = assert_webex_error(client.get(f"/organization/{DEMO_ORG}/v2/agent-burnout", headers=headers), 404,
                              "does not serve")
    assert "GET /organization/{}/v2/agent-burnout" in body["error"]["reason"]


def test_unserved_runtime_path_is_404_whatever_token(client, auth):
    for headers in ({}, auth(scopes=["cjp:config_read"]), {"Authorization": "Bearer nope"}):
        assert_webex_error(client.get("/v1/no-such-api", headers=headers), 404)
        assert_webex_error(client.get("/v1/dialer/campaign", headers=headers), 404)


def test_bulk_export_says_the_operation_is_not_served(client, auth):
    """Until bulk export exists, ``GET .../bulk-export`` is not "bulk-export not found" as if it were an id."""
    body = assert_webex_error(client.get(f"/organization/{DEMO_ORG}/site/bulk-export", headers=auth()), 404,
                              "does not serve")
    assert "GET /organization/{}/site/bulk-export" in body["error"]["reason"]
    assert "not found for given orgId" not in body["error"]["reason"]


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
