"""The benchmark suite: ``python -m benchmarks`` (docs/performance.md). Prints one markdown table.

Runs the mock as users run it (``mockserver serve``; its server, threads and defaults), load from a separate
process on 127.0.0.1 (wrk, or ``benchmarks/pyload.py`` without it), several interleaved rounds, medians.
Every ratio compares figures of this run only.
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path

from . import peers, report, scenarios, tenant, webhooks
from .common import LOOPBACK, ROOT, Proc, free_port, have_wrk, http, load
from .standin import has_real_routes


class Suite:
    """Fixtures, keys and tokens shared by every launch of one run."""

    def __init__(self, args):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="wxcc-bench-"))
        self.key = self.work / "signing-key.pem"
        self.pub = self.work / "signing-key.pub.pem"
        self.port = free_port()
        self.base = f"http://{LOOPBACK}:{self.port}"
        self.fixtures = {}
        self.sources = {}
        self.mock_cmd = None
        self.loadgen = "wrk" if (args.loadgen != "python" and have_wrk()) else "python"

    def fixtures_for(self, users: int) -> Path:
        if users not in self.fixtures:
            path, counts = tenant.build(self.work / f"fixtures-{users}", users)
            self.fixtures[users], self.sources[users] = path, counts
        return self.fixtures[users]

    def prepare(self) -> None:
        """Decide the command (the real routes, or the stand-in while the configuration API is not merged)."""
        # An installed package has its bytecode compiled by pip; a checkout run with PYTHONDONTWRITEBYTECODE
        # (this machine, the Docker image's build stage) would compile its 170 modules again at every launch,
        # about a third of a second measured as start-up that no installed copy pays.
        compileall.compile_dir(str(ROOT / "mockserver"), quiet=1, workers=1)
        os.environ["MOCKSERVER_SIGNING_KEY"] = str(self.key)
        from mockserver import create_app
        from mockserver.config import Config

        app = create_app(Config.from_env(fixtures=str(self.fixtures_for(self.args.users)), access_log=False,
                                         public_base_url=self.base))
        self.standin = not has_real_routes(app)
        self.pub.write_text(app.extensions["wxcc"].keys.current.public_pem())
        module = "benchmarks.standin" if self.standin else "mockserver"
        self.mock_cmd = [sys.executable, "-m", module, "serve", "--quiet", "--host", LOOPBACK]
        self.rt, self.app = app.extensions["wxcc"], app
        self.token = self.mint(self.base)
        self.teams = tenant.bench_teams()

    def mint(self, issuer: str) -> str:
        """An admin access token for a mock answering at ``issuer`` (same signing key file)."""
        person = self.rt.find_person(scenarios.ADMIN)
        token, _ = self.rt.tokens.mint(issuer=issuer, sub=person["id"], org_id=tenant.BENCH_ORG,
                                       client_id="mock-test-client", roles=person.get("roles", []),
                                       scopes=["cjp:config", "cjp:config_read", "cjp:config_write"])
        return token

    def env(self, **extra) -> dict:
        return {"MOCKSERVER_SIGNING_KEY": str(self.key), "MOCKSERVER_PUBLIC_BASE_URL": self.base, **extra}

    def wanted(self, key: str) -> bool:
        """Whether ``--rows`` asks for this row (the list page always: every ratio is to it)."""
        return not self.args.rows or key == "list" or key in self.args.rows.split(",")

    def has_route(self, prefix: str | None) -> bool:
        """Whether the mock serves a route whose rule starts with ``prefix`` (rows waiting for an API)."""
        return prefix is None or any(r.rule.startswith(prefix) for r in self.app.url_map.iter_rules())

    def launch(self, users: int, storage: str = "memory", port: int | None = None, server: str = ""):
        port = port or self.port
        cmd = self.mock_cmd + ["--port", str(port), "--fixtures", str(self.fixtures_for(users)), "--storage", storage]
        proc = Proc(cmd, env=self.env(MOCKSERVER_SERVER=server))
        url = f"http://{LOOPBACK}:{port}{scenarios.ORG}/v2/team?page=0&pageSize=100"
        start = proc.wait_200(url, {"Authorization": f"Bearer {self.token}"})
        return proc, start

    def refresh_pool(self, n: int = 48) -> list[str]:
        body = json.dumps({"user": scenarios.ADMIN, "clientId": scenarios.RW_CLIENT, "refresh": True}).encode()
        pool = []
        for _ in range(n):
            status, raw = http("POST", self.base + "/_mock/tokens", body, {"Content-Type": "application/json"})
            assert status in (200, 201), raw[:300]
            pool.append(json.loads(raw)["refresh_token"])
        return pool

    def user(self, users: int, index: int) -> dict:
        status, raw = http("GET", f"{self.base}{scenarios.ORG}/v2/user?page={index // 100}&pageSize=100",
                           headers={"Authorization": f"Bearer {self.token}"})
        assert status == 200, raw[:300]
        return json.loads(raw)["data"][index % 100]

    def sample_users(self, users: int, n: int = 1000) -> list[dict]:
        """``n`` users spread over the whole table (10 pages of up to 1,000, evenly spaced)."""
        pages = max(1, -(-users // 1000))
        picked = []
        for k in sorted({i * pages // 10 for i in range(10)}):
            status, raw = http("GET", f"{self.base}{scenarios.ORG}/v2/user?page={k}&pageSize=1000&attributes=id,email",
                               headers={"Authorization": f"Bearer {self.token}"})
            assert status == 200, raw[:300]
            picked += json.loads(raw)["data"]
        return picked[:: max(1, len(picked) // n)][:n]

    def generated_team(self) -> dict:
        """A team of the running mock that is not one of the peers' 100 (its references all exist)."""
        status, raw = http("GET", f"{self.base}{scenarios.ORG}/v2/team?page=1&pageSize=100",
                           headers={"Authorization": f"Bearer {self.token}"})
        assert status == 200, raw[:300]
        listed = json.loads(raw)["data"][0]
        status, raw = http("GET", f"{self.base}{scenarios.ORG}/team/{listed['id']}",
                           headers={"Authorization": f"Bearer {self.token}"})
        return json.loads(raw)

    def measure(self, scenario: dict, duration: float, warmup: float, proc: Proc | None = None) -> dict:
        """Warm-up, then the measured run; with ``proc``, also the server's CPU per request of the measured run."""
        status, raw = _probe(self.base, scenario)
        if status >= 400:
            return {"error": f"HTTP {status}: {raw[:160]!r}"}
        for seconds in (warmup, duration):
            if not seconds:
                continue
            run = dict(scenario)
            if "refresh_pool" in run:  # each refresh token works once: every load run gets fresh ones
                run["refresh_pool"] = self.refresh_pool()
            for field in ("path", "body"):  # the request counter restarts per run: names stay unique
                if run.get(field):
                    run[field] = run[field].replace("{run}", uuid.uuid4().hex[:8])
            cpu0 = proc.cpu_ms() if proc else None
            result = load(self.base, run, seconds, loadgen=self.loadgen)
            if proc is not None and result.get("requests"):
                result["cpu_us_per_req"] = (proc.cpu_ms() - cpu0) * 1000 / result["requests"]
        return result


