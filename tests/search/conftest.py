"""A generated day of the demo tenant in the activity history, seen at noon (mock clock frozen there)."""
from __future__ import annotations

import time

import pytest

from mockserver import create_app

from ..conftest import DEMO_ORG
from . import records

DAY = 86_400_000
DEMO_FLOW = "6a1f0c2b9d8e7f6a5b4c3d21"  # the bundled flow (fixtures/orgs/demo/flow.json)


class World:
    """The app, its records and a client that posts queries as a supervisor would."""

    def __init__(self, contacts: int = 1500, agents: int = 24):
        self.app = create_app({"access_log": False})
        self.rt = self.app.extensions["wxcc"]
        self.start = (int(time.time() * 1000) // DAY - 1) * DAY  # yesterday, 00:00 UTC
        self.now = self.start + 12 * 3_600_000
        self.rt.clock.freeze(self.now / 1000)
        self.tasks, self.sessions, self.agents = records.day(self.start, agents, contacts, seed=11, now=self.now)
        records.load(self.rt.history, DEMO_ORG, self.tasks, self.sessions)
        # the records' entry point, configured with the bundled flow: what the flow roots report
        self.rt.store.put(DEMO_ORG, "entry-point", {"id": records.ENTRY["id"], "name": records.ENTRY["name"],
                                                    "entryPointType": "INBOUND", "channelType": "TELEPHONY",
                                                    "flowId": DEMO_FLOW})
        self.client = self.app.test_client()
        resp = self.client.post("/_mock/tokens", json={"user": "supervisor@acme.example",
                                                       "scopes": ["cjp:config_read"]})
        self.headers = {"Authorization": f"Bearer {resp.get_json()['access_token']}"}

    def post(self, query: str, headers=None, **variables):
        body = {"query": query, "variables": {"from": self.start, "to": self.now, **variables}}
        return self.client.post("/search", json=body, headers=headers or self.headers)

    def data(self, query: str, **variables) -> dict:
        resp = self.post(query, **variables)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        body = resp.get_json()
        assert "errors" not in body, body["errors"]
        return next(iter(body["data"].values()))


@pytest.fixture(scope="module")
def world():
    return World()
