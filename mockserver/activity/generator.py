"""The traffic generator: seeded arrivals per entry point (a rate, optionally shaped by a daily curve), simulated
agents who answer, handle and wrap up, customers who abandon. A window in the past runs at once (weeks of history
in seconds); the part of a window after the mock clock's present runs as the clock advances (live mode).
"""
from __future__ import annotations

import math
import random
import zlib

from . import machine
from .feed import Arrivals

MAX_WINDOW_MS = 62 * 86_400_000  # two months
MAX_ARRIVALS = 2_000_000
_HOUR = 3_600_000


def sample(rng: random.Random, dist: dict | None, default_s: float) -> int:
    """One duration in ms from ``{"distribution": exponential|lognormal|fixed|uniform, "mean", "sd", "min",
    "max"}`` (seconds)."""
    return sampler(dist, default_s)(rng)


def sampler(dist: dict | None, default_s: float):
    """``sample`` for one distribution, its parameters worked out once (five draws a contact: a month of a large
    center read each distribution's dict 1.5 million times). The same draws, in the same arithmetic."""
    dist = dist or {}
    mean = float(dist.get("mean", default_s))
    kind = dist.get("distribution", "lognormal")
    lo, hi = float(dist.get("min", 0)), float(dist.get("max", 86_400))
    if kind == "fixed" or mean <= 0:
        value = int(min(max(mean, lo), hi) * 1000)
        return lambda rng: value
    if kind == "exponential":
        lam = 1 / mean
        return lambda rng: int(min(max(rng.expovariate(lam), lo), hi) * 1000)
    if kind == "uniform":
        a, b = float(dist.get("min", 0)), float(dist.get("max", 2 * mean))
        return lambda rng: int(min(max(rng.uniform(a, b), lo), hi) * 1000)
    sd = float(dist.get("sd", mean / 2)) or 1e-9
    sigma2 = math.log(1 + (sd / mean) ** 2)
    mu, sigma = math.log(mean) - sigma2 / 2, math.sqrt(sigma2)
    return lambda rng: int(min(max(rng.lognormvariate(mu, sigma), lo), hi) * 1000)


def _rates(center, spec: dict) -> dict:
    eps = spec.get("entryPoints")
    if eps is None:
        rate = float(spec.get("rate", 30))
        eps = {ep: rate for ep in center.tenant.routes}
    for ep in eps:
        if ep not in center.tenant.routes:
            raise machine.Refused(400, "ENTRY_POINT_NOT_FOUND", f"entryPoints: {ep} is not an inbound entry point "
                                  "that leads to a queue.")
    return {ep: float(r) for ep, r in sorted(eps.items())}


def check(center, spec: dict, now_ms: int) -> tuple[int, int]:
    """The window, refused when it is empty, too long, or starts before what already happened."""
    start, end = int(spec["from"]), int(spec["to"])
    if end <= start or end - start > MAX_WINDOW_MS:
        raise machine.Refused(400, "INVALID_WINDOW", "to: must be after from, and the window at most 62 days.")
    if start < center.time and (center.tasks or center.sessions):
        raise machine.Refused(400, "INVALID_WINDOW", "from: the organization's activity already reaches "
                              f"{center.time}; reset the organization to generate an earlier window.")
    return start, end


