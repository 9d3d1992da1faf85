"""The suite's one table (markdown): every figure is a median over this run's rounds; ratios compare this run only."""
from __future__ import annotations

from .common import median

CEILING = "ceiling: bare Flask + PyJWT, same server"
LIST = "list teams (100/page, ~60 KB)"
FALLBACK = "list teams, fallback server (MOCKSERVER_SERVER=waitress)"
BACKLOG_LIMIT = 100  # deliveries still queued at the end of the live webhook row: 0.2 s of its ~500 events/s
PRISM = "prism-silent"
MOCK = "wxcc-mock"


def _rps(runs, unit: str = "req/s"):
    ok = [r for r in runs if "rps" in r]
    if not ok:
        return None, "failed: " + "; ".join(r.get("error", "?") for r in runs)[:120]
    xs = [r["rps"] for r in ok]
    return median(xs), f"{median(xs):,.0f} {unit} [{min(xs):,.0f}–{max(xs):,.0f}]"


def _units() -> dict:
    from .scenarios import ROWS

    return {r.name: r.unit for r in ROWS}


def _lat(runs, key):
    v = median([r.get(key) for r in runs if key in r])
    return "" if v is None else f"{v:.2f}"


def _errors(runs):
    return str(sum(r.get("errors", 0) for r in runs if "rps" in r))


def _ms(xs):
    return f"{median(xs):,.0f} ms [{min(xs):,.0f}–{max(xs):,.0f}]" if xs else "n/a"


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _cpu(runs):
    v = median([r.get("cpu_us_per_req") for r in runs if r.get("cpu_us_per_req")])
    return "" if v is None else f"{v:,.0f}"


def _live_note(runs) -> str:
    """The live webhook row's other figures: the source's rate, lag event -> receipt, backlog (medians)."""
    def fig(key, fmt="{:,.0f}"):
        values = [r[key] for r in runs if r.get(key) is not None]
        return fmt.format(median(values)) if values else "n/a"

    return (f"events emitted {fig('events_per_s')}/s; lag event -> receipt p50 {fig('lag_p50_ms', '{:,.1f}')} ms, "
            f"p99 {fig('lag_p99_ms', '{:,.1f}')} ms; backlog {fig('backlog_start')} at the start, "
            f"{fig('backlog_end')} at the end")


def render(res: dict, meta: dict) -> str:
    """The targets table (each with its measured ratio and met / not met), then every measurement."""
    rows = [("measurement", "value", "p50 ms", "p99 ms", "errors", "server CPU µs/req", "note")]
    units = _units()
    for name, runs in res["rows"].items():
        _, text = _rps(runs, units.get(name, "req/s"))
        note = f"body {res.get('list_bytes', 0):,} B" if name == LIST else ""
        paced = [r["deliveries_per_s"] for r in runs if "deliveries_per_s" in r]
        if paced:
            note = (f"deliveries meanwhile {median(paced):,.0f}/s [{min(paced):,.0f}–{max(paced):,.0f}]"
                    + ("" if all(r.get("delivering_throughout") for r in runs if "rps" in r)
                       else "; the queue ran dry in a round"))
        live = [r for r in runs if "events_per_s" in r]
        if live:
            note += "; " + _live_note(live)
        rows.append((name, text, _lat(runs, "p50_ms"), _lat(runs, "p99_ms"), _errors(runs), _cpu(runs), note))
    for name, api in res.get("waiting", {}).items():
        rows.append((name, f"waits for {api}", "", "", "", "", "declared in benchmarks/scenarios.py ROWS"))
    rows.append(("launch -> first 200, list page with a token (key from file)", _ms(res["startup_auth_ms"]),
                 "", "", "", "", ""))
    rows.append(("launch -> first 200, /health, defaults (key generated)", _ms(res["startup_health_ms"]),
                 "", "", "", "", ""))
    rows.append(("RSS idle (demo tenant + 100 teams)", f"{median(res['rss_idle']):.1f} MiB", "", "", "", "", ""))
    rows.append(("RSS after the load above", f"{median(res['rss_load']):.1f} MiB", "", "", "", "", ""))
    rows += [r[:5] + ("", r[5]) for r in _scale_rows(res)]
    rows += [r[:5] + ("", r[5]) for r in _peer_rows(res)]
    out = ["## Targets (ratios of this run)", "", "| target | measured | verdict |", "|---|---|---|"]
    out += [f"| {t} | {m} | {v} |" for t, m, v in targets(res, meta)]
    out += ["", "## Measurements", ""]
    out += ["| " + " | ".join(r) + " |" for r in rows[:1]] + ["|" + "---|" * len(rows[0])]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    flag = " Configuration API routes: STAND-IN (benchmarks/standin.py), not merged yet." if meta["standin"] else ""
    out.append("")
    out.append(f"Run started {meta.get('started', '?')}. Machine: {meta['machine']}. Load: {meta['loadgen']} -t1 -c16 "
               f"(closed loop; p50 ~ 16/throughput). Rounds: {meta['args']['rounds']} x {meta['args']['duration']} s "
               f"(scale: {meta['args']['scale_rounds']} x {meta['args']['scale_duration']} s). "
               f"Elapsed {meta['elapsed_s']:.0f} s.{flag}")
    if res.get("peers_error"):
        out.append(f"Peers not run: {res['peers_error']}")
    return "\n".join(out)


