"""Snapshots and reset cover the runtime state: webhook subscriptions with their delivery log, uploaded audio
(byte for byte), campaigns with their contact lists, DNC lists and callbacks."""
from __future__ import annotations

import base64

import orjson
import pytest

from mockserver import create_app

from ..conftest import DEMO_ORG, assert_webex_error
from ..webhooks.receiver import Receiver
from .runtime_state import DNC, LivingState


@pytest.fixture
def state():
    receiver = Receiver()
    try:
        yield LivingState(create_app({"access_log": False, "webhook_backoff": 0.05})).build(receiver)
    finally:
        receiver.close()


def _snapshot(s) -> bytes:
    resp = s.c.get("/_mock/snapshot", query_string={"orgId": DEMO_ORG})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_data()


def _restore(s, raw: bytes) -> None:
    resp = s.c.put("/_mock/snapshot", data=raw, content_type="application/json")
    assert resp.status_code == 200 and resp.get_json() == {"restored": "org", "orgId": DEMO_ORG}


def test_the_snapshot_holds_the_runtime_state(state):
    snap = orjson.loads(_snapshot(state))
    data, extras = snap["data"][DEMO_ORG], snap["activity"][DEMO_ORG]["extras"]
    assert list(extras["campaigns"]) == ["camp-1"]
    assert len(next(iter(extras["campaigns"]["camp-1"]["lists"].values()))["contacts"]) == 3
    assert list(extras["dnc"]) == ["main"] and list(extras["callbacks"]) == [state.ids["callback"]]
    by_sub: dict = {}
    for doc in data["webhook-delivery-log"]:
        by_sub.setdefault(doc["subscriptionId"], []).append(doc["entry"]["outcome"])
    (_, up), (_, down) = state.ids["subs"]
    assert by_sub == {up: ["delivered", "delivered"], down: ["failed"]}  # task:new and :parked; the login not
    assert sorted(base64.b64decode(b) for b in snap["blobs"][DEMO_ORG].values()) == sorted(
        [state.sound, state.greeting])


def test_changes_after_the_snapshot_are_undone_byte_for_byte(state):
    before, reads = _snapshot(state), state.read()
    c, cfg = state.c, state.cfg
    version, sid = state.ids["subs"][0]
    assert c.delete(f"/{version}/subscriptions/{sid}", headers=cfg).status_code == 204
    assert c.delete(f"/organization/{DEMO_ORG}/audio-file/{state.ids['audio']}", headers=cfg).status_code == 204
    assert c.delete("/v1/dialer/campaign/camp-1", headers=cfg).status_code == 204
    assert c.delete(f"{DNC}/+15550111", headers=cfg).status_code == 204
    assert state.read() != reads
    _restore(state, before)
    assert state.read() == reads
    assert _snapshot(state) == before


def test_reset_clears_it_and_the_snapshot_brings_it_back_byte_for_byte(state):
    before, reads = _snapshot(state), state.read()
    assert state.c.post(f"/_mock/orgs/{DEMO_ORG}/reset").status_code == 204
    after_reset = state.read()
    for what in ("v1 subscription", "v2 subscription", "v1 deliveries", "v2 deliveries", "audio", "greeting"):
        assert after_reset[what][0] == 404, what
    assert after_reset["contact lists"][0] == 400 and b"CAMPAIGN_NOT_FOUND" in after_reset["contact lists"][1]
    assert after_reset["dnc"][0] == 404 and after_reset["callback"][0] == 404
    assert state.rt.store.blobs.items(DEMO_ORG) == {}
    _restore(state, before)
    assert state.read() == reads
    assert reads["audio bytes"] == (200, state.sound) and reads["greeting bytes"] == (200, state.greeting)
    assert _snapshot(state) == before


def test_a_blob_that_does_not_match_its_id_is_refused_with_nothing_changed(state):
    snap = orjson.loads(_snapshot(state))
    sha = next(iter(snap["blobs"][DEMO_ORG]))
    snap["blobs"][DEMO_ORG][sha] = base64.b64encode(b"other bytes").decode()
    reads = state.read()
    resp = state.c.put("/_mock/snapshot", json=snap)
    assert_webex_error(resp, 400, f"blobs.{DEMO_ORG}.{sha}")
    assert state.read() == reads
