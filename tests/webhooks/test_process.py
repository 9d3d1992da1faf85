"""The delivery process (``MOCKSERVER_WEBHOOK_DELIVERY=process``): killed mid-delivery it is started again and no
event vanishes; it ends when idle and when its parent goes; a platform that cannot start it delivers from threads."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mockserver.webhooks import pump

from .conftest import Hooks
from .receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]


def _wait(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def test_a_killed_delivery_process_is_started_again_and_its_delivery_retried_in_order():
    hooks = Hooks(webhook_delivery="process", webhook_retries=1, webhook_backoff=0.05, webhook_disable_after=0)
    receiver = Receiver()
    receiver.answers = [(200, 1.5)]  # the first delivery is on the wire when the process is killed
    try:
        sub = hooks.subscribe(receiver.url, ["agent:login"])
        events = [hooks.publish("agent:login", 1000 + i, agentId=f"a{i}") for i in range(3)]
        assert len(receiver.wait_for(1)) == 1
        first = hooks.rt.webhooks.workers.proc
        os.kill(first.pid, signal.SIGKILL)
        reqs = receiver.wait_for(4)
        assert hooks.rt.webhooks.wait_idle(10)
        assert [r["json"]["id"] for r in reqs] == [events[0].id, events[0].id, events[1].id, events[2].id]
        assert len({r["raw"] for r in reqs[:2]}) == 1  # the retry sends the same bytes
        log = hooks.log(sub["id"])
        assert [(e["eventId"], e["attempt"], e["outcome"]) for e in log["deliveries"]] == [
            (events[0].id, 1, "retrying"), (events[0].id, 2, "delivered"), (events[1].id, 1, "delivered"),
            (events[2].id, 1, "delivered")]
        assert "delivery process ended (exit code -9)" in log["deliveries"][0]["error"]
        assert log["totals"] == {"accepted": 3, "delivered": 3, "retrying": 1, "failed": 0, "dropped": 0}
        assert first.poll() == -signal.SIGKILL and hooks.rt.webhooks.workers.proc.pid != first.pid
    finally:
        receiver.close()


def test_without_retries_the_killed_delivery_is_a_failed_attempt_and_the_others_still_go():
    hooks = Hooks(webhook_delivery="process", webhook_retries=0, webhook_disable_after=0)
    receiver = Receiver()
    receiver.answers = [(200, 1.5)]
    try:
        sub = hooks.subscribe(receiver.url, ["agent:login"])
        events = [hooks.publish("agent:login", 1000 + i, agentId=f"a{i}") for i in range(3)]
        assert len(receiver.wait_for(1)) == 1
        os.kill(hooks.rt.webhooks.workers.proc.pid, signal.SIGKILL)
        reqs = receiver.wait_for(3)
        assert hooks.rt.webhooks.wait_idle(10)
        assert [r["json"]["id"] for r in reqs] == [e.id for e in events]
        assert [e["outcome"] for e in hooks.log(sub["id"])["deliveries"]] == ["failed", "delivered", "delivered"]
    finally:
        receiver.close()


def test_an_idle_delivery_process_ends_and_the_next_event_starts_another(monkeypatch, receiver):
    monkeypatch.setattr(pump, "IDLE_S", 0.3)
    hooks = Hooks(webhook_delivery="process")
    sub = hooks.subscribe(receiver.url, ["agent:login"])
    hooks.publish("agent:login", 1000, agentId="a1")
    assert len(receiver.wait_for(1)) == 1 and hooks.rt.webhooks.wait_idle(5)
    first = hooks.rt.webhooks.workers.proc
    assert _wait(lambda: first.poll() is not None) and first.returncode == 0  # it ended by itself (end of input)
    assert hooks.rt.webhooks.workers.proc is None
    hooks.publish("agent:login", 2000, agentId="a2")
    assert len(receiver.wait_for(2)) == 2 and hooks.rt.webhooks.wait_idle(5)
    assert hooks.log(sub["id"])["totals"]["delivered"] == 2


def test_the_delivery_process_ends_with_its_parent(tmp_path, receiver):
    """A parent SIGKILLed mid-delivery: its delivery process sees the end of its input and ends at once."""
    script = tmp_path / "parent.py"
    script.write_text(f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
from tests.webhooks.conftest import Hooks
hooks = Hooks(webhook_delivery="process")
hooks.subscribe({receiver.url!r}, ["agent:login"])
hooks.publish("agent:login", 1000, agentId="a1")
while hooks.rt.webhooks.workers.proc is None:
    time.sleep(0.01)
print(hooks.rt.webhooks.workers.proc.pid, flush=True)
time.sleep(60)
""")
    receiver.default = (200, 3.0)  # the delivery is in flight when the parent is killed
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert len(receiver.wait_for(1)) == 1
    finally:
        parent.kill()
        parent.wait(10)
    assert _wait(lambda: not _alive(child), 5), "the delivery process outlived its parent"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_platform_that_cannot_start_the_process_delivers_from_threads(monkeypatch, receiver):
    monkeypatch.setattr(pump.sys, "executable", "/nonexistent/python")
    hooks = Hooks(webhook_delivery="process")
    sub = hooks.subscribe(receiver.url, ["agent:login"])
    event = hooks.publish("agent:login", 1000, agentId="a1")
    [req] = receiver.wait_for(1)
    assert req["json"]["id"] == event.id and hooks.rt.webhooks.wait_idle(5)
    assert hooks.rt.webhooks.workers.fallback is not None and hooks.rt.webhooks.workers.proc is None
    assert hooks.log(sub["id"])["deliveries"][0]["outcome"] == "delivered"