def _probe(base: str, scenario: dict):
    if "refresh_pool" in scenario:
        return 200, b""  # the pool is consumed by the load generator only
    body = scenario.get("body")
    if scenario.get("paths"):
        return http(scenario["method"], base + scenario["paths"][0], None, scenario.get("headers"))
    return http(scenario["method"], base + scenario["path"].replace("{n}", "probe"),
                body.replace("{n}", "probe").encode() if body else None, scenario.get("headers"))


def main_rounds(s: Suite, res: dict) -> None:
    a = s.args
    for rnd in range(a.rounds):
        proc, start = s.launch(a.users)
        try:
            time.sleep(0.3)
            res["startup_auth_ms"].append(start)
            res["rss_idle"].append(proc.rss_mib())
            status, body = http("GET", f"{s.base}{scenarios.ORG}/v2/team?page=0&pageSize=100",
                                headers={"Authorization": f"Bearer {s.token}"})
            res["list_bytes"] = len(body)
            email = s.user(a.users, min(a.users - 1, 123))["email"]
            team = s.generated_team()
            requests = scenarios.main_set(s.token, s.teams[0], team, email, [])
            for row in scenarios.ROWS:
                if not s.wanted(row.key):
                    continue
                if not s.has_route(row.needs):
                    res["waiting"][row.name] = row.waits_for or row.needs
                    continue
                if row.own:
                    continue  # measured below, in a server of its own
                res["rows"].setdefault(row.name, []).append(s.measure(requests[row.name], a.duration, a.warmup, proc))
                _log(f"round {rnd + 1} {row.name}: {res['rows'][row.name][-1]}")
            res["rss_load"].append(proc.rss_mib())
        finally:
            proc.stop()
        if s.wanted("fallback"):  # the same list page under the fallback server: the p99 reference
            proc, _ = s.launch(a.users, server="waitress")
            try:
                sc = scenarios.ROWS[0].build(scenarios.Ctx(s.token, s.teams[0], {}, ""))
                res["rows"].setdefault(report.FALLBACK, []).append(s.measure(sc, a.duration, a.warmup, proc))
                _log(f"round {rnd + 1} fallback: {res['rows'][report.FALLBACK][-1]}")
            finally:
                proc.stop()
        if any(r.own == "webhooks" and s.wanted(r.key) and s.has_route(r.needs) for r in scenarios.ROWS):
            proc, _ = s.launch(a.users)
            try:
                for name, figure in webhooks.measure(s, proc, a.duration, a.warmup, rnd).items():
                    res["rows"].setdefault(name, []).append(figure)
                    _log(f"round {rnd + 1} {name}: {figure}")
            except (AssertionError, OSError) as exc:
                for name in (webhooks.RATE, webhooks.QUIET, webhooks.BUSY, webhooks.LIVE,
                             webhooks.LIVE_QUIET):
                    res["rows"].setdefault(name, []).append({"error": str(exc)[:200]})
            finally:
                proc.stop()
        if not s.wanted("ceiling"):
            continue
        res["rows"].setdefault(report.CEILING, []).append(ceiling(s))
        _log(f"round {rnd + 1} ceiling: {res['rows'][report.CEILING][-1]}")
    for _ in range(a.startup_reps):  # as a user starts it: defaults, the key generated at start
        port = free_port()
        proc = Proc(s.mock_cmd[:] + ["--port", str(port), "--fixtures", str(s.fixtures_for(a.users))])
        try:
            res["startup_health_ms"].append(proc.wait_200(f"http://{LOOPBACK}:{port}/health"))
        finally:
            proc.stop()


