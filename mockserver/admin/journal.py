"""The request journal: a bounded ring of every API call, queried by org, method, path glob, status and time."""
from __future__ import annotations

import itertools
import threading
from collections import deque
from urllib.parse import parse_qsl

import marshmallow as ma
from flask import Response
from flask.views import MethodView

from ..http.inputs import FORM, parse_form
from ..http.jsonutil import json_response
from ..runtime import current
from . import blp
from .match import path_matches
from .redact import body_for_journal, scrub

BODY_LIMIT = 4096  # bytes of a write's body kept per entry


class Journal:
    """A ring of at most ``size`` entries (oldest dropped first), so memory stays flat under sustained load.

    Size 0 switches the journal off (benchmarks measure the API without it).
    """

    def __init__(self, size: int):
        self.size = max(0, int(size))
        self._ring: deque = deque(maxlen=self.size)
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        self.dropped = 0  # entries pushed out of the ring since the start

    def record(self, raw: tuple) -> None:
        """Append one request's raw facts (``RAW_FIELDS``); it becomes an entry, numbered, when read."""
        if not self.size:
            return
        with self._lock:
            if len(self._ring) == self.size:
                self.dropped += 1
            self._ring.append((next(self._seq), raw))

    def _entries(self) -> list[dict]:
        """Every entry as a dict (callers hold the lock); built once, on the first read after the request."""
        ring = self._ring
        if any(type(e) is tuple for e in ring):
            self._ring = ring = deque((_entry(*e) if type(e) is tuple else e for e in ring), maxlen=self.size)
        return list(ring)

    def query(self, org=None, method=None, path=None, status=None, client_id=None, since=None, until=None) -> list:
        """Entries matching every given criterion, oldest first."""
        with self._lock:
            entries = self._entries()
        method = method.upper() if method else None
        return [_readable(e) for e in entries
                if (org is None or e["orgId"] == org) and (method is None or e["method"] == method)
                and (client_id is None or e["clientId"] == client_id) and _status_ok(status, e["status"])
                and (since is None or e["timeMs"] >= since) and (until is None or e["timeMs"] <= until)
                and path_matches(path, e["path"])]

    def clear(self, org: str | None = None) -> int:
        """Forget every entry, or one organisation's; returns how many went."""
        with self._lock:
            before = len(self._ring)
            kept = [] if org is None else [e for e in self._entries() if e["orgId"] != org]
            self._ring = deque(kept, maxlen=self.size)
            return before - len(kept)


#: What the request hooks record per request (admin/hooks.py ``record``), in this order.
RAW_FIELDS = ("timeMs", "method", "path", "query", "status", "claims", "org", "formClient", "durationMs",
              "trackingId", "faults", "body", "bodyTruncated")
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class PendingBody:
    """A write's body of at most ``BODY_LIMIT`` bytes as received: parsed and redacted when the journal is read."""

    __slots__ = ("raw", "mimetype", "form")

    def __init__(self, raw: bytes, mimetype: str, form: dict | None):
        self.raw, self.mimetype, self.form = raw, mimetype, form


def _entry(seq: int, raw: tuple) -> dict:
    """The journal entry of one recorded request (organisation and client worked out here, not per request)."""
    time_ms, method, path, query, status, claims, org, form_client, duration, tid, faults, body, truncated = raw
    entry = {"timeMs": time_ms, "method": method, "path": path, "query": query, "status": status,
             "orgId": org,
             "clientId": claims.get("client_id") if claims else form_client,
             "user": claims.get("sub") if claims else None, "durationMs": duration, "trackingId": tid,
             "faults": faults}
    if method in _WRITES:
        if type(body) is PendingBody:
            form = parse_form(body.raw) if body.form is None and body.mimetype == FORM else body.form
            body, truncated = body_for_journal(body.raw, body.mimetype, form, BODY_LIMIT)
        entry["body"], entry["bodyTruncated"] = body, truncated
    entry["seq"] = seq
    return entry


def _readable(entry: dict) -> dict:
    """The entry as clients see it: the raw query string recorded on the hot path, parsed and redacted."""
    raw = entry.get("query")
    if not isinstance(raw, bytes):
        return entry
    query = scrub(dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))) if raw else {}
    return {**entry, "query": query}


def _status_ok(wanted, status) -> bool:
    """``404`` exact, ``4xx`` a class, ``dropped`` for connections the mock closed on purpose."""
    if wanted is None:
        return True
    if isinstance(wanted, str) and len(wanted) == 3 and wanted[1:].lower() == "xx" and isinstance(status, int):
        return str(status)[0] == wanted[0]
    return str(status) == str(wanted)


class JournalQuery(ma.Schema):
    """Filters; all optional and combined with AND."""

    orgId = ma.fields.String()
    method = ma.fields.String(metadata={"description": "GET, POST, ..."})
    path = ma.fields.String(metadata={"description": "Glob: `*` one segment, `**` any, e.g. `/organization/*/team/*`."})
    status = ma.fields.String(validate=ma.validate.Regexp(r"^([1-5][0-9][0-9]|[1-5]xx|dropped)$"),
                              metadata={"description": "`404`, a class like `4xx`, or `dropped`."})
    clientId = ma.fields.String()
    since = ma.fields.Integer(metadata={"description": "Epoch ms (mock clock), inclusive."})
    until = ma.fields.Integer(metadata={"description": "Epoch ms (mock clock), inclusive."})
    limit = ma.fields.Integer(validate=ma.validate.Range(min=1), metadata={"description": "Newest N entries only."})


class ClearQuery(ma.Schema):
    """Which organisation's entries to forget (all when absent)."""

    orgId = ma.fields.String()


def _select(args) -> list:
    return current().journal.query(args.get("orgId"), args.get("method"), args.get("path"), args.get("status"),
                                   args.get("clientId"), args.get("since"), args.get("until"))


@blp.route("/journal")
class JournalView(MethodView):
    """The request journal."""

    @blp.arguments(JournalQuery, location="query")
    @blp.doc(responses={"200": {"description": "`{items: [entry], total, capacity, dropped}`"}})
    def get(self, args):
        """Entries matching the filters, oldest first."""
        journal = current().journal
        items = _select(args)
        total = len(items)
        if args.get("limit"):
            items = items[-args["limit"]:]
        return json_response({"items": items, "total": total, "capacity": journal.size, "dropped": journal.dropped})

    @blp.arguments(ClearQuery, location="query")
    @blp.doc(responses={"204": {"description": "Cleared"}})
    def delete(self, args):
        """Clear the journal (one organisation with ``?orgId=``)."""
        current().journal.clear(args.get("orgId"))
        return Response(status=204)


@blp.route("/journal/count")
class JournalCount(MethodView):
    """How many requests matched: for "called exactly N times" assertions."""

    @blp.arguments(JournalQuery, location="query")
    @blp.doc(responses={"200": {"description": "`{count}`"}})
    def get(self, args):
        """Count the entries matching the filters."""
        return json_response({"count": len(_select(args))})
