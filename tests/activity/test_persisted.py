"""``--storage``: the activity (history, live sessions, tasks in flight, timers, campaigns) is there after a
restart, whether the server stopped cleanly or was killed between two requests (nothing folded, only the log)."""
from __future__ import annotations

import orjson

from mockserver import create_app

from .drive import DEMO_ORG, Driver
from .test_snapshot_state import CAMPAIGN, LIVE, NOW_S


def _activity(app) -> bytes:
    resp = app.test_client().get("/_mock/snapshot", query_string={"orgId": DEMO_ORG})
    assert resp.status_code == 200
    return orjson.dumps(orjson.loads(resp.get_data())["activity"])


def _busy(path) -> tuple:
    app = create_app({"access_log": False, "storage": str(path)})
    d = Driver(app)
    assert d.client.post(f"/_mock/activity/{DEMO_ORG}", json=LIVE).status_code == 200
    assert d.client.post("/v1/dialer/campaign", json=CAMPAIGN, headers=d.admin).status_code == 202
    d.rt.clock.advance(600)
    d.contact()
    return app, d


def test_the_activity_survives_a_restart_without_a_clean_shutdown(tmp_path):
    path = tmp_path / "state.json"
    app, d = _busy(path)
    _activity(app)  # an org snapshot in between: the log still writes what changes after it
    d.rt.clock.advance(300)
    d.contact()
    before = _activity(app)
    logs = list((tmp_path / "state.json.activity").glob("*.log"))
    assert len(logs) == 1 and logs[0].stat().st_size > 0  # deltas only: nothing was folded since the start
    assert len(logs[0].read_bytes().splitlines()) < 10  # a line per request that changed it, not per transition
    again = create_app({"access_log": False, "storage": str(path)})  # the first one was never closed
    again.extensions["wxcc"].clock.freeze(NOW_S + 900)
    assert _activity(again) == before
    d2 = Driver(again)
    d2.rt.clock.freeze(NOW_S + 900)
    d.rt.clock.advance(1800)
    d2.rt.clock.advance(1800)
    assert _activity(again) == _activity(app)  # and it goes on exactly as the original does


def test_a_clean_close_folds_the_log_and_a_reset_empties_it(tmp_path):
    path = tmp_path / "state.json"
    app, d = _busy(path)
    before = _activity(app)
    app.extensions["wxcc"].activity.close()
    logs = list((tmp_path / "state.json.activity").glob("*.log"))
    assert [p.stat().st_size for p in logs] == [0]
    again = create_app({"access_log": False, "storage": str(path)})
    again.extensions["wxcc"].clock.freeze(NOW_S + 600)
    assert _activity(again) == before
    assert again.test_client().post(f"/_mock/orgs/{DEMO_ORG}/reset").status_code in (200, 204)
    third = create_app({"access_log": False, "storage": str(path)})
    assert third.extensions["wxcc"].activity.peek(DEMO_ORG) is None
    assert orjson.loads(_activity(third)) == {DEMO_ORG: None}


def test_an_unreadable_entry_and_a_torn_line_leave_what_was_written_before(tmp_path):
    path = tmp_path / "state.json"
    app, d = _busy(path)
    before = _activity(app)
    log = next((tmp_path / "state.json.activity").glob("*.log"))
    with open(log, "ab") as fh:
        fh.write(orjson.dumps({"op": "delta", "org": DEMO_ORG, "z": "not compressed state"}) + b"\n")
        fh.write(b'{"op":"delta","org":"' + DEMO_ORG.encode())  # a SIGKILL mid-append: no newline
    again = create_app({"access_log": False, "storage": str(path)})
    again.extensions["wxcc"].clock.freeze(NOW_S + 600)
    assert _activity(again) == before
