"""Webhook delivery from a process of its own (``MOCKSERVER_WEBHOOK_DELIVERY=process``, the default).

The queue, its order and every rule stay in the dispatcher (``delivery.py``); this module hands the delivery
process (``child.py``) up to ``WINDOW`` ready deliveries per subscription, earliest event first, each with its
URL, headers, exact body bytes and the addresses resolved and checked here (``urls.addresses``, at every
hand-over: no rebinding), and applies the answers in batches. In the thread mode every socket operation gave up
the API's GIL and had to win it back from the request threads; here the API's process wakes up once per batch of
answers. A failed attempt makes the delivery process hand back the subscription's other deliveries unsent, so a
retry still holds the later events back. A delivery process that dies is started again; of each subscription's
deliveries it held, the earliest counts as a failed attempt (the retry rules apply) and the others go back to
the queue untried: nothing vanishes. It stops after ``IDLE_S`` without work and starts again with the next event.
"""
from __future__ import annotations

import collections
import itertools
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import subscriptions, urls
from .child import REFILL, WINDOW, Frames, frame, write_all
from .envelope import headers

log = logging.getLogger("mockserver.webhooks")
# WINDOW (child.py): deliveries of one subscription handed over at most (also: sent at most after a delete or
# disable). REFILL (child.py): a subscription is topped up once the delivery process holds this few of it (or an
# earlier event waits): a slow receiver's answers then cost one hand-over per 32, not one each (each was a wake-up
# of the pump, a look-up of the subscription, its address checked and a frame written; docs/performance.md,
# Webhook delivery). The delivery process sends its answers at once when they bring a subscription down to it.
IDLE_S = 5.0  # the delivery process stops after this long without work
RESTART_S = 0.2  # wait before starting a delivery process again after one died
SILENT_DEATHS = 3  # delivery processes ending in a row without one answer: this platform cannot run one
CHILD = "mockserver.webhooks.child"  # the module the delivery process runs
_ROOT = str(Path(__file__).resolve().parents[2])  # where ``mockserver`` is importable from