def ceiling(s: Suite) -> dict:
    import jwt

    port = free_port()
    proc = Proc([sys.executable, "-m", "benchmarks.ceiling", "--port", str(port)],
                env={"BENCH_JWT_PUBKEY": str(s.pub), "BENCH_JWT_AUD": "wxcc-mock"})
    now = int(time.time())
    tok = jwt.encode({"iss": "wxcc-bench", "aud": "wxcc-mock", "sub": "bench-user", "org_id": tenant.BENCH_ORG,
                      "iat": now, "exp": now + 3600}, s.key.read_bytes(), algorithm="RS256")
    sc = {"method": "GET", "path": f"{scenarios.ORG}/v2/team?page=0&pageSize=100",
          "headers": {"Authorization": f"Bearer {tok}"}}
    try:
        proc.wait_200(f"http://{LOOPBACK}:{port}{sc['path']}", sc["headers"])
        base = f"http://{LOOPBACK}:{port}"
        if s.args.warmup:
            load(base, sc, s.args.warmup, loadgen=s.loadgen)
        cpu0 = proc.cpu_ms()
        result = load(base, sc, s.args.duration, loadgen=s.loadgen)
        result["cpu_us_per_req"] = (proc.cpu_ms() - cpu0) * 1000 / max(1, result["requests"])
        return result
    finally:
        proc.stop()


def scale_rounds(s: Suite, res: dict) -> None:
    a = s.args
    for rnd in range(a.scale_rounds):
        for users in a.sizes:
            for mode in a.scale_modes.split(","):
                state = s.work / f"state-{users}-{rnd}.json"
                proc, start = s.launch(users, str(state) if mode == "file" else "memory")
                key = (users, mode)
                try:
                    res["scale_start"].setdefault(key, []).append(start)
                    res["scale_rss"].setdefault(key, []).append(proc.rss_mib())
                    for op, sc in scenarios.scale_set(s.token, s.sample_users(users), s.generated_team()).items():
                        before = _file_state(state) if mode == "file" and op.startswith("create") else None
                        r = s.measure(sc, a.scale_duration, a.warmup)
                        if before is not None:
                            r["wal"] = _wal_growth(before, _file_state(state), r.get("requests"))
                        res["scale"].setdefault((users, mode, op), []).append(r)
                        _log(f"scale {users} {mode} {op}: {r}")
                    res["scale_rss_load"].setdefault(key, []).append(proc.rss_mib())
                finally:
                    proc.stop()
                if mode == "file":  # a restart loads the file it left (snapshot + log)
                    proc, restart = s.launch(users, str(state))
                    proc.stop()
                    res["scale_restart"].setdefault(users, []).append(restart)
                    state.unlink(missing_ok=True)
                    Path(str(state) + ".log").unlink(missing_ok=True)


