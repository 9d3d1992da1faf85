"""Fault injection: rules matching org, method and path that answer an error, add latency or drop the connection."""
from __future__ import annotations

import itertools
import random
import threading
from dataclasses import dataclass, field

import marshmallow as ma
from flask import Response
from flask.views import MethodView

from ..http.errors import ApiError
from ..http.jsonutil import json_response
from ..runtime import current
from . import StrictBoolean, blp
from .match import path_matches


@dataclass
class FaultRule:
    """One rule; ``calls`` counts matching requests, ``fired`` those the rule acted on."""

    id: str
    org: str | None
    method: str | None
    path: str | None
    nth: int
    times: int | None
    probability: float | None
    seed: int | None
    status: int | None
    reason: str | None
    retry_after: int | None
    latency_ms: tuple | None
    drop: bool
    expires_at: float | None
    calls: int = 0
    fired: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def decide(self) -> bool:
        """Count a matching call and say whether the rule fires on it (callers hold the book's lock)."""
        self.calls += 1
        if self.calls < self.nth or (self.times is not None and self.fired >= self.times):
            return False
        # One draw per eligible call: the same seed and the same sequence of calls give the same outcomes.
        if self.probability is not None and self.rng.random() >= self.probability:
            return False
        self.fired += 1
        return True

    def public(self) -> dict:
        """The rule as the control API shows it."""
        latency = None if self.latency_ms is None else {"min": self.latency_ms[0], "max": self.latency_ms[1]}
        return {"id": self.id, "orgId": self.org, "method": self.method, "path": self.path, "nth": self.nth,
                "times": self.times, "probability": self.probability, "seed": self.seed, "status": self.status,
                "reason": self.reason, "retryAfter": self.retry_after, "latencyMs": latency, "drop": self.drop,
                "expiresAt": self.expires_at, "calls": self.calls, "fired": self.fired}


class FaultBook:
    """Every rule of one server, in the order they were added."""

    def __init__(self, clock):
        self.clock = clock
        self._rules: dict[str, FaultRule] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def add(self, **kw) -> FaultRule:
        """Add a rule from control API fields."""
        with self._lock:
            rule = FaultRule(id=f"fault-{next(self._ids)}", **kw)
            rule.rng = random.Random(rule.seed)
            self._rules[rule.id] = rule
            return rule

    def active(self) -> bool:
        """Whether any rule is set (read without the lock: a rule added meanwhile applies from the next call)."""
        return bool(self._rules)

    def match(self, org: str | None, method: str, path: str) -> tuple[FaultRule | None, float, list]:
        """The rule that decides the answer (status or drop) if any, the total delay in seconds, the rules that fired.

        Latency-only rules add up; the first status/drop rule that fires decides, later ones are not consulted.
        Expired rules are removed on the way.
        """
        now = self.clock.now()
        decider, delay, fired = None, 0.0, []
        with self._lock:
            for rule in list(self._rules.values()):
                if rule.expires_at is not None and now >= rule.expires_at:
                    del self._rules[rule.id]
                    continue
                outcome = rule.status is not None or rule.drop
                if outcome and decider is not None:
                    continue
                if ((rule.org is None or rule.org == org) and (rule.method is None or rule.method == method)
                        and path_matches(rule.path, path) and rule.decide()):
                    low, high = rule.latency_ms or (0.0, 0.0)
                    delay += (low if low == high else rule.rng.uniform(low, high)) / 1000.0
                    fired.append(rule.id)
                    if outcome:
                        decider = rule
        return decider, delay, fired

    def list(self, org: str | None = None) -> list[dict]:
        """Live rules (optionally one organisation's)."""
        now = self.clock.now()
        with self._lock:
            return [r.public() for r in self._rules.values()
                    if (org is None or r.org == org) and (r.expires_at is None or now < r.expires_at)]

    def get(self, rule_id: str) -> dict | None:
        with self._lock:
            rule = self._rules.get(rule_id)
            return rule.public() if rule else None

    def delete(self, rule_id: str) -> bool:
        with self._lock:
            return self._rules.pop(rule_id, None) is not None

    def clear(self, org: str | None = None) -> int:
        """Delete every rule, or one organisation's."""
        with self._lock:
            gone = [i for i, r in self._rules.items() if org is None or r.org == org]
            for rule_id in gone:
                del self._rules[rule_id]
            return len(gone)


