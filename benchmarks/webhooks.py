"""The webhook rows: deliveries per second to a receiver on 127.0.0.1, and the list page while deliveries run.

Issue 14's target: delivery keeps up with 500 events per second to a local receiver without slowing the API's
list page by more than 10%. Per round, in one fresh server: the list page with no subscription; then one
subscription (every task and agent event type, signed, as an integration would ask) and a burst of simulated
traffic (``POST /_mock/activity/{org}`` over a past window: its events go onto the bus at once), delivered as
fast as the mock can (the rate row: deliveries that arrive after the burst was generated, over the time they
took); then a second burst with the receiver paced to one answer per 2 ms, which holds the one subscription
(delivered one at a time, in order) to 500 a second at most, and the list page measured while those
deliveries run (a reference: a receiver with no spare capacity loses a slot to every late wake-up for good);
then the keeping-up row: the simulation emitting about 500 events a second as their time comes
(``LiveSource``), delivered to a receiver answering at once while the list page is saturated, against the same
load with nothing delivered (``_live``); last the list page with no subscription again (the quiet reference is
the mean of the first and the last). The receiver runs in a process of its own (``webhook_receiver.py``).
``python -m benchmarks.webhooks`` runs only these rows, for each delivery worker (``MOCKSERVER_WEBHOOK_DELIVERY``)
in turn, in the same rounds.
"""
from __future__ import annotations

import json
import threading
import time

from . import scenarios
from .common import http
from .webhook_receiver import RemoteReceiver

RATE, BUSY, QUIET = scenarios.WEBHOOK_RATE, scenarios.WEBHOOK_BUSY, scenarios.WEBHOOK_QUIET
LIVE, LIVE_QUIET = scenarios.WEBHOOK_LIVE, scenarios.WEBHOOK_LIVE_QUIET
TARGET_RATE = 500.0  # deliveries per second (issue 14)
LIVE_RATE = 50_000.0  # contacts an hour per entry point of the bench tenant: 480-540 events a second (measured)
# Short calls, waits and patience: the center reaches its steady state (as many contacts ending as arriving, so a
# steady rate of events) within the lead-in, not after the minutes real durations would take.
LIVE_SPEC = {"ivrTime": {"distribution": "fixed", "mean": 1}, "ringTime": {"distribution": "fixed", "mean": 1},
             "handleTime": {c: {"distribution": "exponential", "mean": 4} for c in ("telephony", "chat", "email",
                                                                                    "social")},
             "wrapupTime": {"distribution": "fixed", "mean": 1}, "patience": {"distribution": "exponential", "mean": 3}}
TICK_S = 0.01  # how often the live source moves the simulation on to the present
LIVE_LEAD_S = 3.0  # seconds of live traffic before the measured load
EVENT_TYPES = ["agent:channel_state_change", "agent:login", "agent:logout", "agent:state_change", "task:connect",
               "task:connected", "task:ended", "task:new", "task:parked"]
UNEMITTED = "capture:available"  # a vendor event type the simulation never emits
SECRET = "bench-webhook-secret-of-at-least-32-chars"


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


def _deliveries(s, sub_id: str) -> dict:
    """The subscription's delivery state in the mock (``pending``, ``totals``: docs/webhooks.md)."""
    status, raw = http("GET", f"{s.base}/_mock/webhooks/{scenarios.BENCH_ORG}/v1/subscriptions/{sub_id}/deliveries")
    assert status == 200, raw[:300]
    return json.loads(raw)


class LiveSource:
    """Events emitted as they happen: a live window of simulated traffic (``POST /_mock/activity`` from now on, at
    ``LIVE_RATE`` contacts an hour per entry point), the simulation moved on to the present every ``TICK_S`` (a
    ``GET /_mock/activity/{org}``: what a live mock's clock does while anything looks at it), so each event is
    published about when its time comes, not in a burst."""

    def __init__(self, s, seconds: float, seed: int, rate: float | None = None):
        self.s, self._stop = s, threading.Event()
        now = int(time.time() * 1000)
        body = {"from": now, "to": now + int(seconds * 1000), "rate": rate or LIVE_RATE, "seed": seed, **LIVE_SPEC}
        status, raw = http("POST", f"{s.base}/_mock/activity/{scenarios.BENCH_ORG}", json.dumps(body).encode(),
                           {"Content-Type": "application/json"}, timeout=60)
        assert status == 200, raw[:300]
        self._thread = threading.Thread(target=self._tick, daemon=True, name="bench-live-source")
        self._thread.start()

    def _tick(self) -> None:
        while not self._stop.wait(TICK_S):
            http("GET", f"{self.s.base}/_mock/activity/{scenarios.BENCH_ORG}", timeout=30)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(30)