def _verdict_row(target: str, value, limit, higher: bool, fmt: str = "{:.2f}x", why: str = "") -> tuple:
    if value is None:
        return target, "n/a", f"not measured{': ' + why if why else ''}"
    ok = value >= limit if higher else value <= limit
    return target, fmt.format(value), _verdict(ok)


def targets(res: dict, meta: dict) -> list[tuple]:
    """Every target of issue 16 with this run's figure (docs/performance.md explains each)."""
    rows = res["rows"]
    rps = {name: _rps(runs)[0] for name, runs in rows.items()}
    list_rps, ceiling_rps = rps.get(LIST), rps.get(CEILING)
    peers = res.get("peers") or {}
    mock, prism = peers.get(MOCK, {}), peers.get(PRISM, {})
    no_peers = "peers not run" + (f" ({res['peers_error']})" if res.get("peers_error") else "")
    ratio = lambda a, b: a / b if a and b else None  # noqa: E731
    out = [_verdict_row("list page >= 2.0x Prism silent (peer harness, same run)",
                        ratio(mock.get("rps_median"), prism.get("rps_median")), 2.0, True, why=no_peers),
           _verdict_row("list page >= 1.0x the bare Flask + PyJWT ceiling (same server)",
                        ratio(list_rps, ceiling_rps), 1.0, True)]
    from .scenarios import ROWS, WEBHOOK_QUIET

    for row in ROWS:
        why = res.get("waiting", {}).get(row.name, "")
        if row.vs_list is not None:
            out.append(_verdict_row(f"{row.name} >= {row.vs_list}x the list page", ratio(rps.get(row.name), list_rps),
                                    row.vs_list, True, why=why))
        if row.at_least is not None:
            out.append(_verdict_row(f"{row.name} >= {row.at_least:,g} {row.unit}", rps.get(row.name), row.at_least,
                                    True, "{:,.0f} " + row.unit, why=why))
        if row.vs_share is not None:
            out.append(_verdict_row(f"{row.name} >= {row.vs_share}x {row.vs_row.split(' (')[0]}",
                                    ratio(rps.get(row.name), rps.get(row.vs_row)), row.vs_share, True, why=why))
        made = median([r["deliveries_per_s"] for r in rows.get(row.name, []) if "deliveries_per_s" in r])
        if row.keeps_up == "reference":  # a receiver paced to exactly 500/s: no slack, so printed only
            out.append(("webhook deliveries meanwhile, receiver paced to 500/s (printed: reference, see "
                        "docs/performance.md)", "n/a" if made is None else f"{made:,.0f}/s", "printed"))
        elif row.keeps_up == "target":  # keeping up with ~500 events/s: 95% of 500, and no backlog left growing
            live = [r for r in rows.get(row.name, []) if "deliveries_per_s" in r]
            out.append(_verdict_row("webhook deliveries meanwhile >= 475/s (the simulation emitting ~500 events/s)",
                                    made, 475, True, "{:,.0f}/s", why=why or "not measured"))
            vs_idle = ratio(rps.get(row.name), rps.get(WEBHOOK_QUIET))
            out.append((f"{row.name} vs {WEBHOOK_QUIET.split(' (')[0]} (printed: the simulation's own cost included)",
                        "n/a" if vs_idle is None else f"{vs_idle:.2f}x", "printed"))
            out.append(_verdict_row(f"webhook backlog at the end of the load <= {BACKLOG_LIMIT} (not growing)",
                                    median([r["backlog_end"] for r in live]), BACKLOG_LIMIT, False, "{:,.0f}",
                                    why=why or "not measured"))
    cpu = median([r.get("cpu_us_per_req") for r in rows.get(LIST, []) if r.get("cpu_us_per_req")])
    cpu_ceiling = median([r.get("cpu_us_per_req") for r in rows.get(CEILING, []) if r.get("cpu_us_per_req")])
    out.append(("server CPU per request, list page (printed; ceiling for reference)",
                f"{cpu:,.0f} µs (ceiling {cpu_ceiling:,.0f} µs)" if cpu and cpu_ceiling else "n/a", "printed"))
    p99 = median([r.get("p99_ms") for r in rows.get(LIST, []) if "p99_ms" in r])
    p99_old = median([r.get("p99_ms") for r in rows.get(FALLBACK, []) if "p99_ms" in r])
    out.append(_verdict_row("p99 at 16 connections, list page, no worse than today's server (waitress, same run)",
                            ratio(p99, p99_old), 1.0, False, "{:.2f}x" + (f" ({p99:.1f} vs {p99_old:.1f} ms)"
                                                                          if p99 and p99_old else "")))
    prism_start = prism.get("startup_ms")
    out.append(_verdict_row("launch -> first 200 <= 0.25x Prism's (defaults, 200 users; peer harness)",
                            ratio(mock.get("startup_ms"), prism_start), 0.25, False, why=no_peers))
    start_10k = median(res["scale_start"].get((10000, "memory"), []))
    out.append(_verdict_row("launch -> first 200 with 10,000 users <= 0.25x Prism's",
                            ratio(start_10k, prism_start), 0.25, False,
                            why=no_peers if start_10k else "10,000 users not in --sizes"))
    start_100k = median(res["scale_start"].get((100000, "memory"), []))
    out.append(_verdict_row("launch -> first 200 with 100,000 users < 1.5 s", start_100k and start_100k / 1000,
                            1.5, False, "{:.2f} s", why="100,000 users not in --sizes"))
    out.append(_verdict_row("RSS idle <= 0.5x Prism's (demo tenant; peer harness)",
                            ratio(mock.get("rss_idle_mib"), prism.get("rss_idle_mib")), 0.5, False, why=no_peers))
    rss_100k = max(res.get("scale_rss_load", {}).get((100000, "memory"), []) +
                   res.get("scale_rss", {}).get((100000, "memory"), []), default=None)
    out.append(_verdict_row("RSS with 100,000 users <= 400 MiB (after the scale load)", rss_100k, 400, False,
                            "{:.0f} MiB", why="100,000 users not in --sizes"))
    return out


