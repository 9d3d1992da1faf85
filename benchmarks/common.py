"""Shared pieces of the benchmarks: launch a server and time its first 200, drive load (wrk or Python), read RSS."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: ../shared/bench of the checkout (a worktree under /work/wt/<name> finds it one level further up).
SHARED_BENCH = Path(os.environ.get("WXCC_SHARED_BENCH") or next(
    (p for p in (ROOT.parent / "shared" / "bench", ROOT.parent.parent / "shared" / "bench") if p.is_dir()),
    ROOT.parent / "shared" / "bench"))
LOOPBACK = "127.0.0.1"
_DONE_LUA = r'''
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"err_connect":%d,"err_read":%d,"err_write":%d,' ..
    '"err_status":%d,"err_timeout":%d,"p50_us":%d,"p99_us":%d}\n', summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(99)))
end
'''


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None, timeout: float = 10):
    """(status, body bytes) of one request (loopback only)."""
    assert url.startswith(f"http://{LOOPBACK}:"), url
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Proc:
    """A server process we started: its PID, startup time, RSS; stopped by PID only."""

    def __init__(self, cmd: list[str], env: dict | None = None, cwd: str | Path = ROOT, log: Path | None = None):
        self.log = log or Path(tempfile.mktemp(prefix="wxcc-bench-", suffix=".log"))
        self._fh = open(self.log, "wb")
        self.t0 = time.perf_counter()
        self.p = subprocess.Popen(cmd, cwd=str(cwd), env={**os.environ, **(env or {})}, stdout=self._fh,
                                  stderr=subprocess.STDOUT, start_new_session=True)

    def wait_200(self, url: str, headers: dict | None = None, limit: float = 60.0) -> float:
        """Milliseconds from launch to the first 200 on ``url`` (polled every 5 ms)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.p.poll() is not None:
                raise RuntimeError(f"server exited ({self.p.returncode}); log: {self.log}\n{self.tail()}")
            try:
                status, _ = http("GET", url, headers=headers, timeout=2)
                if status == 200:
                    return (time.perf_counter() - self.t0) * 1000
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.005)
        raise RuntimeError(f"no 200 from {url} within {limit} s; log: {self.log}\n{self.tail()}")

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def rss_mib(self) -> float:
        """Resident memory of the process and its children, MiB."""
        total = 0
        for pid in [self.p.pid, *_children(self.p.pid)]:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return total / 1024

    def cpu_ms(self) -> float:
        """CPU time (user + system, every thread) the process and its children have used, ms."""
        total = 0.0
        for pid in [self.p.pid, *_children(self.p.pid)]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
            except (OSError, IndexError, ValueError):
                pass
        return total

    def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM (then SIGKILL after ``timeout``) to our process; returns its exit code."""
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait(5)
        self._fh.close()
        return self.p.returncode


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    kids = [int(x) for x in text.split()]
    return kids + [g for k in kids for g in _children(k)]


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def lua_for(scenario: dict) -> str:
    """A wrk script for a scenario: fixed request (fast C path) or one built per request."""
    lines = []
    if scenario.get("refresh_pool"):
        pool = ",".join(json.dumps(t) for t in scenario["refresh_pool"])
        lines.append(f"local pool = {{{pool}}}\nlocal last = pool[1]")
        lines.append("request = function()\n  local t = table.remove(pool) or last\n"
                     f"  return wrk.format('POST', {json.dumps(scenario['path'])}, "
                     "{['Content-Type']='application/x-www-form-urlencoded'}, "
                     f"{json.dumps(scenario['body'])} .. t)\nend")
        lines.append("response = function(status, headers, body)\n"
                     "  local t = body:match('\"refresh_token\":\"([^\"]+)\"')\n"
                     "  if t then table.insert(pool, t); last = t end\nend")
    elif scenario.get("paths"):  # cycle through many URLs (defeats the page cache: every request a miss)
        hdrs = ",".join(f"[{json.dumps(k)}]={json.dumps(v)}" for k, v in scenario.get("headers", {}).items())
        paths = ",".join(json.dumps(p) for p in scenario["paths"])
        lines.append(f"local n = 0\nlocal hdrs = {{{hdrs}}}\nlocal paths = {{{paths}}}")
        lines.append("request = function()\n  n = n + 1\n"
                     f"  return wrk.format({json.dumps(scenario['method'])}, paths[(n % #paths) + 1], hdrs, nil)\nend")
    elif "{n}" in scenario["path"] or "{n}" in (scenario.get("body") or ""):
        hdrs = ",".join(f"[{json.dumps(k)}]={json.dumps(v)}" for k, v in scenario.get("headers", {}).items())
        body = json.dumps(scenario.get("body")) if scenario.get("body") is not None else "nil"
        lines.append(f"local n = 0\nlocal hdrs = {{{hdrs}}}\nlocal body = {body}\n"
                     f"local path = {json.dumps(scenario['path'])}")
        lines.append("request = function()\n  n = n + 1\n  local s = tostring(n)\n"
                     "  local b = body and body:gsub('{n}', s) or nil\n"
                     f"  return wrk.format({json.dumps(scenario['method'])}, path:gsub('{{n}}', s), hdrs, b)\nend")
    else:
        lines.append(f"wrk.method = {json.dumps(scenario['method'])}")
        for k, v in scenario.get("headers", {}).items():
            lines.append(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}")
        if scenario.get("body") is not None:
            lines.append(f"wrk.body = {json.dumps(scenario['body'])}")
    return "\n".join(lines) + "\n" + _DONE_LUA


def load(base: str, scenario: dict, duration: float, connections: int = 16, loadgen: str = "auto") -> dict:
    """Closed-loop load from a separate process: {'rps', 'p50_ms', 'p99_ms', 'errors', 'requests'}."""
    if loadgen == "wrk" or (loadgen == "auto" and have_wrk()):
        return _wrk(base, scenario, duration, connections)
    return _pyload(base, scenario, duration, connections)


def _wrk(base, scenario, duration, connections) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(lua_for(scenario))
    try:
        url = base + scenario["path"].replace("{n}", "0")
        cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "5s",
               "-s", fh.name, url]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30).stdout
    finally:
        os.unlink(fh.name)
    line = next((ln for ln in out.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{out[-1500:]}")
    d = json.loads(line[8:])
    errors = d["err_connect"] + d["err_read"] + d["err_write"] + d["err_timeout"] + d["err_status"]
    return {"rps": d["requests"] / (d["duration_us"] / 1e6), "p50_ms": d["p50_us"] / 1000,
            "p99_ms": d["p99_us"] / 1000, "errors": errors, "requests": d["requests"]}


def _pyload(base, scenario, duration, connections) -> dict:
    spec = json.dumps({"base": base, "scenario": scenario, "duration": duration, "connections": connections})
    out = subprocess.run([sys.executable, "-m", "benchmarks.pyload"], input=spec, capture_output=True, text=True,
                         cwd=str(ROOT), timeout=duration + 60)
    if out.returncode:
        raise RuntimeError(out.stderr[-1500:])
    return json.loads(out.stdout)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
