"""The delivery process (``python -m mockserver.webhooks.child TIMEOUT HOSTS``): it only does the HTTP.

The API's process keeps the queue and every rule (``pump.py``) and writes jobs to this process's stdin; each job
is one delivery with its URL, headers, exact body bytes and the addresses the parent resolved and checked. Here,
per subscription, the job with the earliest event time goes first, one at a time, on the subscription's kept-alive
connection (``sender.py``); each answer goes back on stdout as ``(job id, attempted, status, error, latency ms)``,
gathered so the API's process wakes up for a batch, not for every delivery: at once (but ``GATHER_S`` after the
last batch) when the parent has something to do with it (a failed attempt, a job handed back, or a subscription
left with ``REFILL`` jobs or fewer here, which the parent tops up), else within ``GATHER_MAX_S``. After a failed
attempt the subscription's other jobs come back not attempted (the parent's retry holds them back); so do the jobs
of a subscription the parent closes. End of stdin (the parent stopped, or was killed) ends this process at once.
"""
from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import threading
import time

_LEN = struct.Struct(">I")
WORKERS = 2  # subscriptions served at once (as many as the in-process threads)
GATHER_S = 0.005  # answers wait this long for more to go back with them
# Answers the parent only books (delivered, the subscription still has more than REFILL jobs here) wait up to this
# long: a receiver slower than the events (the paced row) woke the API's process every 5 ms, about one delivery in
# three; now once per REFILL (docs/performance.md, Webhook delivery).
GATHER_MAX_S = 0.025
WINDOW = 64  # jobs of one subscription the parent hands over at most (``pump.py``)
REFILL = WINDOW // 2  # the parent tops a subscription up once this few of its jobs are unanswered


def frame(obj) -> bytes:
    """One message on a pipe: its length, then its pickle (both ends are this package)."""
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _LEN.pack(len(data)) + data


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class Frames:
    """Whole messages out of the bytes read from a pipe, as many as each read brought."""

    def __init__(self):
        self._buf = bytearray()

    def feed(self, data: bytes) -> list:
        self._buf += data
        out, buf, pos = [], self._buf, 0
        while len(buf) - pos >= 4:
            (size,) = _LEN.unpack_from(buf, pos)
            if len(buf) - pos - 4 < size:
                break
            out.append(pickle.loads(bytes(buf[pos + 4:pos + 4 + size])))
            pos += 4 + size
        del buf[:pos]
        return out


class Child:
    """Jobs by subscription, the workers that send them and the answers waiting to go back."""

    def __init__(self, sender, out_fd: int):
        self.sender, self.out_fd = sender, out_fd
        self.cond = threading.Condition()  # the jobs; the workers wait on it
        self.said = threading.Condition(self.cond)  # the same lock: the answer thread waits on this one
        self.pending: dict[tuple, list] = {}  # subscription -> jobs, earliest event first
        self.busy: set = set()
        self.halted: dict[tuple, int] = {}  # subscription -> the generation whose attempt failed
        self.closing: set = set()
        self.answers: list = []
        self.urgent = False  # an answer the parent acts on waits (not only books): the batch goes now

    def take(self, msg) -> None:
        """One message of the parent: ``("job", id, key, gen, order, url, body, headers, addresses)`` or
        ``("close", key)``."""
        with self.cond:
            if msg[0] == "close":
                self._skip_all(msg[1])
                if msg[1] in self.busy:
                    self.closing.add(msg[1])
                else:
                    self.sender.close(msg[1])
            elif msg[3] <= self.halted.get(msg[2], -1):
                self.answers.append((msg[1], False, None, None, None))
                self.urgent = True
            else:
                jobs = self.pending.setdefault(msg[2], [])
                i = len(jobs)
                while i and jobs[i - 1][4] > msg[4]:  # by event time (arrivals are nearly always in order)
                    i -= 1
                jobs.insert(i, msg)
                if len(jobs) == 1 and msg[2] not in self.busy:
                    self.cond.notify()  # one worker for a subscription that became ready (no idle thread woken)
            if self.answers:
                self.said.notify()

    def _skip_all(self, key) -> None:
        for job in self.pending.pop(key, ()):
            self.answers.append((job[1], False, None, None, None))
            self.urgent = True

    def _next(self):
        for key, jobs in self.pending.items():
            if key not in self.busy:
                job = jobs.pop(0)
                if not jobs:
                    del self.pending[key]
                self.busy.add(key)
                return job
        return None

    def work(self) -> None:
        while True:
            with self.cond:
                job = self._next()
                while job is None:
                    self.cond.wait()
                    job = self._next()
            _, jid, key, gen, _, url, body, headers, checked = job
            started = time.monotonic()
            try:
                status, error = self.sender.post(key, url, body, headers, checked)
            except Exception as exc:  # a bug must not stop the worker: the parent logs it as a failed attempt
                status, error = None, f"internal error: {type(exc).__name__}"
            latency = round((time.monotonic() - started) * 1000, 1)
            with self.cond:
                self.busy.discard(key)
                first = not self.answers
                self.answers.append((jid, True, status, error, latency))
                if status is None or not 200 <= status < 300:
                    self.halted[key] = gen  # the parent retries or gives up: later events wait for its word
                    self._skip_all(key)
                    self.urgent = True
                elif len(self.pending.get(key, ())) <= REFILL:
                    self.urgent = True
                if key in self.closing:
                    self.closing.discard(key)
                    self.sender.close(key)
                if first or self.urgent:
                    self.said.notify()

    def answer(self) -> None:
        while True:
            with self.cond:
                while not self.answers:
                    self.said.wait()
                until = time.monotonic() + GATHER_MAX_S
                while not self.urgent:
                    left = until - time.monotonic()
                    if left <= 0:
                        break
                    self.said.wait(left)
                batch, self.answers, self.urgent = self.answers, [], False
            write_all(self.out_fd, frame(batch))
            time.sleep(GATHER_S)


def main(argv: list[str]) -> None:
    from . import urls
    from .sender import Sender

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl+C is for the server; it ends this by EOF
    out_fd = os.dup(1)
    os.dup2(2, 1)  # nothing printed by accident can corrupt the answers: they have a descriptor of their own
    child = Child(Sender(float(argv[0]), urls.allowed_hosts(argv[1] if len(argv) > 1 else "")), out_fd)
    for target in [child.answer] + [child.work] * WORKERS:
        threading.Thread(target=target, daemon=True).start()
    frames, fd = Frames(), sys.stdin.fileno()
    while True:
        try:
            data = os.read(fd, 1 << 20)
        except OSError:
            data = b""
        if not data:
            os._exit(0)  # the parent is gone: whatever is unanswered is still in its (durable) queue
        for batch in frames.feed(data):
            for msg in batch:
                child.take(msg)


if __name__ == "__main__":
    main(sys.argv[1:])
