"""Flow-store responses validate against the vendor spec's schema for the same operation."""
from __future__ import annotations

import pytest

from .. import vendor_spec
from .helpers import FLOW_ID, STORE, upload

BASE = "/flow-store/{orgId}/project/{projectId}/flows"


def check(method: str, template: str, resp):
    path, op = vendor_spec.operation(method, template)
    status = str(resp.status_code)
    assert status in op["responses"], (path, status)
    schema = vendor_spec.response_schema(op, status)
    assert schema is not None, (path, status)
    assert vendor_spec.errors(schema, resp.get_json()) == []


@pytest.mark.parametrize("call", ["list", "import", "export", "publish"])
def test_flow_store_responses_match_the_vendor_schema(client, auth, call):
    h = auth()
    if call == "list":
        check("GET", BASE, client.get(f"{STORE}/flows", headers=h))
    elif call == "export":
        check("GET", BASE + "/{flowId}:export", client.get(f"{STORE}/flows/{FLOW_ID}:export", headers=h))
    elif call == "import":
        doc = client.get(f"{STORE}/flows/{FLOW_ID}:export", headers=h).get_json()
        resp = client.post(f"{STORE}/flows:import", data=upload({**doc, "name": "Copy"}), headers=h)
        assert resp.status_code == 201
        check("POST", BASE + ":import", resp)
    else:
        resp = client.post(f"{STORE}/flows/{FLOW_ID}:publish", json={"tagIds": ["Live"]}, headers=h)
        check("POST", BASE + "/{flowId}:publish", resp)
