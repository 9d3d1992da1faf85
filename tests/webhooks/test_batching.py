"""Answers in batches: the delivery process sends at once only the answers its parent acts on (a failure, a job
handed back, a subscription left with ``REFILL`` jobs or fewer, which the parent tops up) and gathers the others
up to ``GATHER_MAX_S``; the parent's reader wakes the pump only for those (a slow receiver's answers woke both
processes every few milliseconds for nothing to do)."""
from __future__ import annotations

import os
import select
import threading
import time

from mockserver.webhooks import child, pump

from .conftest import Hooks

KEY = ("org", "v1", "sub")


class GatedSender:
    """Answers one post per ``release``, with the status given (200 unless told)."""

    def __init__(self):
        self.gate = threading.Semaphore(0)
        self.statuses: list = []

    def post(self, key, url, body, headers, checked):
        self.gate.acquire()
        status = self.statuses.pop(0) if self.statuses else 200
        return status, None if status == 200 else f"receiver answered {status}"

    def close(self, key):
        pass


def _child(monkeypatch, gather_max: float):
    monkeypatch.setattr(child, "GATHER_MAX_S", gather_max)
    read_fd, write_fd = os.pipe()
    sender = GatedSender()
    c = child.Child(sender, write_fd)
    for target in (c.answer, c.work):  # one worker: the order of the answers is the order of the jobs
        threading.Thread(target=target, daemon=True).start()
    return c, sender, read_fd


def _jobs(c, n: int) -> None:
    for i in range(n):
        c.take(("job", i + 1, KEY, 0, i, "http://127.0.0.1:9/hooks", b"{}", {}, ()))


def _answers(read_fd, frames, want: int, timeout: float) -> list:
    got, deadline = [], time.monotonic() + timeout
    while len(got) < want and time.monotonic() < deadline:
        ready, _, _ = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            for batch in frames.feed(os.read(read_fd, 1 << 20)):
                got.extend(batch)
    return got


def test_answers_that_leave_more_than_refill_jobs_wait_and_the_one_down_to_refill_brings_them(monkeypatch):
    c, sender, read_fd = _child(monkeypatch, gather_max=30.0)
    frames = child.Frames()
    _jobs(c, child.REFILL + 3)
    sender.gate.release(2)  # two answers, each leaving more than REFILL jobs held: nothing for the parent to do
    assert _answers(read_fd, frames, 1, 0.5) == []
    sender.gate.release(1)  # the third leaves REFILL held: the parent tops the subscription up, so all three go
    got = _answers(read_fd, frames, 3, 10)
    assert [(a[0], a[1], a[2]) for a in got] == [(1, True, 200), (2, True, 200), (3, True, 200)]
    sender.gate.release(1)  # below REFILL now: each answer goes without waiting
    assert [a[0] for a in _answers(read_fd, frames, 1, 10)] == [4]


def test_a_gathered_answer_goes_within_gather_max(monkeypatch):
    c, sender, read_fd = _child(monkeypatch, gather_max=0.3)
    frames = child.Frames()
    _jobs(c, child.REFILL + 8)
    started = time.monotonic()  # before the answer is made: it cannot go sooner than GATHER_MAX_S after this
    sender.gate.release(1)
    got = _answers(read_fd, frames, 1, 10)
    assert [a[0] for a in got] == [1] and time.monotonic() - started >= 0.3


def test_a_failed_answer_goes_at_once_with_the_jobs_it_hands_back(monkeypatch):
    c, sender, read_fd = _child(monkeypatch, gather_max=30.0)
    frames = child.Frames()
    n = child.REFILL + 8
    _jobs(c, n)
    sender.statuses = [200, 500]
    sender.gate.release(2)  # the first delivered (gathered), the second fails: the parent retries, so now
    got = _answers(read_fd, frames, n, 10)
    assert [(a[0], a[1], a[2]) for a in got] == [(1, True, 200), (2, True, 500),
                                                 *((i, False, None) for i in range(3, n + 1))]


def test_the_pump_is_woken_only_by_answers_it_acts_on(monkeypatch):
    hooks = Hooks(webhook_delivery="process", webhook_retries=3, webhook_backoff=60, webhook_disable_after=0)
    workers = hooks.rt.webhooks.workers
    monkeypatch.setattr(workers, "start", lambda: None)  # no delivery process: the jobs are made up here
    hooks.subscribe("http://127.0.0.1:9/hooks", ["agent:login"])
    n = pump.REFILL + 4
    for i in range(n):
        hooks.publish("agent:login", 1000 + i, agentId=f"a{i}")
    dp = hooks.rt.webhooks
    [key] = dp._queues
    with dp._cond:
        for jid, d in enumerate(dp._queues[key], 1):
            d.sent = True
            workers._jobs[jid] = (key, d, None)
            workers._inflight[key] += 1
            dp._busy.add(key)
        woke = [workers._apply([(jid, True, 200, None, 1.0)]) for jid in range(1, 6)]
        assert woke == [False, False, False, True, True]  # 35, 34, 33 in flight: nothing to hand; 32: refill
        assert workers._apply([(6, True, 503, "receiver answered 503", 1.0)]) is True  # a retry is due
    totals = hooks.log(key[2])["totals"]
    assert (totals["delivered"], totals["retrying"]) == (5, 1)
