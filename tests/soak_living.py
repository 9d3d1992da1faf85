"""Soak of the living tenant: the configuration load of ``tests.soak`` plus the simulation in live mode, over loopback.

    python -m tests.soak_living --seconds 600 --history-size 4000   # the long run (docs/reliability.md)

Beside the configuration workers: the mock clock advances every second and traffic is generated ahead of it (so
contacts arrive, queue, are answered by simulated agents and end as the clock moves), a real agent logs in, goes
Available and logs out again, contacts are injected, supervisors query ``/search`` (GraphQL). Two subscriptions
(v1 agent events, v2 task events) deliver to a receiver in this process that is sometimes slow and sometimes
down (its port closed). Every window reports requests, errors, resident memory, the delivery queue and totals.

At the end the receiver stays up until the queue drains; then, per subscription, every accepted event must be
delivered, failed or dropped (logged), or still queued: ``accepted = delivered + failed + dropped + pending``;
and every event logged as delivered was received. Any 5xx or transport error is an error.
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .activity.drive import SUPPORT_LINE
from .reliability.http import DEMO_ORG, close_session, mint, session
from .reliability.procs import ServerProcess
from .soak import Soak

#: The server's webhook settings for the soak: retries with a short back-off, never disabled, a small queue.
ENV = {"MOCKSERVER_WEBHOOK_RETRIES": "2", "MOCKSERVER_WEBHOOK_BACKOFF": "0.5", "MOCKSERVER_WEBHOOK_DISABLE_AFTER": "0",
       "MOCKSERVER_WEBHOOK_TIMEOUT": "2", "MOCKSERVER_WEBHOOK_QUEUE_SIZE": "2000"}
ADVANCE_S = 30  # mock seconds per real second: 10 real minutes are 5 mock hours (tokens live 12)
SEARCH = ("query($f: Long!, $t: Long!) { taskDetails(from: $f, to: $t) { tasks { id status } "
          "pageInfo { hasNextPage } } }")


class FlakyReceiver:
    """A webhook receiver on 127.0.0.1 with phases: up, slow (answers after 0.3-2.5 s) and down (port closed)."""

    def __init__(self):
        self.received: set[tuple[str, str]] = set()  # (subscription id, event id)
        self.posts = 0
        self.lock = threading.Lock()
        self.phase = "up"
        self.server = self._serve(0)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks"

    def _serve(self, port: int):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                if owner.phase == "slow":
                    time.sleep(random.uniform(0.3, 2.5))  # beyond the 2 s timeout now and then
                with owner.lock:
                    owner.posts += 1
                    owner.received.add((body["source"].rsplit("/", 1)[1], body["id"]))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    def set_phase(self, phase: str) -> None:
        """Go up, slow or down (down closes the port; up again listens on the same one)."""
        if phase == self.phase:
            return
        if phase == "down":
            self.server.shutdown()
            self.server.server_close()
        elif self.phase == "down":
            self.server = self._serve(self.port)
        self.phase = phase

    def close(self) -> None:
        if self.phase != "down":
            self.server.shutdown()
            self.server.server_close()
        self.phase = "down"


class LivingSoak(Soak):
    """The configuration soak plus the living tenant."""

    def __init__(self, url: str, threads: int, window: float, receiver: FlakyReceiver):
        super().__init__(url, threads, window)
        self.receiver = receiver
        self.auth = {"Authorization": f"Bearer {self.token}"}
        agent = mint(url, user="agent@acme.example", scopes=["cjp:user"])["access_token"]
        self.agent = {"Authorization": f"Bearer {agent}"}
        self.subs = [self._subscribe("v1", ["agent:login", "agent:logout", "agent:state_change"], None),
                     self._subscribe("v2", ["task:new", "task:parked", "task:connected", "task:ended"],
                                     "task:1.0.0")]
        self.max_pending = 0

    def _subscribe(self, version: str, events: list, resource_version: str | None) -> tuple[str, str]:
        body = {"name": f"Soak {version}", "eventTypes": events, "destinationUrl": self.receiver.url}
        if resource_version:
            body["resourceVersion"] = resource_version
        resp = session().post(f"{self.url}/{version}/subscriptions", json=body, headers=self.auth, timeout=60)
        assert resp.status_code == 201, resp.text
        return version, resp.json()["data"]["id"]

    def _post(self, path: str, body, expect, headers=None, method="POST"):
        return self._timed(lambda: session().request(method, self.url + path, json=body, headers=headers,
                                                     timeout=60), expect)

    # -- the living tenant's loops -------------------------------------------------------------------------
    def loops(self, stop: threading.Event) -> list[threading.Thread]:
        extra = [self._clock, self._agent, self._contacts, self._search, self._receiver_phases]
        return super().loops(stop) + [threading.Thread(target=self._loop, args=(fn, stop), daemon=True)
                                      for fn in extra]

    def _loop(self, fn, stop: threading.Event) -> None:
        try:
            for n in itertools.count():
                if stop.is_set():
                    return
                fn(n, stop)
        finally:
            close_session()

    def _clock(self, n: int, stop) -> None:
        """Every second the clock moves on; every tenth, traffic for the next stretch of mock time."""
        if n % 10 == 0:
            # From a little after now: requests of the other loops move the simulation to the clock's present
            # (which runs on in real time too), and a window may not start before it.
            start = session().get(self.url + "/_mock/clock", timeout=60).json()["nowMs"] + 2000
            self._post(f"/_mock/activity/{DEMO_ORG}", {"from": start, "to": start + 11 * ADVANCE_S * 1000,
                                                       "seed": n, "rate": 400, "agents": 8}, {200})
        self._post("/_mock/clock/advance", {"seconds": ADVANCE_S}, {200})
        stop.wait(1)

    def _agent(self, n: int, stop) -> None:
        """A real agent's day in a loop: login, Available, then logout (refused while it holds a contact: 4xx)."""
        agent_ok = {202, 400, 409}
        self._post("/v1/agents/login", {"dialNumber": "+15559001", "roles": ["agent"]}, agent_ok, self.agent)
        self._post("/v1/agents/session/state", {"state": "Available", "auxCodeId": "0"}, agent_ok, self.agent,
                   method="PUT")
        stop.wait(2)
        self._post("/v1/agents/logout", {"logoutReason": "soak"}, agent_ok, self.agent, method="PUT")
        stop.wait(0.5)

    def _contacts(self, n: int, stop) -> None:
        self._post(f"/_mock/activity/{DEMO_ORG}/contacts", {"entryPointId": SUPPORT_LINE, "patience": 120}, {201})
        stop.wait(0.2)

    def _search(self, n: int, stop) -> None:
        """A supervisor's report of the last mock day, twice a second."""
        clock = session().get(self.url + "/_mock/clock", timeout=60).json()["nowMs"]
        self._post("/search", {"query": SEARCH, "variables": {"f": clock - 86_400_000, "t": clock}}, {200},
                   self.auth)
        stop.wait(0.5)

    def _receiver_phases(self, n: int, stop) -> None:
        """Up most of the time; slow or down for a few seconds now and then (seeded)."""
        phase = random.Random(n).choices(["up", "slow", "down"], [6, 2, 2])[0]
        self.receiver.set_phase(phase)
        stop.wait(4)

    # -- figures --------------------------------------------------------------------------------------------
    def deliveries(self) -> dict:
        """Per subscription: ``{pending, totals, delivered ids logged}`` from the delivery log."""
        out = {}
        for version, sid in self.subs:
            body = session().get(f"{self.url}/_mock/webhooks/{DEMO_ORG}/{version}/subscriptions/{sid}/deliveries",
                                 timeout=60).json()
            out[sid] = {"pending": body["pending"], "totals": body["totals"],
                        "logged": {e["eventId"] for e in body["deliveries"] if e["outcome"] == "delivered"}}
        return out

    def sample(self) -> dict:
        found = self.deliveries()
        pending = sum(d["pending"] for d in found.values())
        self.max_pending = max(self.max_pending, pending)
        totals = {k: sum(d["totals"][k] for d in found.values()) for k in ("accepted", "delivered", "failed",
                                                                          "dropped")}
        held = session().get(f"{self.url}/_mock/activity/{DEMO_ORG}", timeout=60).json()
        # The tasks the center holds: the live ones and the ended ones the bounded history keeps.
        return {"queue": pending, **totals, "receiver": self.receiver.phase, "tasks": sum(held["tasks"].values())}

    def settle(self, timeout: float = 120) -> dict:
        """Receiver up, load stopped: wait for the queue to drain (bounded); the event accounting."""
        self.receiver.set_phase("up")
        deadline = time.monotonic() + timeout
        found = self.deliveries()
        while any(d["pending"] for d in found.values()) and time.monotonic() < deadline:
            time.sleep(0.5)
            found = self.deliveries()
        vanished, unreceived, totals = 0, 0, {}
        with self.receiver.lock:
            received = set(self.receiver.received)
        for sid, d in found.items():
            t = d["totals"]
            vanished += t["accepted"] - (t["delivered"] + t["failed"] + t["dropped"] + d["pending"])
            unreceived += len({(sid, e) for e in d["logged"]} - received)
            for k, v in t.items():
                totals[k] = totals.get(k, 0) + v
        return {"deliveries": totals, "pendingAtEnd": sum(d["pending"] for d in found.values()),
                "maxQueue": self.max_pending, "queueBound": int(ENV["MOCKSERVER_WEBHOOK_QUEUE_SIZE"]),
                "vanished": vanished, "loggedDeliveredNotReceived": unreceived,
                "receiverPosts": self.receiver.posts, "receiverUniqueEvents": len(received)}


