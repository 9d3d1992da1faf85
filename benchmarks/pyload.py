"""A bounded closed-loop load generator in Python (when wrk is not installed): JSON spec on stdin, JSON result out.

Far slower than wrk (the client costs more CPU than the server on 2 cores), so its figures are a floor;
the suite says which generator it used.
"""
from __future__ import annotations

import http.client
import json
import re
import sys
import threading
import time
from urllib.parse import urlsplit

_REFRESH = re.compile(rb'"refresh_token":"([^"]+)"')


def main() -> int:
    spec = json.load(sys.stdin)
    sc, duration, conns = spec["scenario"], float(spec["duration"]), int(spec["connections"])
    netloc = urlsplit(spec["base"]).netloc
    host, port = netloc.split(":")
    assert host == "127.0.0.1", host
    pool = list(sc.get("refresh_pool") or [])
    lock = threading.Lock()
    counter = iter(range(1, 10**9))
    latencies, errors = [], [0]
    stop_at = time.perf_counter() + duration

    def worker():
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        while time.perf_counter() < stop_at:
            with lock:
                n = str(next(counter))
                tok = pool.pop() if pool else None
            headers = dict(sc.get("headers", {}))
            body = sc.get("body")
            if sc.get("refresh_pool"):
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                body = body + (tok or "")
            elif body is not None:
                body = body.replace("{n}", n)
            t0 = time.perf_counter()
            try:
                path = sc["paths"][int(n) % len(sc["paths"])] if sc.get("paths") else sc["path"].replace("{n}", n)
                conn.request(sc["method"], path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=5)
                continue
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                if resp.status >= 400:
                    errors[0] += 1
                m = _REFRESH.search(data) if sc.get("refresh_pool") else None
                if m:
                    pool.append(m.group(1).decode())
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 30)
    elapsed = time.perf_counter() - t0
    latencies.sort()

    def pick(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else None

    json.dump({"rps": len(latencies) / elapsed, "p50_ms": pick(0.5), "p99_ms": pick(0.99), "errors": errors[0],
               "requests": len(latencies)}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
