"""The mock clock: read, freeze, set, advance. Token expiry, codes, rate windows and timestamps all follow it.

The clock is server-wide (not per organisation): suites that move it should have a server of their own.
"""
from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from ..http.errors import ApiError
from ..http.jsonutil import json_response
from ..runtime import current
from . import blp

_EPOCH_RANGE = ma.validate.Range(min=0, max=253402300799)  # up to 9999-12-31


class At(ma.Schema):
    """An instant in epoch seconds (``at``) or milliseconds (``atMs``)."""

    at = ma.fields.Float(validate=_EPOCH_RANGE)
    atMs = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0, max=253402300799000))


class Advance(ma.Schema):
    """How far to move (negative goes back)."""

    seconds = ma.fields.Float(required=True, validate=ma.validate.Range(min=-86400 * 3650, max=86400 * 3650))


def _instant(args) -> float | None:
    if "atMs" in args:
        return args["atMs"] / 1000.0
    return args.get("at")


def _state():
    return json_response(current().clock.state())


@blp.route("/clock")
class ClockView(MethodView):
    """The clock."""

    @blp.doc(responses={"200": {"description": "`{now, nowMs, frozen, offsetSeconds}`"}})
    def get(self):
        """What time the mock thinks it is."""
        return _state()

    @blp.doc(responses={"200": {"description": "The clock after the reset"}})
    def delete(self):
        """Back to real time, running."""
        current().clock.reset()
        return _state()


@blp.route("/clock/freeze")
class Freeze(MethodView):
    """Stop time."""

    @blp.arguments(At, required=False)
    @blp.doc(responses={"200": {"description": "The clock"}})
    def post(self, args):
        """Freeze at ``at``/``atMs`` (default: now)."""
        current().clock.freeze(_instant(args or {}))
        return _state()


@blp.route("/clock/unfreeze")
class Unfreeze(MethodView):
    """Let time run."""

    @blp.doc(responses={"200": {"description": "The clock"}})
    def post(self):
        """Run again from the instant shown."""
        current().clock.unfreeze()
        return _state()


@blp.route("/clock/set")
class SetClock(MethodView):
    """Jump."""

    @blp.arguments(At)
    @blp.doc(responses={"200": {"description": "The clock"}})
    def post(self, args):
        """Jump to ``at``/``atMs`` (a frozen clock stays frozen)."""
        at = _instant(args)
        if at is None:
            raise ApiError(400, "at: give at (epoch seconds) or atMs (epoch milliseconds).")
        current().clock.set(at)
        return _state()


@blp.route("/clock/advance")
class AdvanceClock(MethodView):
    """Move time."""

    @blp.arguments(Advance)
    @blp.doc(responses={"200": {"description": "The clock"}})
    def post(self, args):
        """Move forward by ``seconds`` (expire tokens, close rate windows)."""
        current().clock.advance(args["seconds"])
        return _state()