def soak_living(seconds: float = 600, threads: int = 4, window: float = 10, storage: str = "memory",
                report=print, history_size: int | None = None) -> dict:
    """Start a server, run the living load, let the queue drain, stop the server (by its pid); the figures."""
    receiver = FlakyReceiver()
    env = {**ENV, **({"MOCKSERVER_ACTIVITY_HISTORY_SIZE": str(history_size)} if history_size else {})}
    try:
        with ServerProcess(storage, MOCKSERVER_THREADS=str(max(8, threads + 6)), **env) as srv:
            run = LivingSoak(srv.url, threads, window, receiver)
            result = run.run(seconds, srv.proc.pid, report)
            result.update(run.settle())
            result["rssCurveMB"] = [w["rssMB"] for w in run.windows]
            result["tasksCurve"] = [w["tasks"] for w in run.windows]
            return result
    finally:
        receiver.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--threads", type=int, default=4, help="configuration workers (the living loops add 5)")
    parser.add_argument("--window", type=float, default=10, help="seconds per sample")
    parser.add_argument("--storage", default="memory", help="'memory' or a file path (persistence under load)")
    parser.add_argument("--history-size", type=int, help="MOCKSERVER_ACTIVITY_HISTORY_SIZE of the server (records "
                        "per kind: about 30 contacts a real second arrive, so 4000 is reached in the third minute)")
    args = parser.parse_args(argv)
    result = soak_living(args.seconds, args.threads, args.window, args.storage, history_size=args.history_size)
    print(json.dumps(result))
    return 1 if result["errors"] or result["vanished"] or result["loggedDeliveredNotReceived"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
