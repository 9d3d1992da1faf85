"""Every route that is not the mock's own exists in the vendor spec, with the same method and path template."""
from __future__ import annotations

import pytest

from . import app_routes, vendor_spec

ROUTES = app_routes.vendor_routes()


@pytest.mark.parametrize("method,rule", [(m, r) for m, r, _ in ROUTES], ids=[f"{m} {r}" for m, r, _ in ROUTES])
def test_route_is_in_the_vendor_spec(method, rule):
    found = vendor_spec.operation(method, rule)
    assert found is not None, f"{method} {rule}: not in the vendor spec (as {vendor_spec.template(rule)})"
    assert vendor_spec.template(found[0]) == vendor_spec.template(rule)


def test_the_walk_finds_the_configuration_api():
    kinds = {rule.split("/")[3] for _, rule, _ in app_routes.config_routes()}
    assert {"site", "team", "user", "contact-service-queue"} <= kinds
    assert len(ROUTES) >= len(app_routes.config_routes()) > 100


def test_own_routes_are_recognised_and_vendor_look_alikes_are_not():
    own = {rule for _, rule, endpoint in app_routes.routes() if app_routes.is_own(endpoint)}
    assert {"/_mock/reset", "/controlhub/organization/<orgId>/connectors", "/health", "/openapi.json", "/docs",
            "/.well-known/jwks.json", "/v1/authorize", "/v1/access_token"} <= own
    assert not any(rule.startswith(("/organization/", "/flow-store/")) for rule in own)


@pytest.mark.parametrize("mock,vendor", [
    ("/organization/<orgid>/site/<id>", "/organization/{orgid}/site/{id}"),
    ("/organization/<orgid>/address-book/<addressBookId>/entry/<id>",
     "/organization/{orgid}/address-book/{addressBookId}/entry/{id}"),
    ("/organization/<string:orgid>/team/<id>/incoming-references",
     "/organization/{orgid}/team/{teamId}/incoming-references"),
])
def test_parameter_names_do_not_matter(mock, vendor):
    assert vendor_spec.template(mock) == vendor_spec.template(vendor)


def test_a_route_the_vendor_lacks_is_reported():
    assert vendor_spec.operation("GET", "/organization/<orgid>/queue") is None  # the vendor has no /queue
    assert vendor_spec.operation("DELETE", "/organization/<orgid>/user/<id>") is None  # users are not deleted
    assert vendor_spec.operation("GET", "/organization/<orgid>/v2/site") is not None
