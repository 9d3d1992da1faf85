"""With ``storage=FILE`` the runtime state survives a restart: subscriptions with their delivery log and totals,
uploaded audio (byte for byte), campaigns with contact lists, DNC lists, callbacks (the crash test SIGKILLs)."""
from __future__ import annotations

import base64
import hashlib

from mockserver import create_app

from ..webhooks.receiver import Receiver
from .runtime_state import LivingState


def _app(path):
    return create_app({"access_log": False, "storage": str(path), "webhook_backoff": 0.05})


def test_a_restart_reads_back_everything_a_client_wrote(tmp_path):
    path, receiver = tmp_path / "state.json", Receiver()
    try:
        first = LivingState(_app(path)).build(receiver)
        reads = first.read()
        first.rt.store.close()
    finally:
        receiver.close()
    again = LivingState(_app(path))
    again.ids = first.ids
    assert again.read() == reads
    assert reads["audio bytes"] == (200, first.sound) and reads["greeting bytes"] == (200, first.greeting)
    stored = {p.name: p.read_bytes() for p in (tmp_path / "state.json.blobs").rglob("*") if p.is_file()}
    assert stored == {hashlib.sha256(b).hexdigest(): b for b in (first.sound, first.greeting)}  # beside the log
    log = b"".join(p.read_bytes() for p in tmp_path.glob("state.json*") if p.is_file())
    assert base64.b64encode(first.sound) not in log and len(log) < 2_000_000  # and never in it