def _live(s, rx, proc, list_sc, duration: float, warmup: float, rnd: int, deliver: bool = True) -> dict:
    """The list page saturated while the simulation emits about 500 events a second, delivered to a receiver that
    answers at once (``deliver``: else the subscription asks only for an event type the simulation never emits, so
    events are built and published but none is delivered: the same load without the delivery); deliveries and
    events per second meanwhile, lag event -> receipt, the backlog at the start and the end of the load."""
    _reset(s)
    body = {"name": "Benchmark hooks", "eventTypes": EVENT_TYPES if deliver else [UNEMITTED],
            "destinationUrl": rx.url, "secret": SECRET}
    status, raw = http("POST", s.base + "/v1/subscriptions", json.dumps(body).encode(),
                       {"Authorization": f"Bearer {s.token}", "Content-Type": "application/json"})
    assert status == 201, raw[:300]
    sub_id = json.loads(raw)["data"]["id"]
    rx.pace = 0.0
    lead = LIVE_LEAD_S if duration >= 1 else 1.0  # the smoke run's seconds are short too
    source = LiveSource(s, lead + warmup + duration + 30, 300 + rnd)
    try:
        time.sleep(lead)  # the agents' logins and the first contacts: the source at its steady rate
        before, n0, t0 = _deliveries(s, sub_id), rx.count(), time.monotonic()
        busy = s.measure(list_sc, duration, warmup, proc)
        after, n1, t1 = _deliveries(s, sub_id), rx.count(), time.monotonic()
    finally:
        source.close()
    if "rps" in busy and deliver:
        lags = sorted(rx.lags(t0))
        busy.update(deliveries_per_s=(n1 - n0) / (t1 - t0), delivering_throughout=time.monotonic() - rx.last() < 0.5,
                    events_per_s=(after["totals"]["accepted"] - before["totals"]["accepted"]) / (t1 - t0),
                    backlog_start=before["pending"], backlog_end=after["pending"],
                    lag_p50_ms=lags[len(lags) // 2] if lags else None,
                    lag_p99_ms=lags[int(len(lags) * 0.99)] if lags else None)
    _unsubscribe(s, sub_id)
    return busy


def measure(s, proc, duration: float, warmup: float, rnd: int) -> dict[str, dict]:
    """The three rows' figures of one round (``proc``: the fresh server the caller launched)."""
    list_sc = scenarios.ROWS[0].build(scenarios.Ctx(s.token, s.teams[0], {}, ""))
    quiet = [s.measure(list_sc, duration, warmup, proc)]
    out = {}
    rx = RemoteReceiver()
    try:
        _subscribe(s, rx.url)
        done = _burst(s, 4, 100 + rnd)
        rx.settle()
        times = rx.times
        after = [t for t in times if t >= done]
        if len(after) >= 2 and after[-1] > after[0]:
            out[RATE] = {"rps": (len(after) - 1) / (after[-1] - after[0]), "requests": len(times), "errors": 0}
        else:
            out[RATE] = {"error": f"{len(times)} deliveries, {len(after)} after the burst returned"}
        _reset(s)
        sub_id = _subscribe(s, rx.url)
        rx.pace = 1 / TARGET_RATE  # one subscription, one delivery at a time: at most 500 a second
        _burst(s, 8, 200 + rnd)
        n0, t0 = rx.count(), time.monotonic()
        busy = s.measure(list_sc, duration, warmup, proc)
        rate = (rx.count() - n0) / (time.monotonic() - t0)
        still = time.monotonic() - rx.last() < 0.5  # deliveries ran to the end of the load
        if "rps" in busy:
            busy.update(deliveries_per_s=rate, delivering_throughout=still)
        out[BUSY] = busy
        _unsubscribe(s, sub_id)
        for deliver in (True, False) if rnd % 2 else (False, True):  # alternating: drift in the round cancels
            out[LIVE if deliver else LIVE_QUIET] = _live(s, rx, proc, list_sc, duration, warmup, rnd, deliver)
        time.sleep(0.5)
        quiet.append(s.measure(list_sc, duration, warmup, proc))  # before and after: drift in the run cancels out
    finally:
        rx.close()
    ok = [q for q in quiet if "rps" in q]
    out[QUIET] = {**ok[-1], "rps": sum(q["rps"] for q in ok) / len(ok)} if ok else quiet[0]
    return out


def main(argv=None) -> int:
    """``python -m benchmarks.webhooks``: only the webhook rows, for each delivery worker in turn, same rounds."""
    global TARGET_RATE
    import argparse
    import os
    import statistics

    from .run import Suite

    ap = argparse.ArgumentParser(prog="python -m benchmarks.webhooks", description=main.__doc__)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=float, default=3, help="seconds of measured load per row and round")
    ap.add_argument("--warmup", type=float, default=1)
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--modes", default="thread,process", help="MOCKSERVER_WEBHOOK_DELIVERY values, interleaved")
    ap.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    ap.add_argument("--json", help="also write every round's figures to this file")
    ap.add_argument("--pace-rate", type=float, default=TARGET_RATE,
                    help="answers per second of the paced receiver (diagnosis: the cost of fewer deliveries)")
    a = ap.parse_args(argv)
    TARGET_RATE = a.pace_rate
    s = Suite(a)
    s.prepare()
    modes = [m for m in a.modes.split(",") if m]
    got: dict[str, list[dict]] = {m: [] for m in modes}
    for rnd in range(a.rounds):
        for mode in modes:
            os.environ["MOCKSERVER_WEBHOOK_DELIVERY"] = mode
            load0 = os.getloadavg()[0]
            proc, _ = s.launch(a.users)
            try:
                figures = measure(s, proc, a.duration, a.warmup, rnd)
            finally:
                proc.stop()
            figures["load"] = (load0, os.getloadavg()[0])
            got[mode].append(figures)
            print(f"round {rnd + 1} {mode}: {json.dumps(figures)}", flush=True)
    print("\n| worker | deliveries/s, API idle | paced (reference): list page busy / quiet | paced: deliveries/s "
          "meanwhile | live: list page delivered / not | live: list page / quiet | live: deliveries/s (events/s) | "
          "live: lag p50 / p99 ms | live: backlog at the end | load average |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for mode, rounds in got.items():
        need = (RATE, BUSY, QUIET, LIVE, LIVE_QUIET)
        ok = [r for r in rounds if all("rps" in r.get(k, {}) for k in need)]
        if not ok:
            print(f"| {mode} | failed: {rounds} |" + " |" * 9)
            continue

        def spread(values, fmt="{:,.0f}"):
            values = [v for v in values if v is not None]
            if not values:
                return "n/a"
            return f"{fmt.format(statistics.median(values))} [{fmt.format(min(values))}–{fmt.format(max(values))}]"

        def ratios(row, ref):
            return spread([r[row]["rps"] / r[ref]["rps"] for r in ok], "{:.2f}") + "x"

        live = [r[LIVE] for r in ok]
        print(f"| {mode} | {spread([r[RATE]['rps'] for r in ok])} | {ratios(BUSY, QUIET)} "
              f"({spread([r[BUSY]['rps'] for r in ok])} / {spread([r[QUIET]['rps'] for r in ok])} req/s) | "
              f"{spread([r[BUSY]['deliveries_per_s'] for r in ok])} | {ratios(LIVE, LIVE_QUIET)} | "
              f"{ratios(LIVE, QUIET)} | {spread([x.get('deliveries_per_s') for x in live])} "
              f"({spread([x.get('events_per_s') for x in live])}) | {spread([x.get('lag_p50_ms') for x in live])} / "
              f"{spread([x.get('lag_p99_ms') for x in live])} | {spread([x.get('backlog_end') for x in live])} | "
              f"{min(x for r in ok for x in r['load']):.1f}–{max(x for r in ok for x in r['load']):.1f} |")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(got, fh, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
