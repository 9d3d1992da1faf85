"""Ended tasks are kept as rows beside their history records (``activity/ended.py``), and every reader answers
exactly as it did when the center kept whole ``Task`` objects: the same day generated twice, once with rows and once
without, gives the same bytes on the task list, captures, summaries, task actions and the history."""
from __future__ import annotations

import orjson
import pytest

from mockserver import create_app
from mockserver.activity import ended

from .drive import BODIES, DEMO_ORG, fresh
from .test_generator import TRAFFIC


def _answers(d) -> dict:
    c = d.client
    tasks = c.get(f"/v1/tasks?from={TRAFFIC['from']}&to={TRAFFIC['to']}&pageSize=1000", headers=d.admin)
    assert tasks.status_code == 200, tasks.get_data(as_text=True)
    ids = [t["id"] for t in tasks.get_json()["data"]]
    phone = c.get(f"/v1/tasks?from={TRAFFIC['from']}&to={TRAFFIC['to']}&pageSize=50&channelTypes=telephony",
                  headers=d.admin)
    out = {"tasks": tasks.get_data(), "phone": phone.get_data(), "captures": [], "summaries": [], "actions": []}
    for i in range(0, 60, 10):
        q = {"query": {"taskIds": ids[i:i + 10], "urlExpiration": 5, "includeSegments": True}}
        resp = c.post("/v1/captures/query", json=q, headers=d.admin)
        assert resp.status_code == 200
        out["captures"].append(resp.get_data())
    d.login(d.a, "+15551001")
    for tid in ids[:20]:
        resp = c.post("/generated-summaries/search", json={"interactionId": tid}, headers=d.admin)
        out["summaries"].append((resp.status_code, resp.get_data()))
        for action in ("hold", "end", "wrapup"):
            resp = d.act(d.a, tid, action, BODIES.get(action))
            body = {k: v for k, v in resp.get_json().items() if k != "trackingId"}  # a new one per answer
            out["actions"].append((resp.status_code, body))
    out["after"] = c.get(f"/v1/tasks?from={TRAFFIC['from']}&to={TRAFFIC['to']}&pageSize=1000",
                         headers=d.admin).get_data()  # captureRequested now true on the captured ones
    out["records"] = orjson.dumps(d.rt.history.tasks(DEMO_ORG, 0, 2 ** 62))
    out["view"] = c.get(f"/_mock/activity/{DEMO_ORG}").get_data()
    return out


def _day(app) -> dict:
    d = fresh(app)
    resp = d.client.post(f"/_mock/activity/{DEMO_ORG}", json=TRAFFIC)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    with d.rt.activity.center(DEMO_ORG) as c:
        kinds = {type(t).__name__ for t in c.tasks.values()}
    return {"kinds": kinds, **_answers(d)}


def test_rows_answer_as_the_tasks_did(monkeypatch):
    app = create_app({"access_log": False})
    rows = _day(app)
    assert rows["kinds"] == {"Ended"}  # the day is over: every task ended, none held
    monkeypatch.setattr(ended, "can_compact", lambda c, task: False)
    whole = _day(app)
    assert whole["kinds"] == {"Task"}
    for key in ("tasks", "phone", "captures", "summaries", "actions", "after", "records", "view"):
        assert rows[key] == whole[key], key
    assert b'"captureRequested":true' in rows["after"] and b'"captureRequested":true' not in rows["tasks"]
    assert any(b'"recording":[{' in page for page in rows["captures"])  # captures found recordings to sign
    assert len(rows["actions"]) == 60 and all(  # an ended task refuses them by its state, as before
        status == 400 and "is not allowed on a task in state" in body["errorMessage"]
        for status, body in rows["actions"])
    assert any(b'"summaries":{"' in body for _, body in rows["summaries"])


@pytest.mark.parametrize("captured", [False, True])
def test_a_row_survives_a_snapshot_with_its_capture_flag(captured):
    d = fresh(create_app({"access_log": False}))
    assert d.client.post(f"/_mock/activity/{DEMO_ORG}", json=TRAFFIC).status_code == 200
    first = d.client.get(f"/v1/tasks?from={TRAFFIC['from']}&to={TRAFFIC['to']}&pageSize=10",
                         headers=d.admin).get_json()["data"]
    phone = next(t["id"] for t in first if t["attributes"]["channelType"] == "telephony")
    if captured:
        resp = d.client.post("/v1/captures/query", json={"query": {"taskIds": [phone]}}, headers=d.admin)
        assert resp.status_code == 200
    snap = d.client.get("/_mock/snapshot", query_string={"orgId": DEMO_ORG}).get_data()
    row = next(t for t in orjson.loads(snap)["activity"][DEMO_ORG]["tasks"] if t[0] == phone)
    assert isinstance(row, list) and row[7] is captured
    assert d.client.put("/_mock/snapshot", data=snap, content_type="application/json").status_code == 200
    again = d.client.get("/_mock/snapshot", query_string={"orgId": DEMO_ORG}).get_data()
    assert orjson.loads(again)["activity"] == orjson.loads(snap)["activity"]
    assert d.rt.history.task(DEMO_ORG, phone)["captureRequested"] is captured