def broken(res: dict, provisional: set) -> list[str]:
    """Measurements that failed or saw errors (rows still provisional excepted)."""
    out = []
    for name, runs in list(res["rows"].items()) + [(f"scale {k}", v) for k, v in res["scale"].items()]:
        if name in provisional:
            continue
        for r in runs:
            if "error" in r:
                out.append(f"{name}: {r['error']}")
            elif r.get("errors"):
                out.append(f"{name}: {r['errors']} errors")
    return out


def _scale_rows(res: dict) -> list[tuple]:
    rows = []
    sizes = sorted({k[0] for k in res["scale"]})
    if not sizes:
        return rows
    small = sizes[0]
    for (users, mode), starts in sorted(res["scale_start"].items()):
        idle, after = res.get("scale_rss", {}).get((users, mode)), res.get("scale_rss_load", {}).get((users, mode))
        note = f"RSS {median(idle):.0f} MiB at start, {max(after):.0f} MiB after the load" if idle and after else ""
        rows.append((f"scale {users:,} users, {mode}: launch -> first 200", _ms(starts), "", "", "", note))
    for users, starts in sorted(res["scale_restart"].items()):
        rows.append((f"scale {users:,} users, file: restart (load snapshot + log) -> first 200", _ms(starts),
                     "", "", "", ""))
    for (users, mode, op), runs in sorted(res["scale"].items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0])):
        _, text = _rps(runs)
        note = ""
        base = res["scale"].get((small, mode, op))
        p50, p50_small = median([r.get("p50_ms") for r in runs]), median([r.get("p50_ms") for r in base or []])
        if users != small and p50 and p50_small:
            growth = p50 / p50_small
            note = f"p50 x{growth:.2f} vs {small:,} (target <= 2: {_verdict(growth <= 2)})"
        wal = [r["wal"] for r in runs if r.get("wal")]
        if wal and wal[0].get("requests"):
            per = median([w["log_bytes"] / w["requests"] for w in wal if w["requests"]])
            rewritten = any(w["snapshot_rewritten"] for w in wal)
            note += (f"; {per:,.0f} B appended to the log per create, snapshot "
                     f"({wal[0]['snapshot_bytes']:,} B) {'REWRITTEN' if rewritten else 'untouched'}")
        rows.append((f"scale {users:,} users, {mode}: {op}", text, _lat(runs, "p50_ms"), _lat(runs, "p99_ms"),
                     _errors(runs), note.lstrip("; ")))
    return rows


def _peer_rows(res: dict) -> list[tuple]:
    peers = res.get("peers") or {}
    rows = []
    for name, s in peers.items():
        if "rps_median" not in s:
            rows.append((f"peer run: {name}", "failed: " + "; ".join(s.get("failures", []))[:120], "", "", "", ""))
            continue
        value = (f"{s['rps_median']:,.0f} req/s [{s['rps_min']:,.0f}–{s['rps_max']:,.0f}], "
                 f"{s.get('body_bytes') or 0:,} B, start {s.get('startup_ms') or 0:,.0f} ms, "
                 f"RSS idle {s.get('rss_idle_mib') or 0:.0f} MiB, CPU {s.get('cpu_us_per_req') or 0:,.0f} µs/req")
        rows.append((f"peer run (run_peers.sh): {name}", value, f"{s['p50_ms']:.2f}", f"{s['p99_ms']:.2f}",
                     str(s.get("errors", 0) + s.get("non2xx", 0)), ""))
    return rows


def jsonable(res: dict) -> dict:
    """Tuple keys turned into strings for the JSON dump."""
    return {k: ({"/".join(map(str, kk)) if isinstance(kk, tuple) else str(kk): vv for kk, vv in v.items()}
                if isinstance(v, dict) else v) for k, v in res.items()}