def _file_state(path: Path) -> dict:
    log = Path(str(path) + ".log")
    st = path.stat() if path.exists() else None
    return {"snap_ino": st and (st.st_ino, st.st_mtime_ns), "snap_size": st.st_size if st else 0,
            "log_size": log.stat().st_size if log.exists() else 0}


def _wal_growth(before: dict, after: dict, requests) -> dict:
    return {"log_bytes": after["log_size"] - before["log_size"], "requests": requests,
            "snapshot_rewritten": before["snap_ino"] != after["snap_ino"], "snapshot_bytes": after["snap_size"]}


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="1 round, 1 s runs, sizes 200 and 1000, no peers (smoke)")
    ap.add_argument("--smoke", action="store_true", help="the quickest run that prints the table (for the tests)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=float, default=3, help="seconds of measured load per row and round")
    ap.add_argument("--warmup", type=float, default=1)
    ap.add_argument("--users", type=int, default=200, help="users in the main table's tenant")
    ap.add_argument("--sizes", default="200,10000,100000", help="tenant sizes of the scale curve")
    ap.add_argument("--scale-rounds", type=int, default=2)
    ap.add_argument("--scale-duration", type=float, default=2)
    ap.add_argument("--scale-modes", default="memory,file")
    ap.add_argument("--startup-reps", type=int, default=3)
    ap.add_argument("--peers", default=peers.DEFAULT_PEERS, help="peers run by shared/bench/run_peers.sh, or 'none'")
    ap.add_argument("--rows", default="", help="only these rows of the main table, by key (e.g. replace,token; "
                    "the list page is always measured; fallback, ceiling and webhook-* as keys); no scale curve, "
                    "start-up or peers")
    ap.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    ap.add_argument("--json", help="also write every figure to this file")
    ap.add_argument("--fail-on-error", action="store_true",
                    help="exit 1 when a measurement failed or had errors (CI: a broken benchmark fails the build)")
    a = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: every server we launched is stopped
    if a.quick:
        a.rounds, a.duration, a.warmup, a.scale_rounds, a.scale_duration = 1, 1, 0, 1, 1
        a.sizes, a.peers, a.startup_reps = "200,1000", "none", 1
    if a.smoke:
        a.rounds, a.duration, a.warmup, a.scale_rounds, a.scale_duration = 1, 0.3, 0, 1, 0.3
        a.sizes, a.peers, a.startup_reps, a.loadgen, a.scale_modes = "200", "none", 1, "python", "memory"
    if a.rows:
        a.sizes, a.startup_reps, a.peers = "", 0, "none"
    a.sizes = [int(x) for x in a.sizes.split(",") if x]
    t0 = time.time()
    s = Suite(a)
    s.prepare()
    res = {"rows": {}, "rss_idle": [], "rss_load": [], "startup_auth_ms": [], "startup_health_ms": [],
           "scale": {}, "scale_start": {}, "scale_restart": {}, "scale_rss": {}, "scale_rss_load": {},
           "waiting": {}, "peers": None}
    main_rounds(s, res)
    scale_rounds(s, res)
    if a.peers != "none":
        if peers.available():
            try:
                res["peers"] = peers.run(a.peers, s.mock_cmd + ["--fixtures", str(s.fixtures_for(a.users))],
                                         {**os.environ, **s.env(MOCKSERVER_PUBLIC_BASE_URL=f"http://{LOOPBACK}:{peers.PORT}")},
                                         s.mint(f"http://{LOOPBACK}:{peers.PORT}"), rounds=2, duration=5, warmup=2,
                                         budget_s=300)
            except RuntimeError as exc:
                res["peers_error"] = str(exc)
        else:
            res["peers_error"] = "shared/bench/run_peers.sh --install has not been run"
    meta = {"elapsed_s": time.time() - t0,
            "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(t0)), "loadgen": s.loadgen,
            "standin": s.standin, "machine": _machine(),
            "sources": {str(k): v for k, v in s.sources.items()}, "args": {k: v for k, v in vars(a).items()}}
    print(report.render(res, meta))
    if a.json:
        Path(a.json).write_text(json.dumps({"meta": meta, "results": report.jsonable(res)}, indent=1, default=str))
    broken = report.broken(res, {r.name for r in scenarios.ROWS if r.provisional})
    if broken:
        _log("benchmark failures: " + "; ".join(broken))
    return 1 if (a.fail_on_error and broken) else 0


def _machine() -> str:
    cpu = "?"
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                   if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} vCPU {cpu}, {platform.system()} {platform.release()}, Python {platform.python_version()}"
