"""The suite's one table (markdown): every figure is a median over this run's rounds; ratios compare this run only."""
from __future__ import annotations

from .common import median

CEILING = "ceiling: bare Flask + PyJWT, same server"
LIST = "list teams (100/page, ~60 KB)"


def _rps(runs):
    ok = [r for r in runs if "rps" in r]
    if not ok:
        return None, "failed: " + "; ".join(r.get("error", "?") for r in runs)[:120]
    xs = [r["rps"] for r in ok]
    return median(xs), f"{median(xs):,.0f} req/s [{min(xs):,.0f}–{max(xs):,.0f}]"


def _lat(runs, key):
    v = median([r.get(key) for r in runs if key in r])
    return "" if v is None else f"{v:.2f}"


def _errors(runs):
    return str(sum(r.get("errors", 0) for r in runs if "rps" in r))


def _ms(xs):
    return f"{median(xs):,.0f} ms [{min(xs):,.0f}–{max(xs):,.0f}]" if xs else "n/a"


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def render(res: dict, meta: dict) -> str:
    rows = [("measurement", "value", "p50 ms", "p99 ms", "errors", "ratio (same run) / target")]
    ceiling_rps, _ = _rps(res["rows"].get(CEILING, []))
    list_rps = None
    for name, runs in res["rows"].items():
        rps, text = _rps(runs)
        note = ""
        if name == LIST:
            list_rps = rps
            if rps and ceiling_rps:
                note = f"{rps / ceiling_rps:.2f}x the ceiling (target >= 0.8: {_verdict(rps / ceiling_rps >= 0.8)})"
            note += f"; body {res.get('list_bytes', 0):,} B"
        rows.append((name, text, _lat(runs, "p50_ms"), _lat(runs, "p99_ms"), _errors(runs), note))
    rows.append(("launch -> first 200, list page with a token (key from file)", _ms(res["startup_auth_ms"]),
                 "", "", "", ""))
    rows.append(("launch -> first 200, /health, defaults (key generated)", _ms(res["startup_health_ms"]),
                 "", "", "", ""))
    rows.append(("RSS idle (demo tenant + 100 teams)", f"{median(res['rss_idle']):.1f} MiB", "", "", "", ""))
    rows.append(("RSS after the load above", f"{median(res['rss_load']):.1f} MiB", "", "", "", ""))
    rows += _scale_rows(res)
    rows += _peer_rows(res, list_rps)
    out = ["| " + " | ".join(r) + " |" for r in rows]
    out.insert(1, "|" + "---|" * len(rows[0]))
    flag = " Configuration API routes: STAND-IN (benchmarks/standin.py), not merged yet." if meta["standin"] else ""
    out.append("")
    out.append(f"Machine: {meta['machine']}. Load: {meta['loadgen']} -t1 -c16 (closed loop; p50 ~ 16/throughput). "
               f"Rounds: {meta['args']['rounds']} x {meta['args']['duration']} s (scale: "
               f"{meta['args']['scale_rounds']} x {meta['args']['scale_duration']} s). "
               f"Elapsed {meta['elapsed_s']:.0f} s.{flag}")
    if res.get("peers_error"):
        out.append(f"Peers not run: {res['peers_error']}")
    return "\n".join(out)


def _scale_rows(res: dict) -> list[tuple]:
    rows = []
    sizes = sorted({k[0] for k in res["scale"]})
    if not sizes:
        return rows
    small = sizes[0]
    for (users, mode), starts in sorted(res["scale_start"].items()):
        note = ""
        if users == sizes[-1] and users >= 100000:
            note = f"target < 3 s: {_verdict(median(starts) < 3000)}"
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


def _peer_rows(res: dict, list_rps) -> list[tuple]:
    peers = res.get("peers") or {}
    if not peers:
        return []
    rows = []
    mock = peers.get("wxcc-mock", {})
    for name, s in peers.items():
        if "rps_median" not in s:
            rows.append((f"peer run: {name}", "failed: " + "; ".join(s.get("failures", []))[:120], "", "", "", ""))
            continue
        note = ""
        if name != "wxcc-mock" and mock.get("rps_median"):
            note = f"mock/peer req/s {mock['rps_median'] / s['rps_median']:.2f}"
            if name == "prism-silent":
                note += f" (target >= 1.5: {_verdict(mock['rps_median'] / s['rps_median'] >= 1.5)})"
                if mock.get("startup_ms") and s.get("startup_ms"):
                    r = mock["startup_ms"] / s["startup_ms"]
                    note += f"; startup {r:.2f} (target <= 0.33: {_verdict(r <= 1 / 3)})"
                if mock.get("rss_idle_mib") and s.get("rss_idle_mib"):
                    r = mock["rss_idle_mib"] / s["rss_idle_mib"]
                    note += f"; idle RSS {r:.2f} (target <= 0.5: {_verdict(r <= 0.5)})"
        value = (f"{s['rps_median']:,.0f} req/s [{s['rps_min']:,.0f}–{s['rps_max']:,.0f}], "
                 f"{s.get('body_bytes') or 0:,} B, start {s.get('startup_ms') or 0:,.0f} ms, "
                 f"RSS idle {s.get('rss_idle_mib') or 0:.0f} MiB")
        rows.append((f"peer run (run_peers.sh): {name}", value, f"{s['p50_ms']:.2f}", f"{s['p99_ms']:.2f}",
                     str(s.get("errors", 0) + s.get("non2xx", 0)), note))
    return rows


def jsonable(res: dict) -> dict:
    """Tuple keys turned into strings for the JSON dump."""
    return {k: ({"/".join(map(str, kk)) if isinstance(kk, tuple) else str(kk): vv for kk, vv in v.items()}
                if isinstance(v, dict) else v) for k, v in res.items()}