class Latency(ma.fields.Field):
    """A fixed number of ms, or ``{"min": a, "max": b}`` for a seeded random latency in that range."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ma.ValidationError("a number of milliseconds or {min, max}.")
        if isinstance(value, (int, float)):
            low = high = value
        elif isinstance(value, dict) and set(value) == {"min", "max"} and all(
                isinstance(value[k], (int, float)) and not isinstance(value[k], bool) for k in value):
            low, high = value["min"], value["max"]
        else:
            raise ma.ValidationError("a number of milliseconds or {min, max}.")
        if not 0 <= low <= high <= 60000:
            raise ma.ValidationError("between 0 and 60000 ms, min <= max.")
        return (float(low), float(high))


class FaultRequest(ma.Schema):
    """A rule: what it matches, when it fires, what it does."""

    orgId = ma.fields.String(metadata={"description": "Only this organisation's requests (default: any)."})
    method = ma.fields.String(validate=ma.validate.OneOf(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]))
    path = ma.fields.String(load_default="**", metadata={"description": "Glob (`*` one segment, `**` any)."})
    nth = ma.fields.Integer(strict=True, load_default=1, validate=ma.validate.Range(min=1),
                            metadata={"description": "Start firing on the nth matching call."})
    times = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1),
                              metadata={"description": "Fire at most N times."})
    probability = ma.fields.Float(validate=ma.validate.Range(min=0, max=1))
    seed = ma.fields.Integer(strict=True,
                             metadata={"description": "Seed of the probability draws (reproducible runs)."})
    status = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=400, max=599))
    reason = ma.fields.String(validate=ma.validate.Length(max=500))
    retryAfter = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0, max=86400),
                                   metadata={"description": "Sent as Retry-After with the status (e.g. 429, 503)."})
    latencyMs = Latency()
    drop = StrictBoolean(load_default=False, metadata={"description": "Close the connection without a response."})
    expiresInSeconds = ma.fields.Float(validate=ma.validate.Range(min=0, min_inclusive=False),
                                       metadata={"description": "Remove the rule after this long (mock clock)."})

    @ma.validates_schema
    def _one_effect(self, data, **kwargs):
        if not (data.get("status") or data.get("latencyMs") or data.get("drop")):
            raise ma.ValidationError("give status, latencyMs or drop.", "status")
        if data.get("drop") and data.get("status"):
            raise ma.ValidationError("drop and status exclude each other.", "drop")
        if data.get("retryAfter") is not None and not data.get("status"):
            raise ma.ValidationError("retryAfter goes with a status.", "retryAfter")


class FaultQuery(ma.Schema):
    """Filter or scope by organisation."""

    orgId = ma.fields.String()


@blp.route("/faults")
class Faults(MethodView):
    """Fault rules."""

    @blp.arguments(FaultQuery, location="query")
    @blp.doc(responses={"200": {"description": "`{items: [rule]}`"}})
    def get(self, args):
        """List live rules (one organisation's with ``?orgId=``)."""
        return json_response({"items": current().faults.list(args.get("orgId"))})

    @blp.arguments(FaultRequest)
    @blp.doc(responses={"201": {"description": "The rule with its id"}})
    def post(self, args):
        """Add a rule."""
        rt = current()
        ttl = args.get("expiresInSeconds")
        rule = rt.faults.add(org=args.get("orgId"), method=args.get("method"), path=args["path"], nth=args["nth"],
                             times=args.get("times"), probability=args.get("probability"), seed=args.get("seed"),
                             status=args.get("status"), reason=args.get("reason"), retry_after=args.get("retryAfter"),
                             latency_ms=args.get("latencyMs"),
                             drop=args["drop"], expires_at=None if ttl is None else rt.clock.now() + ttl)
        return json_response(rule.public(), 201)

    @blp.arguments(FaultQuery, location="query")
    @blp.doc(responses={"204": {"description": "Deleted"}})
    def delete(self, args):
        """Delete every rule (one organisation's with ``?orgId=``)."""
        current().faults.clear(args.get("orgId"))
        return Response(status=204)


@blp.route("/faults/<rule_id>")
class Fault(MethodView):
    """One fault rule."""

    @blp.doc(responses={"200": {"description": "The rule and its counters"}})
    def get(self, rule_id):
        """A rule with how often it matched and fired."""
        rule = current().faults.get(rule_id)
        if rule is None:
            raise ApiError(404, f"fault rule {rule_id} does not exist.")
        return json_response(rule)

    @blp.doc(responses={"204": {"description": "Deleted"}})
    def delete(self, rule_id):
        """Delete a rule."""
        if not current().faults.delete(rule_id):
            raise ApiError(404, f"fault rule {rule_id} does not exist.")
        return Response(status=204)
