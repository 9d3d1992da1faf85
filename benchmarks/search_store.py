"""The Search API's store, measured: plain Python over the activity history (what /search runs) against SQLite
(stdlib), for the targets of docs/search.md; and webhook delivery at 500 events/s against the API's list page.

    python -m benchmarks.search_store [--days 30] [--contacts 12000] [--agents 500] [--rounds 5]

Prints one markdown table (medians of ``--rounds``); nothing is asserted. Records come from the generator the
search tests use (tests/search/records.py), with their activities.
"""
from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import threading
import time

import orjson

from mockserver import create_app
from mockserver.search import engine
from tests.search import records

DAY = 86_400_000
ORG = "f222c4e4-0b5a-4a5e-9e2c-8d3b6d0b1a01"
AGGREGATION = """query($from: Long!, $to: Long!) { taskDetails(from: $from, to: $to,
  aggregations: [{field: "id", type: count, name: "contacts"},
                 {field: "connectedDuration", type: average, name: "aht"}],
  aggregationInterval: {interval: FIFTEEN_MINUTES}) {
    tasks { intervalStartTime lastQueue { id } aggregation { name value } } } }"""
PAGE = """query($from: Long!, $to: Long!, $agents: [String]) { taskDetails(from: $from, to: $to,
  filter: {lastAgent: {id: {in: $agents}}}) { tasks { id createdTime channelType totalDuration lastQueue { id name }
  lastAgent { id name } } pageInfo { hasNextPage endCursor } } }"""


def timed(fn, rounds: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(rounds):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), out


def _shifted(record: dict, delta: int, day: int) -> dict:
    """A copy of a record moved by ``delta`` ms, with new ids (another day of the same shape of traffic)."""
    out = orjson.loads(orjson.dumps(record))
    out["id"] = f"{record['id'][:-4]}{day:04d}"
    for key in ("createdTime", "endedTime", "lastActivityTime"):
        if isinstance(out.get(key), int):
            out[key] += delta
    for act in out.get("activities") or ():
        act["createdTime"] += delta
        act["endedTime"] += delta
        act["id"] = f"{out['id']}-{act['createdTime']}-{act['eventName']}"
    return out


