"""The webhook rows: deliveries per second to a receiver on 127.0.0.1, and the list page while deliveries run.

Issue 14's target: delivery keeps up with 500 events per second to a local receiver without slowing the API's
list page by more than 10%. Per round, in one fresh server: the list page with no subscription; then one
subscription (every task and agent event type, signed, as an integration would ask) and a burst of simulated
traffic (``POST /_mock/activity/{org}`` over a past window: its events go onto the bus at once), delivered as
fast as the mock can (the rate row: deliveries that arrive after the burst was generated, over the time they
took); then a second burst with the receiver paced to one answer per 2 ms, which holds the one subscription
(delivered one at a time, in order) to 500 a second at most, and the list page measured while those
deliveries run (the deliveries per second made meanwhile are the third target: keeping up with 500); its
reference is the mean of the list page before the first subscription and after the last one is deleted. The
receiver runs in a process of its own (``webhook_receiver.py``). ``python -m benchmarks.webhooks`` runs only
these rows, for each delivery worker (``MOCKSERVER_WEBHOOK_DELIVERY``) in turn, in the same rounds.
"""
from __future__ import annotations

import json
import time

from . import scenarios
from .common import http
from .webhook_receiver import RemoteReceiver

RATE, BUSY, QUIET = scenarios.WEBHOOK_RATE, scenarios.WEBHOOK_BUSY, scenarios.WEBHOOK_QUIET
TARGET_RATE = 500.0  # deliveries per second (issue 14)
EVENT_TYPES = ["agent:channel_state_change", "agent:login", "agent:logout", "agent:state_change", "task:connect",
               "task:connected", "task:ended", "task:new", "task:parked"]
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
    print("\n| worker | deliveries/s, API idle | list page busy / quiet | deliveries/s meanwhile | load average |")
    print("|---|---|---|---|---|")
    for mode, rounds in got.items():
        ok = [r for r in rounds if "rps" in r.get(RATE, {}) and "rps" in r.get(BUSY, {}) and "rps" in r.get(QUIET, {})]
        if not ok:
            print(f"| {mode} | failed: {rounds} | | | |")
            continue

        def spread(values, fmt="{:,.0f}"):
            return f"{fmt.format(statistics.median(values))} [{fmt.format(min(values))}–{fmt.format(max(values))}]"

        ratios = [r[BUSY]["rps"] / r[QUIET]["rps"] for r in ok]
        print(f"| {mode} | {spread([r[RATE]['rps'] for r in ok])} | {spread(ratios, '{:.2f}')}x "
              f"({spread([r[BUSY]['rps'] for r in ok])} / {spread([r[QUIET]['rps'] for r in ok])} req/s) | "
              f"{spread([r[BUSY]['deliveries_per_s'] for r in ok])} | "
              f"{min(x for r in ok for x in r['load']):.1f}–{max(x for r in ok for x in r['load']):.1f} |")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(got, fh, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
