"""``--storage FILE``: each organisation's activity in a log of its own beside the store's file
(``FILE.activity/<hash of the org id>.json`` and its ``.log``), written before a request that changed it is answered.

A request that changed a center appends one line: the ``state.delta`` of what it did, compressed (zlib) and
base64-encoded, so a generator run of a week is one line, not a line per transition. The log is folded into the
organisation's snapshot (``state.dump``) at start, at clean shutdown, and when it outgrows the snapshot; a reset
empties both. One log per organisation: writing one org's state never needs another org's lock. The snapshot and
the log are ``storage.wal.WriteAheadLog``: appends reach the kernel before the answer, a torn last line (SIGKILL
mid-append) is dropped at the next start, compaction replaces the snapshot atomically.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import threading
import zlib
from pathlib import Path

import orjson

from ..storage.wal import WriteAheadLog

log = logging.getLogger("mockserver.activity")
MIN_COMPACT_BYTES = 32 << 20  # below this a log is never folded early (replaying it is quick)


def pack(state: dict) -> str:
    return base64.b64encode(zlib.compress(orjson.dumps(state), 1)).decode("ascii")


def unpack(text: str) -> dict:
    return orjson.loads(zlib.decompress(base64.b64decode(text)))


class _OrgLog:
    """One organisation's snapshot + log, and how many bytes each holds."""

    def __init__(self, path: Path):
        self.wal = WriteAheadLog(str(path))
        self.snapshot_bytes = path.stat().st_size if path.exists() else 0
        self.log_bytes = 0

    def append(self, op: dict) -> None:
        line = orjson.dumps(op)
        self.wal.append(op)
        self.log_bytes += len(line) + 1

    def compact(self, ops: list) -> None:
        self.wal.compact(ops)
        self.snapshot_bytes, self.log_bytes = sum(len(op.get("z", "")) for op in ops), 0

    def too_long(self) -> bool:
        return self.log_bytes > max(MIN_COMPACT_BYTES, 2 * self.snapshot_bytes)


class ActivityLog:
    """Per-organisation logs under one directory."""

    def __init__(self, storage: str):
        self.dir = Path(storage).with_name(Path(storage).name + ".activity")
        self.dir.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()  # guards the dict of logs; each log is written under its center's lock
        self.logs: dict[str, _OrgLog] = {}

    def _path(self, org: str) -> Path:
        return self.dir / (hashlib.sha256(org.encode()).hexdigest()[:32] + ".json")

    def _log(self, org: str) -> _OrgLog:
        with self.lock:
            found = self.logs.get(org)
            if found is None:
                found = self.logs[org] = _OrgLog(self._path(org))
                for _ in found.wal.load():  # opens it for appending (a new org has nothing to replay)
                    pass
            return found

    def load(self) -> dict[str, list[tuple[str, dict]]]:
        """Every organisation's operations to replay: ``{org: [("state"|"delta", state)]}`` after its last reset."""
        out: dict[str, list] = {}
        for path in sorted(self.dir.glob("*.json")):
            org_log, ops, org = _OrgLog(path), [], None
            for op in org_log.wal.load():
                org = op.get("org", org)
                try:
                    ops.append((op["op"], unpack(op["z"])))
                except (KeyError, ValueError, zlib.error, orjson.JSONDecodeError):
                    log.warning("activity log %s: an unreadable entry was skipped", path)
            if org is not None:
                with self.lock:
                    self.logs[org] = org_log
                out[org] = ops
        return out

    def write(self, org: str, kind: str, state: dict) -> None:
        """Append a ``delta`` (or a whole ``state``) before the request that made it is answered."""
        self._log(org).append({"op": kind, "org": org, "z": pack(state)})

    def needs_compaction(self, org: str) -> bool:
        return self._log(org).too_long()

    def compact(self, org: str, state: dict | None) -> None:
        """Fold the org's log into a snapshot holding ``state`` (None: nothing, after a reset)."""
        self._log(org).compact([{"op": "state", "org": org, "z": pack(state)}] if state is not None else [])

    def orgs(self) -> list[str]:
        with self.lock:
            return list(self.logs)

    def close(self) -> None:
        with self.lock:
            for org_log in self.logs.values():
                org_log.wal.close()