def test_a_delivery_process_that_cannot_run_here_gives_way_to_threads(monkeypatch, receiver):
    monkeypatch.setattr(pump, "CHILD", "mockserver.webhooks.no_such_module")  # each one ends at once, unanswered
    hooks = Hooks(webhook_delivery="process", webhook_retries=5, webhook_backoff=0.05, webhook_disable_after=0)
    sub = hooks.subscribe(receiver.url, ["agent:login"])
    event = hooks.publish("agent:login", 1000, agentId="a1")
    [req] = receiver.wait_for(1, timeout=60)  # three interpreters start and fail first (slow on a loaded machine)
    assert req["json"]["id"] == event.id and hooks.rt.webhooks.wait_idle(10)
    log = hooks.log(sub["id"])["deliveries"]
    assert [(e["attempt"], e["outcome"]) for e in log] == [(1, "retrying"), (2, "retrying"), (3, "retrying"),
                                                           (4, "delivered")]
    assert all("delivery process ended (exit code 1)" in e["error"] for e in log[:3])
    assert hooks.rt.webhooks.workers.fallback is not None


def test_an_internal_error_fails_that_delivery_and_the_others_still_go(monkeypatch, receiver):
    real, calls = pump.headers, []

    def flaky(sub, d):
        calls.append(d.event_id)
        if len(calls) == 1:
            raise RuntimeError("a bug")
        return real(sub, d)

    monkeypatch.setattr(pump, "headers", flaky)
    hooks = Hooks(webhook_delivery="process", webhook_disable_after=0)
    sub = hooks.subscribe(receiver.url, ["agent:login"])
    first, second = (hooks.publish("agent:login", 1000 + i, agentId=f"a{i}") for i in range(2))
    [req] = receiver.wait_for(1)
    assert req["json"]["id"] == second.id and hooks.rt.webhooks.wait_idle(5)
    log = hooks.log(sub["id"])["deliveries"]
    assert [(e["eventId"], e["outcome"], e["error"]) for e in log] == [
        (first.id, "failed", "internal error: RuntimeError"), (second.id, "delivered", None)]


def test_an_earlier_event_goes_before_the_later_ones_the_delivery_process_holds():
    """More than ``REFILL`` held (a slow receiver): the queue is topped up only then, but never past an earlier
    event that came meanwhile (the delivery process sends the earliest it holds first)."""
    hooks = Hooks(webhook_delivery="process", webhook_disable_after=0)
    receiver = Receiver()
    receiver.gate.clear()
    try:
        hooks.subscribe(receiver.url, ["agent:login"])
        later = [hooks.publish("agent:login", 10_000 + i, agentId=f"a{i}") for i in range(pump.REFILL + 8)]
        assert len(receiver.wait_for(1)) == 1  # the first on the wire, the others held by the delivery process
        assert _wait(lambda: hooks.rt.webhooks.workers._inflight.total() == len(later))
        earlier = hooks.publish("agent:login", 5_000, agentId="early")
        time.sleep(0.2)  # handed over (or not) while the first still waits for its answer
        receiver.gate.set()
        reqs = receiver.wait_for(len(later) + 1)
        assert hooks.rt.webhooks.wait_idle(10)
        assert [r["json"]["id"] for r in reqs] == [later[0].id, earlier.id, *(e.id for e in later[1:])]
    finally:
        receiver.close()
