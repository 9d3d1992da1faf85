"""Where a start's CPU goes: ``python -m benchmarks.startup [--runs 3]`` (docs/performance.md "Start-up").

Each run is a fresh process doing what ``mockserver serve`` does before its first answer (the deferred modules'
stand-ins, no garbage collection, the signing key read from a file, ``create_app``, the Granian server made,
then the list page with a token through the test client), with every module's import timed in thread CPU time:
unlike ``python -X importtime``'s wall clock, that does not count the time the process waits for a core, so the
figures hold on a busy machine (each module's smallest over the runs is kept), and each step of the start the same
way. Prints markdown tables.
"""
from __future__ import annotations

import os
import sys
import time

# Nothing else is imported here: a measured start imports every module itself, as the server would.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: Top-level package -> the group it is counted in (the rest: the standard library).
GROUPS = {"mockserver": "the mock's own modules",
          **dict.fromkeys(("flask", "werkzeug", "jinja2", "click", "itsdangerous", "markupsafe", "blinker"),
                          "Flask, Werkzeug, Jinja2, click, itsdangerous, MarkupSafe, blinker"),
          **dict.fromkeys(("cryptography", "jwt", "_cffi_backend"), "cryptography, PyJWT"),
          **dict.fromkeys(("granian", "asyncio", "anyio", "multiprocessing", "concurrent"),
                          "Granian (with asyncio, multiprocessing)"),
          **dict.fromkeys(("marshmallow", "webargs", "flask_smorest", "apispec", "packaging"),
                          "marshmallow, webargs, flask-smorest, apispec, packaging"),
          **dict.fromkeys(("tinydb", "orjson", "msgspec", "sqlite3", "_sqlite3", "re2", "swagger_ui_bundle"),
                          "TinyDB, orjson, sqlite3, re2, swagger-ui-bundle")}


def child(out: str) -> None:
    """One start, timed (run in a fresh process)."""
    import importlib._bootstrap as bootstrap

    clock = time.thread_time_ns
    find_and_load, stack, rows = bootstrap._find_and_load, [], []

    def timed(name, import_):
        if name in sys.modules:
            return find_and_load(name, import_)
        stack.append([clock(), 0])
        try:
            return find_and_load(name, import_)
        finally:
            start, children = stack.pop()
            spent = clock() - start
            rows.append((name, spent - children, len(stack)))
            if stack:
                stack[-1][1] += spent

    bootstrap._find_and_load = timed
    began = clock()
    from mockserver.compat import deferred

    deferred.install()
    import gc

    gc.disable()
    from mockserver.auth.keys import generate_early
    from mockserver.config import Config

    cfg = Config.from_env(host="127.0.0.1", port=0, access_log=False, public_base_url="http://127.0.0.1:1")
    generate_early(cfg.signing_key)
    steps = {"settings, the stand-ins, the key's thread started": clock() - began}
    import mockserver

    mark = clock()
    app = mockserver.create_app(cfg)
    steps["create_app (the imports it makes included)"] = clock() - mark
    from mockserver.serving.server import make_server

    mark = clock()
    make_server(app, cfg)
    steps["the Granian server made (Granian imported)"] = clock() - mark
    mark = clock()
    rt = app.extensions["wxcc"]
    person = rt.find_person("full.admin@acme.example")
    token, _ = rt.tokens.mint(issuer=cfg.public_base_url, sub=person["id"], org_id=person["orgId"],
                              client_id="mock-test-client", roles=person.get("roles", []), scopes=["cjp:config_read"])
    with app.test_client() as client:
        status = client.get(f"/organization/{person['orgId']}/v2/team?page=0&pageSize=100",
                            headers={"Authorization": f"Bearer {token}"}).status_code
    done = clock()
    steps["a token minted, the list page through the test client"] = done - mark
    bootstrap._find_and_load = find_and_load
    import json

    with open(out, "w") as fh:
        json.dump({"status": status, "total_ns": done - began, "modules": rows, "steps": steps}, fh)


def measure(runs: int) -> dict:
    """Each module's smallest self time over ``runs`` fresh starts, and the starts' main-thread CPU."""
    import json
    import subprocess
    import tempfile
    from pathlib import Path

    best: dict[str, int] = {}
    steps: dict[str, list[int]] = {}
    totals = []
    work = Path(tempfile.mkdtemp(prefix="wxcc-startup-"))
    key = work / "signing-key.pem"  # made by the first start, read by every measured one (the suite's case)
    env = {**os.environ, "MOCKSERVER_SIGNING_KEY": str(key)}
    for run in range(runs + 1):
        out = work / f"run-{run}.json"
        subprocess.run([sys.executable, "-m", "benchmarks.startup", "--child", str(out)], cwd=ROOT, check=True,
                       env=env)
        got = json.loads(out.read_text())
        if run == 0:
            continue
        assert got["status"] == 200, got["status"]
        totals.append(got["total_ns"])
        for step, spent in got["steps"].items():
            steps.setdefault(step, []).append(spent)
        for name, spent, _depth in got["modules"]:
            best[name] = min(best.get(name, spent), spent)
    return {"best": best, "totals": totals, "steps": steps}


def report(res: dict) -> str:
    import collections

    best, totals = res["best"], res["totals"]
    imports = sum(best.values())
    groups, counts = collections.Counter(), collections.Counter()
    for name, spent in best.items():
        group = GROUPS.get(name.partition(".")[0], "the standard library")
        groups[group] += spent
        counts[group] += 1
    out = [f"Main thread CPU of a start: {min(totals) / 1e6:,.0f} ms at least over {len(totals)} runs "
           f"(median {sorted(totals)[len(totals) // 2] / 1e6:,.0f} ms); imports {imports / 1e6:,.0f} ms of it "
           f"({len(best)} modules, each module's least).", "",
           "| imported | modules | CPU ms | share of the imports |", "|---|---|---|---|"]
    out += [f"| {group} | {counts[group]} | {spent / 1e6:,.1f} | {spent / imports:.0%} |"
            for group, spent in groups.most_common()]
    out += ["", "| step (main thread CPU, its imports included) | least ms | median ms |", "|---|---|---|"]
    out += [f"| {step} | {min(spent) / 1e6:,.1f} | {sorted(spent)[len(spent) // 2] / 1e6:,.1f} |"
            for step, spent in res.get("steps", {}).items()]
    out += ["", "| module (its own code, not what it imports) | CPU ms |", "|---|---|"]
    out += [f"| `{name}` | {spent / 1e6:,.2f} |" for name, spent in sorted(best.items(), key=lambda x: -x[1])[:15]]
    return "\n".join(out)


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="fresh starts measured (each module's least is kept)")
    ap.add_argument("--child", metavar="OUT", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    import compileall

    compileall.compile_dir(os.path.join(ROOT, "mockserver"), quiet=1, workers=1)  # as an installed copy has (run.py)
    print(report(measure(max(1, args.runs))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