def generate(center, spec: dict, now_ms: int) -> dict:
    """Schedule a window's traffic and run it up to the present; returns what was scheduled."""
    start, end = check(center, spec, now_ms)
    rates = _rates(center, spec)
    curve = spec.get("curve") or [1.0] * 24
    seed = int(spec.get("seed", 1))
    rng = random.Random(seed)
    expected = sum(rates.values()) * (end - start) / _HOUR * max(curve)
    if expected > MAX_ARRIVALS:
        raise machine.Refused(400, "TOO_MANY_CONTACTS", f"the window would bring about {int(expected)} contacts "
                              f"(at most {MAX_ARRIVALS}).")
    if not (center.tasks or center.sessions):
        center.time = start  # a fresh center starts at the window's beginning
    center.rng = random.Random(seed)
    center.erng = random.Random(f"events|{seed}")
    agents = _agents(center, spec)
    for aid in agents:
        center.schedule(start, "sim_login", aid)
        center.schedule(end, "sim_leave", aid)
    arrivals = Arrivals(start)
    peak = max(curve)
    for ep, rate in rates.items():
        if rate <= 0:
            continue
        t = float(start)
        lam = rate * peak / _HOUR  # per ms, at the curve's peak; thinning gives the hourly shape
        samplers = _samplers(spec, center.tenant.entry_points[ep])
        index = arrivals.entry_point(ep, samplers[-1] is not None)
        while True:
            t += rng.expovariate(lam)
            if t >= end:
                break
            hour = int((t // _HOUR) % 24)
            if rng.random() * peak > curve[hour]:
                continue
            arrivals.add(index, t, _sim(rng, samplers), rng.randrange(10_000))
    count = len(arrivals)
    center.schedule_arrivals(arrivals)  # the center's now: each made into its event as its time comes
    center.advance(min(now_ms, end) if end > now_ms else now_ms)
    return {"scheduledContacts": count, "simulatedAgents": len(agents), "from": start, "to": end,
            "seed": seed, "live": end > now_ms}


def _samplers(spec: dict, ep: dict) -> tuple:
    """The samplers of an entry point's contacts: self-service, ring, handle, wrap-up times and patience."""
    channel = (ep.get("channelType") or "TELEPHONY").lower()
    handle = (spec.get("handleTime") or {}).get(channel)
    defaults = {"telephony": 300, "chat": 600, "email": 900, "social": 600}
    patience = spec.get("patience", {"mean": 240, "distribution": "exponential"})
    return (sampler(spec.get("ivrTime"), 10), sampler(spec.get("ringTime"), 4),
            sampler(handle, defaults.get(channel, 300)), sampler(spec.get("wrapupTime"), 20),
            sampler(patience, 240) if patience else None)


def _sim(rng, samplers: tuple) -> dict:
    ivr, ring, handle, wrap, patience = samplers
    out = {"ivr": ivr(rng), "ring": ring(rng), "handle": handle(rng), "wrap": wrap(rng)}
    if patience is not None:
        out["patience"] = out["ivr"] + patience(rng)
    return out


def _agents(center, spec: dict) -> list:
    known = sorted(center.tenant.agents)
    want = spec.get("agents", "all")
    if isinstance(want, list):
        bad = [a for a in want if a not in center.tenant.agents]
        if bad:
            raise machine.Refused(400, "AGENT_NOT_FOUND", f"agents: {bad[0]} is not an agent of this organization.")
        chosen = list(want)
    elif want == "all":
        chosen = known
    else:
        chosen = known[: int(want)]
    return [a for a in chosen if a not in center.sessions]


class GeneratorEvents:
    """Mixed into ``Center``: the handlers of the generator's scheduled events."""

    def _on_arrive(self, ep: str, origin: str, sim: dict) -> None:
        self.inbound(ep, origin, sim=sim)

    def _on_sim_login(self, agent_id: str) -> None:
        if agent_id in self.sessions:
            return
        agent = self.tenant.agents[agent_id]
        try:
            s = self.login(agent_id, None, agent.phone, auto=True)
        except machine.Refused:  # the work phone is in use: a number of its own (stable: from the id)
            s = self.login(agent_id, None, "+1555%07d" % (zlib.crc32(agent_id.encode()) % 10_000_000), auto=True)
        self._session_state(s, "Available", "0")

    def _on_sim_leave(self, agent_id: str) -> None:
        s = self.sessions.get(agent_id)
        if s is None or not s.auto:
            return
        s.leaving = True
        self.available.pop(agent_id, None)
        if not s.tasks:
            self._close(s, "End of shift")
