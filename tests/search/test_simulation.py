"""/search over what the simulation recorded: a contact driven over HTTP is found with the fields it lived."""
from __future__ import annotations

from mockserver import create_app

from ..activity.drive import DEMO_ORG, SUPPORT_QUEUE, Driver

Q = ("query($from: Long!, $to: Long!, $id: String) { taskDetails(from: $from, to: $to, filter: {id: {equals: $id}}) "
     "{ tasks { id status isActive channelType lastQueue { id } lastAgent { id } totalDuration connectedDuration "
     "activities { totalCount nodes { eventName } } } } "
     "agentSession(from: $from, to: $to) { agentSessions { agentId isActive } } }")


def test_a_simulated_contact_is_reported_as_it_happened():
    d = Driver(create_app({"access_log": False}))
    d.login(d.a, "+15551001")
    tid = d.contact()
    d.ok(d.a, tid, "accept")
    d.rt.clock.advance(90)
    d.ok(d.a, tid, "end")
    d.ok(d.a, tid, "wrapup")
    now = d.rt.clock.now_ms()
    resp = d.client.post("/search", json={"query": Q, "variables": {"from": now - 3_600_000, "to": now, "id": tid}},
                         headers=d.admin)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    data = resp.get_json()["data"]
    [task] = data["taskDetails"]["tasks"]
    record = d.rt.history.task(DEMO_ORG, tid)
    assert task["id"] == tid and task["isActive"] is False and task["status"] == record["status"]
    assert task["lastQueue"]["id"] == SUPPORT_QUEUE and task["lastAgent"]["id"] == record["lastAgent"]["id"]
    assert task["connectedDuration"] == record["connectedDuration"] >= 90_000
    assert task["activities"]["totalCount"] == len(record.get("activities") or [])
    assert [s["agentId"] for s in data["agentSession"]["agentSessions"]] == [record["lastAgent"]["id"]]