class ProcessWorkers:
    """The parent's side: one pump thread hands deliveries over, one thread per child reads the answers."""

    def __init__(self, dispatcher):
        self.dp = dispatcher
        self.proc: subprocess.Popen | None = None
        self.fallback = None  # threads of this process, when no delivery process can be started
        self._thread: threading.Thread | None = None
        self._jobs: dict[int, tuple] = {}  # job id -> (key, delivery, the process it went to)
        self._inflight: collections.Counter = collections.Counter()
        self._draining: set = set()  # a failed attempt: nothing more goes until every handed delivery is back
        self._gen: collections.Counter = collections.Counter()  # per subscription, raised by each failed attempt
        self._ids = itertools.count(1)
        self._controls: list = []
        self._restart_at = 0.0
        self._active_at = time.monotonic()
        self._answered: set = set()  # the processes that answered at least once
        self._silent = 0  # delivery processes in a row that ended without a single answer

    # -- what the dispatcher calls (its condition held, but close) ----------------------------------------
    def start(self) -> None:
        if self.fallback is not None:
            return self.fallback.start()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="webhook-pump", daemon=True)
            self._thread.start()

    def first_free(self, key) -> int:
        """Where a new delivery may go in its queue: anywhere (the delivery process sends the earliest it holds)."""
        return self.fallback.first_free(key) if self.fallback is not None else 0

    def close(self, key) -> None:
        """A subscription went away: the delivery process drops what it holds of it and its connection."""
        if self.fallback is not None:
            return self.fallback.close(key)
        with self.dp._cond:
            self._controls.append(("close", key))
            self.dp._cond.notify_all()

    # -- the pump thread ------------------------------------------------------------------------------------
    def _run(self) -> None:
        dp = self.dp
        while self.fallback is None:
            with dp._cond:
                picked, wait = self._pick()
                while not picked and not self._controls:
                    if self.proc is not None and not self._jobs and time.monotonic() - self._active_at > IDLE_S:
                        self._stop()
                    dp._cond.wait(wait if wait is not None else IDLE_S)
                    if self.fallback is not None:  # a dead delivery process gave way to threads meanwhile:
                        return  # they deliver from now on (another process started here would race them)
                    picked, wait = self._pick()
                controls, self._controls = self._controls, []
            checked = {key: _resolve(sub["destinationUrl"], dp.extra_hosts) for key, sub in picked}
            with dp._cond:
                msgs = controls + self._hand_over(picked, checked)
                proc = self.proc
            if msgs and proc is not None:
                try:
                    write_all(proc.stdin.fileno(), frame(msgs))
                except (OSError, ValueError):
                    pass  # it died: its reader accounts for what it held
            elif not msgs:
                time.sleep(0.01)  # nothing could go (e.g. refused while others are in flight): no busy loop

    def _pick(self):
        """``([(key, subscription)] ready to hand over, seconds until the next is due)`` (condition held)."""
        dp, now, picked, wait = self.dp, time.monotonic(), [], None
        if self.proc is None and now < self._restart_at:
            return [], self._restart_at - now
        for key, due in list(dp._due.items()):
            if due > now:
                wait = min(wait or due - now, due - now)
                continue
            queue, held = dp._queues.get(key), self._inflight[key]
            if key in self._draining or held >= WINDOW or not queue or held >= len(queue) or (
                    held > REFILL and queue[0].sent):
                continue
            sub = dp.store.get(key[0], subscriptions.KINDS[key[1]], key[2])
            if sub is None:  # deleted, or gone with an organisation reset: nothing of it is kept
                dp.forget(*key, busy_ok=True)
            elif sub.get("status") != "active":
                dp._drop_all(key, "subscription inactive")
                self._controls.append(("close", key))
            else:
                picked.append((key, sub))
        return picked, wait

    def _hand_over(self, picked, checked) -> list:
        """The jobs for the picked subscriptions, marked in flight (condition held)."""
        dp, msgs = self.dp, []
        if self.fallback is not None:  # threads took over while the addresses were resolved: they deliver these
            return msgs
        for key, sub in picked:
            queue = dp._queues.get(key)
            if not queue or key in self._draining:
                continue
            found = checked[key]
            if isinstance(found, urls.RefusedUrl):  # refused at delivery: a failed attempt, as in the threads
                if not self._inflight[key]:
                    d = next(d for d in queue if not d.sent)
                    d.attempt += 1
                    dp._outcome(key, d, None, str(found), 0.0)
                continue
            if self.proc is None and not self._spawn():
                return []
            room = WINDOW - self._inflight[key]
            for d in queue:
                if room <= 0:
                    break
                if d.sent:
                    continue
                try:
                    job = ("job", next(self._ids), key, self._gen[key], d.order, sub["destinationUrl"], d.body,
                           headers(sub, d), found)
                except Exception as exc:  # a bug must not stop the pump: this delivery fails, the others go on
                    log.exception("webhook delivery failed unexpectedly (%s)", d.event_id)
                    dp._log(key, d, "failed", error=f"internal error: {type(exc).__name__}")
                    dp._done(key, d)
                    break
                d.sent, room = True, room - 1
                self._jobs[job[1]] = (key, d, self.proc)
                self._inflight[key] += 1
                dp._busy.add(key)
                msgs.append(job)
        if msgs:
            self._active_at = time.monotonic()
        return msgs

    # -- the delivery process -----------------------------------------------------------------------------------
    def _spawn(self) -> bool:
        cfg = self.dp.config
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)}
        try:
            proc = subprocess.Popen([sys.executable, "-m", CHILD, str(cfg.webhook_timeout),
                                     cfg.webhook_allowed_hosts], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    env=env, close_fds=True, start_new_session=True)
        except OSError as exc:  # no way to start one here: deliver from this process's threads instead
            from .threads import ThreadWorkers

            log.warning("webhook delivery process could not start (%s): delivering from threads", exc)
            self.fallback = ThreadWorkers(self.dp)
            self.fallback.start()
            return False
        self.proc = proc
        threading.Thread(target=self._read, args=(proc,), name="webhook-answers", daemon=True).start()
        return True

    def _stop(self) -> None:
        """Idle: end the delivery process (it ends on the end of its input); the next event starts one."""
        proc, self.proc = self.proc, None
        try:
            proc.stdin.close()
        except OSError:
            pass

    def _read(self, proc) -> None:
        frames = Frames()
        while True:
            try:
                data = os.read(proc.stdout.fileno(), 1 << 20)
            except (OSError, ValueError):
                data = b""
            if not data:
                break
            batches = frames.feed(data)
            self._answered.add(proc.pid)
            with self.dp._cond:
                wake = False
                for batch in batches:
                    wake = self._apply(batch) or wake
                if wake:  # not per batch: a slow receiver's pump then wakes once per REFILL answers, not each
                    self.dp._cond.notify_all()
        code = proc.wait()
        for pipe in (proc.stdout, proc.stdin):
            try:
                pipe.close()
            except OSError:
                pass
        with self.dp._cond:
            self._died(proc, code)
            self.dp._cond.notify_all()

    def _apply(self, answers) -> bool:
        """Answers ``(job id, attempted, status, error, latency ms)``, in the order they were made. True when the
        condition's waiters have something new to see: the pump may hand a subscription more (it holds
        ``REFILL`` or fewer in flight, or a failure or a handed-back job changed its queue), or a queue emptied
        (``wait_idle``). A delivered answer of a subscription that still has more than ``REFILL`` in flight
        changes nothing the pump would act on (``_pick`` skips it)."""
        dp, wake = self.dp, False
        for jid, attempted, status, error, latency in answers:
            job = self._jobs.pop(jid, None)
            if job is None:
                continue
            key, d, _ = job
            d.sent = False
            ok = attempted and status is not None and 200 <= status < 300
            if attempted and not ok:
                self._gen[key] += 1  # the delivery process hands back the rest of this generation unsent
                self._draining.add(key)
            if attempted and dp.holds(key, d):  # not dropped or deleted meanwhile
                d.attempt += 1
                dp._outcome(key, d, status, error, latency)
            self._release(key)
            if not ok or self._inflight.get(key, 0) <= REFILL or key not in dp._queues:
                wake = True
        self._active_at = time.monotonic()
        return wake

    def _release(self, key) -> None:
        self._inflight[key] -= 1
        if self._inflight[key] <= 0:
            del self._inflight[key]
            self._draining.discard(key)
            self.dp._busy.discard(key)

    def _died(self, proc, code: int) -> None:
        """The delivery process ended: what it held goes back to the queue, its earliest per subscription as a
        failed attempt (it may have been on the wire)."""
        if self.proc is proc:
            self.proc = None
        earliest: dict = {}
        for jid, (key, d, owner) in list(self._jobs.items()):
            if owner is proc:
                del self._jobs[jid]
                d.sent = False
                self._gen[key] += 1
                self._release(key)
                if key not in earliest or d.order < earliest[key].order:
                    earliest[key] = d
        if earliest:
            log.warning("webhook delivery process ended (exit code %s) with %d subscriptions' deliveries in flight",
                        code, len(earliest))
            self._restart_at = time.monotonic() + RESTART_S
        self._silent = 0 if proc.pid in self._answered else self._silent + 1
        self._answered.discard(proc.pid)
        if self._silent >= SILENT_DEATHS and self.fallback is None:  # it cannot run here: deliver from threads
            from .threads import ThreadWorkers

            log.warning("webhook delivery process ended %d times without an answer: delivering from threads",
                        self._silent)
            self.fallback = ThreadWorkers(self.dp)
            self.fallback.start()
        for key, d in earliest.items():
            if self.dp.holds(key, d):
                d.attempt += 1
                self.dp._outcome(key, d, None, f"the delivery process ended (exit code {code}) before an answer", None)


def _resolve(url: str, extra_hosts):
    """The checked addresses of a destination now (a tuple), or the ``RefusedUrl`` saying why not."""
    try:
        _, host, port, _ = urls.check(url, extra_hosts)
        return tuple(urls.addresses(host, port, extra_hosts))
    except urls.RefusedUrl as exc:
        return exc
