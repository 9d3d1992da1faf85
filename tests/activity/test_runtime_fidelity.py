"""Fidelity of the runtime APIs: one scenario calls every operation of the vendor's runtime tags (Tasks, Agents,
Queues, EWT, Captures, Callbacks, Call Monitoring, Campaign Manager, Contact List Management, DNC Management,
Notification, Realtime, Agent Summaries, agent burnout) and checks each answer's status and body against the
vendor spec's documented success response."""
from __future__ import annotations

import copy

import pytest

from mockserver import create_app
from mockserver.resources.coverage import RUNTIME_TAGS, runtime_operations

from .. import vendor_spec
from .drive import BODIES, DEMO_ORG, OUTDIAL_EP, SUPPORT_QUEUE, fresh


def _fixes(schema: dict, method: str, path: str) -> dict:
    """Where the live service differs from the spec's schema (the mock follows the live service)."""
    schema = copy.deepcopy(schema)
    if (method, path) == ("GET", "/v1/tasks"):
        # facts 4.1 (live): owner is absent for a contact no agent handled; queue absent before queueing.
        return {"type": "object", "required": ["meta", "data"], "properties": {
            "meta": {"$ref": "#/components/schemas/Meta"}, "data": {"type": "array", "items": {
                "type": "object", "required": ["id", "attributes"], "properties": {
                    "id": {"type": "string"}, "attributes": {**_no_owner()}}}}}}
    if path.startswith("/v1/dialer/campaign") and method in ("POST", "PUT"):
        # The spec types data as a string with items: the array it implies.
        return {"type": "object", "required": ["data", "meta"], "properties": {
            "meta": {"$ref": "#/components/schemas/MetaSubInfo"},
            "data": {"type": "array", "items": {"$ref": "#/components/schemas/CampaignURLResponse"}}}}
    return schema


def _no_owner() -> dict:
    attrs = copy.deepcopy(vendor_spec.spec()["components"]["schemas"]["TaskAttributes"])
    attrs["required"] = [r for r in attrs["required"] if r not in ("owner", "queue")]
    return attrs


class Checker:
    def __init__(self, d):
        self.d, self.seen = d, set()

    def __call__(self, resp, method: str, path: str, status: int | None = None):
        _, op = vendor_spec.operation(method, path)
        expected = str(status or vendor_spec.success_status(op))
        assert str(resp.status_code) == expected, (method, path, resp.status_code, resp.get_data(as_text=True))
        schema = vendor_spec.response_schema(op, expected)
        if schema is not None and resp.get_data():
            problems = vendor_spec.errors(_fixes(schema, method, path), resp.get_json())
            assert problems == [], (method, path, problems)
        elif schema is None and (method, path) != ("GET", "/v1/monitor/sessions"):
            assert resp.get_data() == b"", (method, path, "a documented empty response has a body")
        self.seen.add((method, vendor_spec.template(path)))
        return resp


@pytest.fixture(scope="module")
def app():
    return create_app({"access_log": False})


