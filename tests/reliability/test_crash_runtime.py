"""Crashes during the runtime state's writes: ``mockserver serve --storage`` SIGKILLed while multipart uploads stream
in, and while webhooks are delivered to a loopback receiver that is sometimes slow and sometimes failing. After
each restart every acknowledged upload is there byte for byte (and every acknowledged delete stays done), every
acknowledged subscription is there, no event vanished from the delivery accounting, and the queue resumes."""
from __future__ import annotations

import hashlib
import json
import os
import random
import threading
import time

import pytest
import requests

from mockserver.storage.audio import wav_bytes

from ..activity.drive import SUPPORT_LINE
from ..conftest import ALL_SCOPES
from ..webhooks.receiver import Receiver
from .http import DEMO_ORG, close_session, mint, session
from .procs import ServerProcess, kill_during

pytestmark = pytest.mark.crash

UPLOAD_ROUNDS = int(os.environ.get("MOCKSERVER_CRASH_UPLOAD_ROUNDS", "4"))
WEBHOOK_ROUNDS = int(os.environ.get("MOCKSERVER_CRASH_WEBHOOK_ROUNDS", "4"))
SEED = int(os.environ.get("MOCKSERVER_CRASH_SEED", "8"))
CONFIG = f"/organization/{DEMO_ORG}"
ENV = {"MOCKSERVER_AUDIO_MAX_FILES": "100000", "MOCKSERVER_WEBHOOK_RETRIES": "2", "MOCKSERVER_WEBHOOK_BACKOFF": "0.1",
       "MOCKSERVER_WEBHOOK_DISABLE_AFTER": "0", "MOCKSERVER_WEBHOOK_TIMEOUT": "2"}


def _sound(tag: int) -> bytes:
    """A WAV of 20 to 200 KB whose bytes are its tag's own (so a mix-up of two uploads shows)."""
    rng = random.Random(tag)
    return wav_bytes(rng.randbytes(rng.randint(20_000, 200_000)), 8000)


def _headers(url: str) -> dict:
    return {"Authorization": f"Bearer {mint(url, scopes=ALL_SCOPES)['access_token']}"}


def _uploads_until_killed(srv, delay: float, prefix: str):
    """3 threads upload audio files (every fourth one deleted again); SIGKILL after ``delay`` s.

    Returns ({id: sha256} acknowledged with 201 and never sent a DELETE, ids whose DELETE was acknowledged).
    """
    headers, acked, doomed, deleted, stop = _headers(srv.url), {}, set(), set(), threading.Event()

    def worker(i):
        n = 0
        while not stop.is_set():
            n += 1
            sound = _sound(hash((prefix, i, n)) & 0xFFFFFFFF)
            info = {"name": f"{prefix}-{i}-{n}.wav", "contentType": "AUDIO_WAV"}
            files = {"audioFileInfo": ("info.json", json.dumps(info), "application/json"),
                     "audioFile": ("prompt.wav", sound, "audio/wav")}
            try:
                resp = session().post(f"{srv.url}{CONFIG}/audio-file", files=files, headers=headers, timeout=60)
                if resp.status_code == 201:
                    aid = resp.json()["id"]
                    acked[aid] = hashlib.sha256(sound).hexdigest()
                    if n % 4 == 0:
                        doomed.add(aid)  # a delete cut by the kill may or may not have happened
                        gone = session().delete(f"{srv.url}{CONFIG}/audio-file/{aid}", headers=headers, timeout=60)
                        if gone.status_code == 204:
                            deleted.add(aid)
                else:
                    assert resp.status_code < 500, resp.text
            except requests.RequestException:
                return  # the server is gone: what was not answered was not acknowledged
            finally:
                close_session()

    kill_during(srv, stop, delay, [threading.Thread(target=worker, args=(i,)) for i in range(3)])
    return {k: v for k, v in acked.items() if k not in doomed}, deleted


def test_sigkill_during_uploads_keeps_every_acknowledged_upload_byte_for_byte(tmp_path):
    path, rng, expected, gone = str(tmp_path / "state.json"), random.Random(SEED), {}, set()
    for round_ in range(UPLOAD_ROUNDS):
        with ServerProcess(path, **ENV) as srv:
            acked, deleted = _uploads_until_killed(srv, rng.uniform(0.5, 1.5), f"r{round_}")
        expected.update(acked)
        gone |= deleted
        with ServerProcess(path, **ENV) as srv:  # the restart must succeed on whatever the kill left
            headers = _headers(srv.url)
            for aid, sha in expected.items():
                doc = session().get(f"{srv.url}{CONFIG}/audio-file/{aid}?includeUrl=true", headers=headers, timeout=60)
                assert doc.status_code == 200, f"round {round_}: acknowledged upload {aid} lost: {doc.text}"
                blob = session().get(doc.json()["url"], timeout=60)
                assert blob.status_code == 200 and hashlib.sha256(blob.content).hexdigest() == sha, aid
            for aid in gone:
                doc = session().get(f"{srv.url}{CONFIG}/audio-file/{aid}", headers=headers, timeout=60)
                assert doc.status_code == 404, f"round {round_}: acknowledged delete of {aid} undone"
            close_session()
            srv.kill()
    assert len(expected) > UPLOAD_ROUNDS  # uploads really happened between the kills
    print(f"\n{UPLOAD_ROUNDS} SIGKILLs during uploads, {len(expected)} uploads kept, {len(gone)} deletes kept")


