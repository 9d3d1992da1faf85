"""Org snapshots carry the activity: history, live sessions, tasks in flight, pending timers, campaigns; restored
byte for byte, and the restored center goes on exactly as the original would have."""
from __future__ import annotations

import orjson
import pytest

from mockserver import create_app
from tests.conftest import assert_webex_error

from .drive import DEMO_ORG, NOW_S, SUPPORT_LINE, fresh

HOUR = 3_600_000
NOW = NOW_S * 1000
# A window that started two hours ago and runs on for two more: history behind, work in flight, timers ahead.
LIVE = {"from": NOW - 2 * HOUR, "to": NOW + 2 * HOUR, "seed": 5, "rate": 20}
CAMPAIGN = {"id": "camp-1", "vendorVersion": "1", "campaignType": "PREVIEW", "dialingRate": 1.5,
            "entryPointId": "ad5bf0c0-0b20-4eef-8a1c-30302e51e185", "dialingListFetchURL": "https://lists.example/x",
            "outdialANI": "+15550100", "recordCount": 3}


def _snap(d) -> dict:
    """The org snapshot as sent (key order kept: orjson), without its taking time."""
    resp = d.client.get("/_mock/snapshot", query_string={"orgId": DEMO_ORG})
    assert resp.status_code == 200
    snap = orjson.loads(resp.get_data())
    snap.pop("takenAtMs")
    return snap


def _put(d, snap):
    """Restore the bytes as they are (the test client's ``json=`` would sort the keys)."""
    return d.client.put("/_mock/snapshot", data=orjson.dumps(snap), content_type="application/json")


def _tasks(d, start=NOW - 3 * HOUR, end=NOW + 3 * HOUR) -> bytes:
    resp = d.client.get(f"/v1/tasks?from={start}&to={end}&pageSize=1000", headers=d.admin)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_data()


@pytest.fixture()
def busy():
    """The demo org two hours into a live generator window, a manual agent logged in, a campaign running."""
    d = fresh(create_app({"access_log": False}))
    resp = d.client.post(f"/_mock/activity/{DEMO_ORG}", json=LIVE)
    assert resp.status_code == 200 and resp.get_json()["live"] is True, resp.get_data(as_text=True)
    resp = d.client.post("/v1/dialer/campaign", json=CAMPAIGN, headers=d.admin)
    assert resp.status_code == 202, resp.get_data(as_text=True)
    return d


def test_an_org_snapshot_restores_the_activity_byte_for_byte(busy):
    d = busy
    saved = _snap(d)
    state = saved["activity"][DEMO_ORG]
    assert state["records"]["task"] and state["sessions"] and state["heap"] and state["live"]
    assert "camp-1" in state["extras"]["campaigns"]
    tasks_then = _tasks(d)
    d.rt.clock.advance(1800)  # the center moves on: more contacts, more records
    d.contact()
    assert _tasks(d) != tasks_then
    resp = _put(d, saved)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    d.rt.clock.freeze(NOW_S)
    assert orjson.dumps(_snap(d)) == orjson.dumps(saved)
    assert _tasks(d) == tasks_then


def test_the_restored_center_goes_on_as_the_original(busy):
    d = busy
    saved = _snap(d)
    d.rt.clock.advance(3600)
    original = (_tasks(d), orjson.dumps(_snap(d)["activity"]))
    d.rt.clock.freeze(NOW_S)
    assert _put(d, saved).status_code == 200
    d.rt.clock.advance(3600)
    assert (_tasks(d), orjson.dumps(_snap(d)["activity"])) == original


def test_a_snapshot_taken_before_any_activity_clears_it(busy):
    d = fresh(busy.app)
    empty = _snap(d)
    assert empty["activity"] == {DEMO_ORG: None}
    d.contact(entryPointId=SUPPORT_LINE)
    assert _put(d, empty).status_code == 200
    assert d.rt.activity.peek(DEMO_ORG) is None
    assert orjson.loads(_tasks(d))["data"] == []


@pytest.mark.parametrize("bad, reason", [
    ("nope", "activity"), ({"x": None}, "activity"), ({DEMO_ORG: {"routes": {}}}, "activity"),
    ({DEMO_ORG: {"routes": []}}, "routes"),
])
def test_a_broken_activity_part_is_400_and_changes_nothing(busy, bad, reason):
    d = busy
    saved = _snap(d)
    before = orjson.dumps(saved)
    assert_webex_error(_put(d, {**saved, "activity": bad}), 400, reason)
    assert orjson.dumps(_snap(d)) == before


def test_a_tampered_state_is_400_and_changes_nothing(busy):
    d = busy
    saved = _snap(d)
    before = orjson.dumps(saved)
    state = dict(saved["activity"][DEMO_ORG])
    state["tasks"] = [{"id": "only an id"}]
    resp = _put(d, {**saved, "activity": {DEMO_ORG: state}})
    assert_webex_error(resp, 400, "activity")
    assert orjson.dumps(_snap(d)) == before


def test_a_whole_server_snapshot_carries_every_organisations_activity(busy):
    d = busy
    resp = d.client.get("/_mock/snapshot")
    assert resp.status_code == 200
    saved = orjson.loads(resp.get_data())
    assert saved["activity"][DEMO_ORG]["records"]["task"]
    assert d.client.post("/_mock/reset").status_code in (200, 204)
    assert d.rt.activity.peek(DEMO_ORG) is None
    assert _put(d, saved).status_code == 200
    d.rt.clock.freeze(NOW_S)
    again = orjson.loads(d.client.get("/_mock/snapshot").get_data())
    assert orjson.dumps(again["activity"]) == orjson.dumps(saved["activity"])


@pytest.mark.parametrize("part, column", [("marks", 0), ("activities", 5)])
def test_marks_or_spans_out_of_time_order_are_400_and_change_nothing(busy, part, column):
    """Readers find a window's marks and spans by bisecting their times: a state whose rows are not in the time
    order this server writes them in is refused, not restored into wrong answers."""
    d = busy
    saved = _snap(d)
    before = orjson.dumps(saved)
    state = dict(saved["activity"][DEMO_ORG])
    rows = [list(r) for r in state[part]]
    assert len(rows) > 2 and rows[0][column] < rows[-1][column]
    state[part] = [rows[-1]] + rows[1:-1] + [rows[0]]  # the last first
    resp = _put(d, {**saved, "activity": {DEMO_ORG: state}})
    assert_webex_error(resp, 400, "time order")
    assert orjson.dumps(_snap(d)) == before
