"""Bad input to the runtime APIs: the vendor's 4xx in its error shape, never a 500, and nothing in the simulation
changes (no event, no record)."""
from __future__ import annotations

import pytest

from mockserver import create_app

from .. import app_routes
from .drive import DEMO_ORG, OUTDIAL_EP, SUPPORT_QUEUE, fresh

DAY = 86_400_000


@pytest.fixture(scope="module")
def app():
    return create_app({"access_log": False})


@pytest.fixture
def d(app):
    driver = fresh(app)
    driver.login(driver.a, "+15551001")
    driver.tid = driver.contact()
    yield driver
    driver.stop()


def _state(d):
    return d.rt.history.tasks(DEMO_ORG, 0, 2**62), d.rt.history.agent_sessions(DEMO_ORG, 0, 2**62), len(d.events)


NOW = 1767225600000
CASES = [
    # (name, method, path, body, who, status, text in the reason)
    ("unknown task", "POST", "/v1/tasks/0000/accept", None, "a", 404, "taskId: 0000 not found"),
    ("agent not logged in", "POST", "/v1/tasks/{tid}/accept", None, "b", 400, "is not logged in"),
    ("hold of a ringing task", "POST", "/v1/tasks/{tid}/hold", {"mediaResourceId": "m"}, "b-in", 400, "not allowed"),
    ("missing body field", "POST", "/v1/tasks/{tid}/wrapup", {"auxCodeId": "x"}, "a", 400, "wrapUpReason"),
    ("bad destination type", "POST", "/v1/tasks/{tid}/transfer", {"to": "1", "destinationType": "moon"}, "a", 400,
     "destinationType"),
    ("another agent's task", "POST", "/v1/tasks/{tid}/end", None, "b-in", 403, "not offered or assigned"),
    ("not JSON", "POST", "/v1/agents/login", "{", "a", 400, "JSON"),
    ("login twice", "POST", "/v1/agents/login", {"dialNumber": "+1", "roles": ["agent"]}, "a", 400, "already"),
    ("unknown idle code", "PUT", "/v1/agents/session/state", {"state": "Idle", "auxCodeId": "nope"}, "a", 400,
     "auxCodeId"),
    ("state off the enum", "PUT", "/v1/agents/session/state", {"state": "Busy", "auxCodeId": "0"}, "a", 400, "state"),
    ("logout while ringing", "PUT", "/v1/agents/logout", {"logoutReason": "x"}, "a", 400, "still holds"),
    ("window reversed", "GET", f"/v1/tasks?from={NOW}&to={NOW - 1}", None, "admin", 400, "later than from"),
    ("window over 184 days", "GET", f"/v1/tasks?from={NOW - 200 * DAY}&to={NOW}", None, "admin", 400, "184 days"),
    ("page size over the limit", "GET", f"/v1/tasks?from={NOW - DAY}&pageSize=1001", None, "admin", 400, "pageSize"),
    ("from missing", "GET", "/v1/tasks", None, "admin", 400, "from"),
    ("unknown channel", "GET", f"/v1/tasks?from={NOW - DAY}&channelTypes=fax", None, "admin", 400, "channelTypes"),
    ("activities over 24 h", "GET", f"/v1/agents/activities?from={NOW - DAY}&to={NOW}", None, "admin", 400,
     "shorter than 24"),
    ("activities page size", "GET", f"/v1/agents/activities?from={NOW - 1000}&pageSize=5000", None, "admin", 400,
     "pageSize"),
    ("statistics interval", "GET", f"/v1/agents/statistics?from={NOW - 1000}&to={NOW}&interval=20", None, "admin",
     400, "interval"),
    ("queue statistics without to", "GET", f"/v1/queues/statistics?from={NOW - 1000}", None, "admin", 400, "to"),
    ("ewt look-back", "GET", f"/v1/ewt?queueId={SUPPORT_QUEUE}&lookbackMinutes=1", None, "admin", 400,
     "lookbackMinutes"),
    ("another organisation", "GET", f"/v1/tasks?from={NOW - 1000}&orgId=other", None, "admin", 403, "organization"),
    ("outdial on an inbound entry point", "POST", "/v1/tasks", {"destination": "+1555", "entryPointId":
                                                                "400d46c6-023d-49b7-b350-59b14eebe777",
                                                                "mediaType": "telephony", "origin": "+1919"}, "a",
     400, "outbound entry point"),
    ("outdial without origin", "POST", "/v1/tasks", {"destination": "+1555", "entryPointId": OUTDIAL_EP,
                                                     "mediaType": "telephony"}, "a", 400, "origin"),
    ("capture expiry 0", "POST", "/v1/captures/query", {"query": {"taskIds": ["x"], "urlExpiration": 0}}, "admin",
     400, "urlExpiration should be greater than 0"),
    ("capture of 11 tasks", "POST", "/v1/captures/query", {"query": {"taskIds": ["x"] * 11}}, "admin", 400,
     "taskIds"),
    ("callback in the past", "POST", f"/v1/callbacks/organization/{DEMO_ORG}/scheduled-callback",
     {"customerName": "A", "callbackNumber": "+15550123", "timezone": "UTC", "scheduleDate": "2025-12-31",
      "startTime": "10:00:00", "endTime": "11:00:00", "queueId": SUPPORT_QUEUE}, "a", 400, "30 minutes"),
    ("callback list without a filter", "GET", f"/v1/callbacks/organization/{DEMO_ORG}/scheduled-callback", None,
     "a", 400, "callbackNumber or assigneeAgent"),
    ("unknown callback", "GET", f"/v1/callbacks/organization/{DEMO_ORG}/scheduled-callback/nope", None, "a", 404,
     "not found"),
    ("monitor a task not live", "POST", "/v1/monitor", {"id": "r", "monitorType": "midcall", "taskId": "nope"},
     "b", 412, "not a live task"),
    ("preview of an unknown campaign", "POST", "/v1/dialer/campaign/nope/preview-task/x/accept", None, "a", 400,
     "campaignId"),
    ("generator window reversed", "POST", f"/_mock/activity/{DEMO_ORG}", {"from": NOW, "to": NOW - 1}, None, 400,
     "after from"),
    ("generator earlier than activity", "POST", f"/_mock/activity/{DEMO_ORG}", {"from": NOW - DAY, "to": NOW - 1},
     None, 400, "reset the organization"),
    ("generator unknown entry point", "POST", f"/_mock/activity/{DEMO_ORG}",
     {"from": NOW, "to": NOW + 1000, "entryPoints": {"nope": 1}}, None, 400, "entryPoints"),
]


