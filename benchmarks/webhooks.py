"""The webhook rows: deliveries per second to a receiver on 127.0.0.1, and the list page while deliveries run.

Issue 14's target: delivery keeps up with 500 events per second to a local receiver without slowing the API's
list page by more than 10%. Per round, in one fresh server: the list page with no subscription; then one
subscription (every task and agent event type, signed, as an integration would ask) and a burst of simulated
traffic (``POST /_mock/activity/{org}`` over a past window: its events go onto the bus at once), delivered as
fast as the mock can (the rate row: deliveries that arrive after the burst was generated, over the time they
took); then a second burst with the receiver paced to one answer per 2 ms, which holds the one subscription
(delivered one at a time, in order) to 500 a second at most, and the list page measured while those
deliveries run (the deliveries per second made meanwhile are the third target: keeping up with 500); its
reference is the mean of the list page before the first subscription and after the last one is deleted.
"""
from __future__ import annotations

import asyncio
import json
import threading
import time

from . import scenarios
from .common import LOOPBACK, http

RATE, BUSY, QUIET = scenarios.WEBHOOK_RATE, scenarios.WEBHOOK_BUSY, scenarios.WEBHOOK_QUIET
TARGET_RATE = 500.0  # deliveries per second (issue 14)
EVENT_TYPES = ["agent:channel_state_change", "agent:login", "agent:logout", "agent:state_change", "task:connect",
               "task:connected", "task:ended", "task:new", "task:parked"]
SECRET = "bench-webhook-secret-of-at-least-32-chars"


class Receiver:
    """A keep-alive HTTP/1.1 receiver on 127.0.0.1 (asyncio, in a thread) that counts POSTs and their times."""

    def __init__(self):
        self.times: list[float] = []
        self.pace = 0.0  # seconds between answers at least (0: answer at once)
        self._slot = 0.0
        self._loop = asyncio.new_event_loop()
        started = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(started,), daemon=True, name="bench-receiver")
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the webhook receiver did not start")
        self.url = f"http://{LOOPBACK}:{self.port}/hooks"

    def _serve(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._client, LOOPBACK, 0))
        self.port = server.sockets[0].getsockname()[1]
        self._server = server
        started.set()
        self._loop.run_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:].strip() or 0)
                if length:
                    await reader.readexactly(min(length, 1 << 20))
                if self.pace:  # answer no sooner than the next slot of the pace: at most 1/pace a second
                    now = time.monotonic()
                    self._slot = max(self._slot, now) + self.pace
                    await asyncio.sleep(self._slot - self.pace - now)
                self.times.append(time.monotonic())
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    def settle(self, quiet_s: float = 1.0, limit_s: float = 60.0) -> None:
        """Wait until no delivery has arrived for ``quiet_s`` (at most ``limit_s``)."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            last = self.times[-1] if self.times else 0.0
            if time.monotonic() - last >= quiet_s:
                return
            time.sleep(0.1)

    async def _shutdown(self) -> None:
        self._server.close()
        for task in asyncio.all_tasks():
            if task is not asyncio.current_task():
                task.cancel()
        await asyncio.sleep(0)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


def _subscribe(s, url: str) -> str:
    body = {"name": "Benchmark hooks", "eventTypes": EVENT_TYPES, "destinationUrl": url, "secret": SECRET}
    status, raw = http("POST", s.base + "/v1/subscriptions", json.dumps(body).encode(),
                       {"Authorization": f"Bearer {s.token}", "Content-Type": "application/json"})
    assert status == 201, raw[:300]
    return json.loads(raw)["data"]["id"]


def _unsubscribe(s, sub_id: str) -> None:
    """Delete the subscription: its queued deliveries are dropped (the list page is quiet again at once)."""
    status, raw = http("DELETE", f"{s.base}/v1/subscriptions/{sub_id}", headers={"Authorization": f"Bearer {s.token}"})
    assert status in (200, 204), raw[:300]


def _burst(s, minutes: int, seed: int) -> float:
    """Simulated traffic over the last ``minutes`` (about 840 events a minute at this rate); when it returned."""
    now = int(time.time() * 1000)
    body = {"from": now - minutes * 60_000, "to": now - 1000, "rate": 1000, "seed": seed}
    status, raw = http("POST", f"{s.base}/_mock/activity/{scenarios.BENCH_ORG}", json.dumps(body).encode(),
                       {"Content-Type": "application/json"}, timeout=120)
    assert status == 200, raw[:300]
    return time.monotonic()


def _reset(s) -> None:
    """Back to the seed (the simulation too: a new past window needs it; the subscription goes as well)."""
    status, raw = http("POST", f"{s.base}/_mock/orgs/{scenarios.BENCH_ORG}/reset", b"{}",
                       {"Content-Type": "application/json"}, timeout=60)
    assert status in (200, 204), raw[:300]


def measure(s, proc, duration: float, warmup: float, rnd: int) -> dict[str, dict]:
    """The three rows' figures of one round (``proc``: the fresh server the caller launched)."""
    list_sc = scenarios.ROWS[0].build(scenarios.Ctx(s.token, s.teams[0], {}, ""))
    quiet = [s.measure(list_sc, duration, warmup, proc)]
    out = {}
    rx = Receiver()
    try:
        _subscribe(s, rx.url)
        done = _burst(s, 4, 100 + rnd)
        rx.settle()
        after = [t for t in rx.times if t >= done]
        if len(after) >= 2 and after[-1] > after[0]:
            out[RATE] = {"rps": (len(after) - 1) / (after[-1] - after[0]), "requests": len(rx.times), "errors": 0}
        else:
            out[RATE] = {"error": f"{len(rx.times)} deliveries, {len(after)} after the burst returned"}
        _reset(s)
        sub_id = _subscribe(s, rx.url)
        rx.pace = 1 / TARGET_RATE  # one subscription, one delivery at a time: at most 500 a second
        _burst(s, 8, 200 + rnd)
        n0, t0 = len(rx.times), time.monotonic()
        busy = s.measure(list_sc, duration, warmup, proc)
        rate = (len(rx.times) - n0) / (time.monotonic() - t0)
        still = bool(rx.times) and time.monotonic() - rx.times[-1] < 0.5  # deliveries ran to the end of the load
        if "rps" in busy:
            busy.update(deliveries_per_s=rate, delivering_throughout=still)
        out[BUSY] = busy
        _unsubscribe(s, sub_id)
        time.sleep(0.5)
        quiet.append(s.measure(list_sc, duration, warmup, proc))  # before and after: drift in the run cancels out
    finally:
        rx.close()
    ok = [q for q in quiet if "rps" in q]
    out[QUIET] = {**ok[-1], "rps": sum(q["rps"] for q in ok) / len(ok)} if ok else quiet[0]
    return out