def _accounting(srv, headers, subs) -> dict:
    """Per subscription: its delivery totals and log (every acknowledged subscription must be there)."""
    out = {}
    for version, sid in subs:
        assert session().get(f"{srv.url}/{version}/subscriptions/{sid}", headers=headers,
                             timeout=60).status_code == 200, f"acknowledged subscription {sid} lost"
        resp = session().get(f"{srv.url}/_mock/webhooks/{DEMO_ORG}/{version}/subscriptions/{sid}/deliveries",
                             timeout=60)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        t = body["totals"]
        assert t["accepted"] == t["delivered"] + t["failed"] + t["dropped"] + body["pending"], (sid, body)
        out[sid] = body
    return out


def _contacts_until_killed(srv, headers, delay: float, subs: list, round_: int) -> None:
    """A new subscription, then contacts arriving (each publishes task events) until the SIGKILL."""
    version = "v2" if round_ % 2 else "v1"
    body = {"name": f"Crash hooks {round_}", "eventTypes": ["task:new", "task:parked", "task:ended"],
            "destinationUrl": subs[0][2]}
    if version == "v2":
        body["resourceVersion"] = "task:1.0.0"
    resp = session().post(f"{srv.url}/{version}/subscriptions", json=body, headers=headers, timeout=60)
    assert resp.status_code == 201, resp.text
    subs.append((version, resp.json()["data"]["id"], subs[0][2]))
    stop = threading.Event()

    def worker():
        while not stop.is_set():
            try:
                resp = session().post(f"{srv.url}/_mock/activity/{DEMO_ORG}/contacts", timeout=60,
                                      json={"entryPointId": SUPPORT_LINE, "patience": 1})
                assert resp.status_code < 500, resp.text
            except requests.RequestException:
                return
            finally:
                close_session()

    kill_during(srv, stop, delay, [threading.Thread(target=worker) for _ in range(2)])


def test_sigkill_during_webhook_delivery_loses_no_event_and_the_queue_resumes(tmp_path):
    path, rng = str(tmp_path / "state.json"), random.Random(SEED)
    receiver = Receiver()
    receiver.answers = [rng.choice([(200, 0.0), (200, 0.0), (200, 0.05), (503, 0.0)]) for _ in range(100_000)]
    subs, accepted, resumed = [(None, None, receiver.url)], {}, 0
    try:
        for round_ in range(WEBHOOK_ROUNDS):
            with ServerProcess(path, **ENV) as srv:
                _contacts_until_killed(srv, _headers(srv.url), rng.uniform(0.3, 1.0), subs, round_)
            with ServerProcess(path, **ENV) as srv:  # the restart loads; the queue left by the kill is sent
                headers, mine = _headers(srv.url), [(v, s) for v, s, _ in subs[1:]]
                found = _accounting(srv, headers, mine)
                resumed += sum(b["pending"] for b in found.values())
                for sid, body in found.items():
                    assert body["totals"]["accepted"] >= accepted.get(sid, 0), f"{sid}: accepted events forgotten"
                deadline = time.monotonic() + 60
                while any(b["pending"] for b in found.values()) and time.monotonic() < deadline:
                    time.sleep(0.2)
                    found = _accounting(srv, headers, mine)
                assert not any(b["pending"] for b in found.values()), "the queue did not resume after the restart"
                received = {(r["json"]["source"].rsplit("/", 1)[1], r["json"]["id"]) for r in receiver.wait_for(0)}
                for sid, body in found.items():
                    accepted[sid] = body["totals"]["accepted"]
                    delivered = {(sid, e["eventId"]) for e in body["deliveries"] if e["outcome"] == "delivered"}
                    assert delivered <= received, f"{sid}: logged as delivered but never received"
                close_session()
                srv.kill()
    finally:
        receiver.close()
    total = sum(accepted.values())
    assert total > WEBHOOK_ROUNDS  # events really flowed between the kills
    print(f"\n{WEBHOOK_ROUNDS} SIGKILLs during webhook delivery, {total} events accepted for {len(accepted)} "
          f"subscriptions, {resumed} queued at a kill and sent after the restart, none vanished")