def build(args):
    """``args.days`` days of records: one generated day, repeated day after day with new ids (generating
    every day would take the benchmark's whole budget; the queries read one day's window either way)."""
    # Every record kept: with the default bound (100,000) the middle day of 30 is dropped before it is queried.
    app = create_app({"access_log": False, "activity_history_size": args.days * args.contacts * 2 + 10_000})
    rt = app.extensions["wxcc"]
    start = (int(time.time() * 1000) // DAY - args.days) * DAY
    rt.clock.freeze((start + args.days * DAY) / 1000)
    t0 = time.perf_counter()
    tasks, sessions, staff = records.day(start, args.agents, args.contacts, seed=1)
    middle = []
    for d in range(args.days):
        for t in tasks:
            shifted = _shifted(t, d * DAY, d) if d else t
            rt.history.put_task(ORG, shifted)
            if d == args.days // 2:
                middle.append(shifted)
        for s in sessions:
            rt.history.put_agent_session(ORG, {**s, "agentSessionId": f"{s['agentSessionId'][:-4]}{d:04d}",
                                               "startTime": s["startTime"] + d * DAY})
    return rt, start, middle, staff, time.perf_counter() - t0


class _Plain:
    """The history without the search view: each query decodes the records it reads."""

    def __init__(self, history):
        self.tasks, self.agent_sessions, self.task = history.tasks, history.agent_sessions, history.task


class _PythonView(_Plain):
    """The view decoded for Python: filters and aggregations in Python, not in SQLite."""

    def __init__(self, history):
        super().__init__(history)
        self.view_tasks, self.view_agent_sessions = history.view_tasks, history.view_agent_sessions


def python_side(rt, day_start, agents, rounds):
    ctx = {"org": ORG, "history": rt.history, "now": rt.clock.now_ms()}
    window = {"from": day_start, "to": day_start + DAY - 1}
    read, rows = timed(lambda: rt.history.tasks(ORG, day_start, day_start + DAY), 1)
    plain, _ = timed(lambda: engine.run(AGGREGATION, window, {**ctx, "history": _Plain(rt.history)}, "b"), 1)
    py = {**ctx, "history": _PythonView(rt.history)}
    py_agg, _ = timed(lambda: engine.run(AGGREGATION, window, py, "bench"), rounds)
    py_page, _ = timed(lambda: engine.run(PAGE, {**window, "agents": agents}, py, "bench"), rounds)
    agg, (status, body) = timed(lambda: engine.run(AGGREGATION, window, ctx, "bench"), rounds)
    assert status == 200, body
    page, (status2, body2) = timed(lambda: engine.run(PAGE, {**window, "agents": agents}, ctx, "bench"), rounds)
    assert status2 == 200, body2
    texts = iter(range(10**6))  # a text not seen before (a comment of its own): parsed and validated again
    cold, _ = timed(lambda: engine.run(f"{PAGE} # {next(texts)}", {**window, "agents": agents}, ctx, "b"), rounds)
    return read, len(rows), plain, py_agg, py_page, agg, len(body["data"]["taskDetails"]["tasks"]), page, \
        len(body2["data"]["taskDetails"]["tasks"]), cold


COLUMNS = ["id", "createdTime", "channelType", "queueId", "teamId", "agentId", "connectedDuration", "totalDuration"]


def _row(t):
    return (t["id"], t["createdTime"], t["channelType"], (t.get("lastQueue") or {}).get("id"),
            (t.get("lastTeam") or {}).get("id"), (t.get("lastAgent") or {}).get("id"), t.get("connectedDuration"),
            t.get("totalDuration"), orjson.dumps(t))


def sqlite_side(rt, start, days, day_start, agents, rounds):
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute(f"create table task ({', '.join(COLUMNS)}, doc blob, primary key (id))")
    db.execute("create index task_time on task (createdTime)")
    db.execute("create index task_agent on task (agentId, createdTime)")
    tasks = rt.history.view_tasks(ORG, start, start + days * DAY)
    t0 = time.perf_counter()
    db.executemany(f"insert or replace into task values ({', '.join('?' * (len(COLUMNS) + 1))})",
                   (_row(t) for t in tasks))
    db.commit()
    load_us = (time.perf_counter() - t0) * 1e6 / max(1, len(tasks))
    one = tasks[len(tasks) // 2]
    t0 = time.perf_counter()
    for _ in range(2000):  # the simulation replaces a record on every transition
        db.execute(f"insert or replace into task values ({', '.join('?' * (len(COLUMNS) + 1))})", _row(one))
    upsert_us = (time.perf_counter() - t0) * 1e6 / 2000
    agg_sql = ("select createdTime - createdTime % 900000 as b, queueId, count(id), avg(connectedDuration) from task "
               "where createdTime >= ? and createdTime < ? group by b, queueId order by b, queueId")
    agg, rows = timed(lambda: db.execute(agg_sql, (day_start, day_start + DAY)).fetchall(), rounds)
    marks = ",".join("?" * len(agents))
    page_sql = (f"select doc from task where agentId in ({marks}) and createdTime >= ? and createdTime < ? "
                f"order by createdTime limit 251")
    page, docs = timed(lambda: [orjson.loads(d) for (d,) in db.execute(page_sql, (*agents, day_start,
                                                                                   day_start + DAY))], rounds)
    return load_us, upsert_us, agg, len(rows), page, len(docs)


RECEIVER = """
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keeps connections open, as web frameworks do
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length') or 0)); self.send_response(200)
        self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *a): pass
s = ThreadingHTTPServer(('127.0.0.1', 0), H); print(s.server_address[1], flush=True); s.serve_forever()
"""


def webhooks_side(rounds: int, seconds: float = 3.0, rate: int = 500):
    """The team list page (100 per page) alone, then while 500 events/s go to a receiver in another process."""
    app = create_app({"access_log": False, "webhook_disable_after": 0})
    rt, client = app.extensions["wxcc"], app.test_client()
    tok = client.post("/_mock/tokens", json={"user": "full.admin@acme.example",
                                            "scopes": ["cjp:config_read", "cjp:config_write"]}).get_json()
    headers = {"Authorization": f"Bearer {tok['access_token']}"}
    url = f"/organization/{ORG}/v2/team?page=0&pageSize=100"
    proc = subprocess.Popen([sys.executable, "-c", RECEIVER], stdout=subprocess.PIPE, text=True)
    try:
        port = int(proc.stdout.readline())
        sub = client.post("/v1/subscriptions", json={"name": "Bench hooks", "eventTypes": ["agent:state_change"],
                                                     "destinationUrl": f"http://127.0.0.1:{port}/h",
                                                     "secret": "x" * 32}, headers=headers).get_json()["data"]

        def pages(n=300):
            t0 = time.perf_counter()
            for _ in range(n):
                assert client.get(url, headers=headers).status_code == 200
            return (time.perf_counter() - t0) * 1000 / n
        pages(50)  # warm: caches and the first-request costs out of the figure
        base = statistics.median(pages() for _ in range(rounds))
        stop, sent = threading.Event(), [0]

        def publish():
            t0 = time.perf_counter()
            while not stop.is_set():
                due = int((time.perf_counter() - t0) * rate)
                while sent[0] < due:
                    rt.bus.publish(ORG, "agent:state_change", rt.clock.now_ms(),
                                            {"agentId": "a", "n": sent[0]})
                    sent[0] += 1
                time.sleep(0.002)
        pub = threading.Thread(target=publish, daemon=True)
        t0 = time.perf_counter()
        pub.start()
        loaded = statistics.median(pages() for _ in range(rounds))
        while time.perf_counter() - t0 < seconds:
            time.sleep(0.05)
        stop.set()
        pub.join()
        elapsed = time.perf_counter() - t0
        rt.webhooks.wait_idle(30)
        drained = time.perf_counter() - t0
        delivered = rt.webhooks.totals(ORG, "v1", sub["id"])["delivered"]
        return base, loaded, sent[0], elapsed, delivered, drained
    finally:
        proc.kill()
        proc.wait()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--contacts", type=int, default=12000, help="contacts per day")
    ap.add_argument("--agents", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    rt, start, day_tasks, staff, built = build(args)
    day_start = start + (args.days // 2) * DAY
    by_agent = {}
    for t in day_tasks:
        if t.get("lastAgent"):
            by_agent.setdefault(t["lastAgent"]["id"], 0)
            by_agent[t["lastAgent"]["id"]] += 1
    agents, total = [], 0
    for agent, n in sorted(by_agent.items()):
        if total >= 100:
            break
        agents.append(agent)
        total += n
    read, n_read, plain, py_agg, py_page, agg, n_agg, page, n_page, cold = python_side(rt, day_start, agents,
                                                                                      args.rounds)
    load_us, upsert_us, s_agg, s_n_agg, s_page, s_n_page = sqlite_side(rt, start, args.days, day_start, agents,
                                                                       args.rounds)
    base, loaded, sent, elapsed, delivered, drained = webhooks_side(args.rounds)
    print(f"Records: {args.days} days x {args.contacts} contacts, {args.agents} agents (built in {built:.1f} s); "
          f"one day = {n_read} contacts.\n")
    print("| measurement | decoding the history per query | Python over the decoded view | /search (SQLite view) "
          "| SQL alone |")
    print("|---|---|---|---|---|")
    print(f"| one-day aggregation: count + AHT per queue per 15 min ({n_agg} rows) | {plain:.0f} ms | "
          f"{py_agg:.0f} ms | {agg:.1f} ms | {s_agg:.1f} ms |")
    print(f"| filtered page: the contacts of {len(agents)} agents in one day ({n_page} tasks) | — | {py_page:.0f} ms | "
          f"{page:.1f} ms ({cold:.1f} ms for a text not seen before) | {s_page:.1f} ms |")
    print(f"| decode one day ({n_read} records) | {read:.0f} ms | | | |")
    print(f"| keeping SQLite current | | | {load_us:.1f} us per record loaded, {upsert_us:.1f} us per replace | |")
    print(f"\n| webhooks | figure |\n|---|---|\n| team list page (100) alone / with 500 events/s delivered | "
          f"{base:.2f} ms / {loaded:.2f} ms ({(loaded / base - 1) * 100:+.0f}%) |")
    print(f"| deliveries to one receiver | {delivered} of {sent} events in {drained:.1f} s ({sent / elapsed:.0f}/s "
          f"published, {delivered / drained:.0f}/s delivered) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
