"""Helpers for driving the simulation through HTTP as an integration would: two agents, contacts, task actions."""
from __future__ import annotations

DEMO_ORG = "f222c4e4-0b5a-4a5e-9e2c-8d3b6d0b1a01"
SUPPORT_LINE = "400d46c6-023d-49b7-b350-59b14eebe777"  # -> Customer Support Voice (team based)
SUPPORT_QUEUE = "0e1d4f33-1627-49a0-929a-446c34618c3e"
RESOLVED = "d47d9768-1cb0-4db3-929c-c98f85088f19"  # a wrap-up code
BREAK = "888755af-cbff-4a30-bf28-cd0e5937f102"  # an idle code
OUTDIAL_EP = "ad5bf0c0-0b20-4eef-8a1c-30302e51e185"
NOW_S = 1767225600  # 2026-01-01T00:00:00Z


class Driver:
    """A test client with agent A (agent@acme.example) and agent B (supervisor@acme.example, also on A's team)."""

    def __init__(self, app):
        self.app, self.client, self.rt = app, app.test_client(), app.extensions["wxcc"]
        self.rt.clock.freeze(NOW_S)
        self.events = []
        self.stop = self.rt.bus.subscribe(self.events.append)
        self.a = self._headers("agent@acme.example")
        self.b = self._headers("supervisor@acme.example")
        self.admin = self._headers("full.admin@acme.example", ["cjp:config", "cjp:config_read", "cjp:user"])

    def _headers(self, user, scopes=("cjp:user",)):
        resp = self.client.post("/_mock/tokens", json={"user": user, "scopes": list(scopes)})
        assert resp.status_code == 201, resp.get_json()
        return {"Authorization": f"Bearer {resp.get_json()['access_token']}"}

    def login(self, who, dn, available=True):
        resp = self.client.post("/v1/agents/login", json={"dialNumber": dn, "roles": ["agent"]}, headers=who)
        assert resp.status_code == 202, resp.get_data(as_text=True)
        if available:
            self.state(who, "Available")

    def state(self, who, state, aux="0"):
        resp = self.client.put("/v1/agents/session/state", json={"state": state, "auxCodeId": aux if state ==
                                                                 "Available" else BREAK}, headers=who)
        assert resp.status_code == 202, resp.get_data(as_text=True)

    def contact(self, **extra):
        resp = self.client.post(f"/_mock/activity/{DEMO_ORG}/contacts", json={"entryPointId": SUPPORT_LINE, **extra})
        assert resp.status_code == 201, resp.get_data(as_text=True)
        return resp.get_json()["id"]

    def act(self, who, tid, action, body=None):
        return self.client.post(f"/v1/tasks/{tid}/{action}", json=body, headers=who)

    def ok(self, who, tid, action, body=None):
        resp = self.act(who, tid, action, body if body is not None else BODIES.get(action))
        assert resp.status_code == 202 and resp.get_data() == b"", (action, resp.get_data(as_text=True))

    def task(self, tid):
        with self.rt.activity.center(DEMO_ORG) as c:
            return c.tasks[tid]

    def record(self, tid):
        return self.rt.history.task(DEMO_ORG, tid)


BODIES = {
    "reject": {"mediaResourceId": "m"}, "hold": {"mediaResourceId": "m"}, "unhold": {"mediaResourceId": "m"},
    "wrapup": {"auxCodeId": RESOLVED, "wrapUpReason": "Resolved"},
    "transfer": {"to": "+15550001", "destinationType": "dialNumber"},
    "consult": {"to": "+15550002", "destinationType": "dialNumber"},
    "consult/end": {}, "consult/transfer": {"to": "+15550002", "destinationType": "dialNumber"},
    "consult/conference": {"to": "+15550002", "destinationType": "dialNumber"},
    "record/resume": {"autoResumed": False},
}


def fresh(app):
    """A driver on a shared app whose demo organisation (configuration and activity) is back to its seed."""
    from mockserver.admin.orgs import reset_org

    rt = app.extensions["wxcc"]
    reset_org(rt, DEMO_ORG)
    rt.clock.reset()
    return Driver(app)
