"""Small helpers shared by the harness tests."""
from __future__ import annotations

#: A path under an organisation that no route serves: once past the guard it is a 404, whichever resource
#: routes exist, so the harness tests do not depend on the configuration API's answers.
PROBE = "/harness-probe"


def new_org(client, **body) -> dict:
    """Create an organisation through the control API; returns the response body."""
    resp = client.post("/_mock/orgs", json={"template": "empty", **body})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.get_json()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def org_get(client, org: dict, suffix: str = PROBE, role: str = "full_admin"):
    """An authenticated GET under the organisation (404 until resource routes exist: still authorised)."""
    return client.get(f"/organization/{org['id']}{suffix}", headers=bearer(org["tokens"][role]))
