"""R1, R8, R13, R15: the credentials a connector gives a flow."""
from __future__ import annotations

import pytest

from mockserver.connectors import ConnectorUnavailable, credentials

from ..conftest import DEMO_ORG
from .helpers import BASE, INACTIVE_ID, RO_ID, RO_SCOPES, RW_ID, RW_SCOPES


@pytest.mark.parametrize("cid, scopes", [(RO_ID, RO_SCOPES), (RW_ID, RW_SCOPES)])
def test_r8_credentials_carry_exactly_the_connectors_scopes(app, rt, cid, scopes):
    with app.test_request_context():
        claims = rt.tokens.verify(credentials(rt, DEMO_ORG, cid))
    assert claims["scope"].split() == scopes
    assert claims["org_id"] == DEMO_ORG and claims["connector_id"] == cid and claims["roles"] == []


def test_r13_inactive_connector_mints_nothing(app, rt):
    with app.test_request_context(), pytest.raises(ConnectorUnavailable) as err:
        credentials(rt, DEMO_ORG, INACTIVE_ID)
    assert err.value.state == "inactive" and "paused" in err.value.reason


def test_r15_deleted_connector_mints_nothing(app, client, auth, rt):
    assert client.delete(f"{BASE}/{INACTIVE_ID}", headers=auth()).status_code == 204
    with app.test_request_context(), pytest.raises(ConnectorUnavailable) as err:
        credentials(rt, DEMO_ORG, INACTIVE_ID)
    assert err.value.state == "deleted" and err.value.status == 404


def test_connector_of_another_org_mints_nothing(app, rt):
    with app.test_request_context(), pytest.raises(ConnectorUnavailable) as err:
        credentials(rt, "5b0a2f4e-7d3c-4c1e-9a8b-2e6f1d0c9b02", RO_ID)
    assert err.value.state == "unknown"


def test_r14_reactivated_connector_mints_again(app, client, auth, rt):
    client.post(f"{BASE}/{INACTIVE_ID}/reactivate", headers=auth())
    with app.test_request_context():
        assert rt.tokens.verify(credentials(rt, DEMO_ORG, INACTIVE_ID))["connector_id"] == INACTIVE_ID