def test_every_runtime_operation_answers_as_the_vendor_documents(app):
    d = fresh(app)
    chk, c, a, b = Checker(d), d.client, d.a, d.b
    now = d.rt.clock.now_ms()
    chk(c.post("/v1/agents/login", json={"dialNumber": "+15551001", "roles": ["agent"]}, headers=a),
        "POST", "/v1/agents/login")
    chk(c.put("/v1/agents/session/state", json={"state": "Available", "auxCodeId": "0"}, headers=a),
        "PUT", "/v1/agents/session/state")
    chk(c.post("/v1/agents/reload", headers=a), "POST", "/v1/agents/reload")
    chk(c.post("/v1/agents/buddyList", json={"agentProfileId": "p", "mediaType": "telephony"}, headers=a),
        "POST", "/v1/agents/buddyList")
    chk(c.put("/v1/agents/logout", json={"logoutReason": "User requested logout"}, headers=a), "PUT",
        "/v1/agents/logout")
    d.login(a, "+15551001")
    d.login(b, "+15551002", available=False)
    tid = d.contact()
    T = "/v1/tasks/{taskId}"
    for action in ("accept", "hold", "unhold", "record/pause", "record/resume"):
        chk(d.act(a, tid, action, BODIES.get(action)), "POST", f"{T}/{action}")
    chk(c.patch(f"/v1/tasks/{tid}", json={"attributes": {"account": "42"}}, headers=a), "PATCH", T)
    d.state(b, "Available")
    with d.rt.activity.center(DEMO_ORG) as center:
        b_id = center.agent_of("07f1330e-172d-5f38-a2a2-586ea315d6f3").id
    chk(d.act(a, tid, "consult", {"to": b_id, "destinationType": "agent"}), "POST", f"{T}/consult")
    chk(d.act(b, tid, "consult/accept"), "POST", f"{T}/consult/accept")
    chk(d.act(a, tid, "consult/conference", {"to": b_id}), "POST", f"{T}/consult/conference")
    chk(d.act(a, tid, "conference/exit"), "POST", f"{T}/conference/exit")
    chk(d.act(a, tid, "wrapup", BODIES["wrapup"]), "POST", f"{T}/wrapup")
    d.ok(b, tid, "consult", {"to": "+15550009", "destinationType": "dialNumber"})
    chk(d.act(b, tid, "consult/end", {}), "POST", f"{T}/consult/end")
    d.ok(b, tid, "unhold")
    d.ok(b, tid, "consult", {"to": "+15550009", "destinationType": "dialNumber"})
    chk(d.act(b, tid, "consult/transfer", BODIES["consult/transfer"]), "POST", f"{T}/consult/transfer")
    d.ok(b, tid, "wrapup")
    # A second contact: rejected by A, assigned by B, transferred out, ended and wrapped up.
    d.state(a, "Available")
    d.state(b, "Idle")
    t2 = d.contact()
    chk(d.act(a, t2, "reject", BODIES["reject"]), "POST", f"{T}/reject")
    chk(d.act(b, t2, "assign"), "POST", f"{T}/assign")
    chk(d.act(b, t2, "transfer", BODIES["transfer"]), "POST", f"{T}/transfer")
    d.ok(b, t2, "wrapup")
    d.state(a, "Available")
    t3 = d.contact()
    d.ok(a, t3, "accept")
    chk(d.act(a, t3, "end"), "POST", f"{T}/end")
    d.ok(a, t3, "wrapup")
    chk(c.post("/v1/tasks", json={"destination": "+15557654321", "entryPointId": OUTDIAL_EP, "mediaType":
                                  "telephony", "origin": "+19195550100"}, headers=a), "POST", "/v1/tasks")
    d.rt.clock.advance(60)
    later = d.rt.clock.now_ms()
    chk(c.get(f"/v1/tasks?from={now - 1000}&to={later}", headers=d.admin), "GET", "/v1/tasks")
    chk(c.get(f"/v1/agents/activities?from={now - 1000}&to={later}", headers=d.admin), "GET", "/v1/agents/activities")
    chk(c.get(f"/v1/agents/statistics?from={now}&to={later + 900_000}", headers=d.admin), "GET",
        "/v1/agents/statistics")
    chk(c.get(f"/v1/queues/statistics?from={now}&to={later + 900_000}", headers=d.admin), "GET",
        "/v1/queues/statistics")
    ewt = chk(c.get(f"/v1/ewt?queueId={SUPPORT_QUEUE}&lookbackMinutes=30", headers=d.admin), "GET", "/v1/ewt")
    assert ewt.get_json() == {"estimatedWaitTime": 0.0}  # every contact was offered at once
    chk(c.get("/v1/ewt?queueId=unknown&lookbackMinutes=30", headers=d.admin), "GET", "/v1/ewt", 204)
    chk(c.post("/v1/captures/query", json={"query": {"taskIds": [tid, "unknown"], "urlExpiration": 5}},
               headers=d.admin), "POST", "/v1/captures/query")
    chk(c.post("/generated-summaries/search", json={"interactionId": tid}, headers=d.admin), "POST",
        "/generated-summaries/search")
    # Monitoring of a live task, by a supervisor.
    d.state(a, "Available")  # the unanswered outdial put A in Idle (RONA)
    t4 = d.contact()
    d.ok(a, t4, "accept")
    sup = {**b}
    M = "/v1/monitor"
    chk(c.post(M, json={"id": "req-1", "monitorType": "midcall", "taskId": t4}, headers=sup), "POST", M)
    for step in ("hold", "unhold", "bargeIn", "end"):
        chk(c.post(f"{M}/{t4}/{step}", headers=sup), "POST", f"{M}/{{taskId}}/{step}")
    chk(c.get(f"{M}/sessions", headers=sup), "GET", f"{M}/sessions")
    chk(c.delete(f"{M}/req-1", headers=sup), "DELETE", f"{M}/{{requestId}}")
    d.ok(a, t4, "end")
    d.ok(a, t4, "wrapup")
    # Callbacks.
    CB = f"/v1/callbacks/organization/{DEMO_ORG}/scheduled-callback"
    cb = {"customerName": "Ada", "callbackNumber": "+15550123", "timezone": "UTC", "scheduleDate": "2026-01-02",
          "startTime": "10:00:00", "endTime": "11:00:00", "queueId": SUPPORT_QUEUE}
    made = chk(c.post(CB, json=cb, headers=a), "POST", "/v1/callbacks/organization/{orgId}/scheduled-callback")
    cid = made.get_json()["id"]
    chk(c.get(f"{CB}?callbackNumber=%2B15550123", headers=a), "GET",
        "/v1/callbacks/organization/{orgId}/scheduled-callback")
    item = "/v1/callbacks/organization/{orgId}/scheduled-callback/{id}"
    chk(c.get(f"{CB}/{cid}", headers=a), "GET", item)
    chk(c.put(f"{CB}/{cid}", json={**cb, "id": cid, "customerName": "Ada L."}, headers=a), "PUT", item)
    chk(c.delete(f"{CB}/{cid}", headers=a), "DELETE", item)
    # Campaigns, contact lists, preview tasks, DNC.
    camp = {"id": "camp-1", "vendorVersion": "1", "campaignType": "PREVIEW", "dialingRate": 1.0,
            "entryPointId": OUTDIAL_EP, "dialingListFetchURL": "https://lists.example/1", "outdialANI": "+19195550100",
            "recordCount": 2}
    chk(c.post("/v1/dialer/campaign", json=camp, headers=d.admin), "POST", "/v1/dialer/campaign")
    chk(c.put("/v1/dialer/campaign/camp-1", json={"dialingRate": 2.0, "dialingListFetchURL": "https://l.example/2",
                                                  "outdialANI": "+19195550100"}, headers=d.admin),
        "PUT", "/v1/dialer/campaign/{campaignId}")
    V3 = "/v3/campaign-management/campaigns/{campaignId}"
    made = chk(c.post("/v3/campaign-management/campaigns/camp-1/contact-list", json={"supportedChannels":
                                                                                  ["telephony"]}, headers=d.admin),
               "POST", f"{V3}/contact-list")
    lid = made.get_json()["contactListId"]
    people = {"contacts": [{"contactAttributes": [{"fieldName": "PhoneNumber", "value": f"+1555000{i}"}]}
                           for i in range(4)]}
    chk(c.post(f"/v3/campaign-management/campaigns/camp-1/contact-list/{lid}/contacts", json=people,
               headers=d.admin), "POST", f"{V3}/contact-list/{{contactListId}}/contacts")
    with d.rt.activity.center(DEMO_ORG) as center:
        previews = list(center.extras["campaigns"]["camp-1"]["previews"])
    d.state(a, "Available")
    P = "/v1/dialer/campaign/{campaignId}/preview-task/{taskId}"
    chk(c.post(f"/v1/dialer/campaign/camp-1/preview-task/{previews[0]}/skip", headers=a), "POST", f"{P}/skip")
    chk(c.post(f"/v1/dialer/campaign/camp-1/preview-task/{previews[1]}/remove", headers=a), "POST", f"{P}/remove")
    chk(c.post(f"/v1/dialer/campaign/camp-1/preview-task/{previews[2]}/accept", headers=a), "POST", f"{P}/accept")
    chk(c.patch(f"/v3/campaign-management/campaigns/camp-1/contact-list/{lid}/contacts/{previews[3]}",
                json={"contactStatus": "CLOSED"}, headers=d.admin), "PATCH",
        f"{V3}/contact-list/{{contactListId}}/contacts/{{contactId}}")
    chk(c.patch(f"/v3/campaign-management/campaigns/camp-1/contact-list/{lid}/status",
                json={"contactListStatus": "Inactive"}, headers=d.admin), "PATCH",
        f"{V3}/contact-list/{{contactListId}}/status")
    chk(c.get("/v3/campaign-management/campaigns/camp-1/contact-lists", headers=d.admin), "GET",
        f"{V3}/contact-lists")
    chk(c.delete("/v1/dialer/campaign/camp-1", headers=d.admin), "DELETE", "/v1/dialer/campaign/{campaignId}")
    DNC = "/v3/campaign-management/dncList/{dncListName}/phoneNumber"
    chk(c.post("/v3/campaign-management/dncList/main/phoneNumber", json={"phoneNumber": "+15550111",
                                                                        "source": "API"}, headers=d.admin),
        "POST", DNC)
    chk(c.get("/v3/campaign-management/dncList/main/phoneNumber/+15550111", headers=d.admin), "GET",
        f"{DNC}/{{phoneNumber}}")
    chk(c.delete("/v3/campaign-management/dncList/main/phoneNumber/+15550111", headers=d.admin), "DELETE",
        f"{DNC}/{{phoneNumber}}")
    # Notifications and agent wellbeing.
    chk(c.post("/v1/notification/subscribe", json={"clientType": "AgentDesktop"}, headers=a), "POST",
        "/v1/notification/subscribe")
    chk(c.post("/v1/realtime/subscribe", json={}, headers=a), "POST", "/v1/realtime/subscribe")
    org = {"X-ORGANIZATION-ID": DEMO_ORG}
    chk(c.post("/v1/agentburnout/subscribe", json={"name": "wellbeing", "eventTypes": ["burnout:index"],
                                                   "destinationUrl": "https://partner.example/hook"},
               headers={**d.admin, **org}), "POST", "/v1/agentburnout/subscribe")
    chk(c.post("/v1/agentburnout/action", json={"agentId": b_id, "actionType": "WELLNESS_BREAK"},
               headers={**d.admin, **org}), "POST", "/v1/agentburnout/action")
    assert chk.seen == {(m, vendor_spec.template(p)) for m, p in runtime_operations(vendor_spec.spec())}
    assert len(chk.seen) == 60 and RUNTIME_TAGS