@pytest.mark.parametrize("name,method,path,body,who,status,text", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_changes_nothing(d, name, method, path, body, who, status, text):
    if who == "b-in":
        d.login(d.b, "+15551002", available=False)
    before = _state(d)
    headers = {"a": d.a, "b": d.b, "b-in": d.b, "admin": d.admin, None: {}}[who]
    kw = {"data": body, "content_type": "application/json"} if isinstance(body, str) else {"json": body}
    resp = d.client.open(path.replace("{tid}", d.tid), method=method, headers=headers, **kw)
    assert resp.status_code == status, resp.get_data(as_text=True)
    payload = resp.get_json()
    assert payload["error"]["key"] == str(status) and payload["trackingId"] == resp.headers["TrackingID"]
    assert text.lower() in payload["error"]["message"][0]["description"].lower(), payload
    assert _state(d) == before


def test_dnc_errors_use_the_gateway_shape(d):
    resp = d.client.get("/v3/campaign-management/dncList/main/phoneNumber/+15550000", headers=d.admin)
    assert resp.status_code == 404
    body = resp.get_json()
    assert body["code"] == 1004 and "not in the specified DNC list" in body["message"] and body["trackingId"]
    ok = d.client.post("/v3/campaign-management/dncList/main/phoneNumber", json={"phoneNumber": "+15550000",
                                                                                "source": "API"}, headers=d.admin)
    again = d.client.post("/v3/campaign-management/dncList/main/phoneNumber", json={"phoneNumber": "+15550000",
                                                                                   "source": "API"}, headers=d.admin)
    assert ok.status_code == 201 and again.status_code == 409
    assert again.get_json()["code"] == 409  # the spec's code for a duplicate


RUNTIME = [(m, r) for m, r, e in app_routes.routes() if r.startswith(("/v1/tasks", "/v1/agents", "/v1/queues",
                                                                       "/v1/ewt", "/v1/captures", "/v1/callbacks",
                                                                       "/v1/monitor", "/v1/dialer", "/v3/campaign",
                                                                       "/v1/notification", "/v1/realtime",
                                                                       "/v1/agentburnout", "/generated-summaries"))]


@pytest.mark.parametrize("method,rule", RUNTIME, ids=[f"{m} {r}" for m, r in RUNTIME])
def test_junk_never_gets_a_500(d, method, rule):
    path = rule
    for name in ("taskId", "orgId", "campaignId", "contactListId", "contactId", "dncListName", "phoneNumber", "id",
                 "requestId"):
        path = path.replace(f"<{name}>", DEMO_ORG if name == "orgId" else "x")
    for body in ([1, 2], {"attributes": "no", "to": 5, "query": {"taskIds": "x"}}, "\x00"):
        kw = {"data": body, "content_type": "application/json"} if isinstance(body, str) else {"json": body}
        resp = d.client.open(path + "?from=abc&pageSize=-1", method=method, headers=d.admin, **kw)
        assert resp.status_code < 500, (method, path, body, resp.status_code, resp.get_data(as_text=True))
