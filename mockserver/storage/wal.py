"""File persistence: a snapshot plus an append-only log of operations.

* ``<path>`` is a JSON snapshot (``{"format": 1, "ops": [...]}``), replaced atomically
  (write a temporary file, fsync, rename, fsync the directory).
* ``<path>.log`` gets one JSON line per write, written and flushed before the write is acknowledged,
  so a SIGKILL never loses an acknowledged write (the kernel holds the bytes). A write costs one line
  whatever the size of the tenant: the whole file is never rewritten on the write path.
* Loading replays the snapshot, then the log. Operations are idempotent (put by id, delete by id, drop org),
  so a crash between a compaction's rename and its log truncation replays harmlessly. A torn last line
  (a crash mid-append) is ignored.
* The log is compacted into the snapshot at start, at clean shutdown, and when it outgrows the snapshot.
"""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

import orjson

FORMAT = 1
log = logging.getLogger("mockserver")


class WriteAheadLog:
    """Snapshot + log for one store."""

    def __init__(self, path: str):
        self.path = Path(path)
        self.log_path = self.path.with_name(self.path.name + ".log")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._log = None
        self._lines = 0
        self._snapshot_ops = 0

    def load(self) -> Iterator[dict]:
        """Every operation to replay, snapshot first; then the log is opened for appending."""
        for stale in self.path.parent.glob(self.path.name + ".*.tmp"):
            stale.unlink(missing_ok=True)  # a compaction killed before its rename
        if self.path.exists():
            raw = self.path.read_bytes()
            if raw.strip():
                data = orjson.loads(raw)
                ops = data.get("ops", []) if isinstance(data, dict) else []
                self._snapshot_ops = _weight(ops)
                yield from ops
        if self.log_path.exists():
            good = 0  # bytes of whole, valid lines
            with open(self.log_path, "rb") as fh:
                for line in fh:
                    if not line.endswith(b"\n"):
                        break  # torn final append: never acknowledged
                    try:
                        op = orjson.loads(line)
                    except orjson.JSONDecodeError:
                        break
                    good += len(line)
                    self._lines += 1
                    yield op
            self._cut_tail(good)
        self._open()

    def _cut_tail(self, good: int) -> None:
        """Drop bytes after the last valid line, so the next append starts a line of its own.

        Without this, the first write after a crash mid-append is glued to the torn line, and that write
        (and every later one) is lost at the next start. The dropped bytes are kept in ``<log>.discarded``.
        """
        size = self.log_path.stat().st_size
        if size <= good:
            return
        with open(self.log_path, "r+b") as fh:
            fh.seek(good)
            tail = fh.read()
            with open(self.log_path.with_name(self.log_path.name + ".discarded"), "ab") as out:
                out.write(tail + b"\n")
            fh.truncate(good)
            os.fsync(fh.fileno())
        log.warning("storage log %s: dropped %d bytes after the last complete write", self.log_path, size - good)

    def _open(self) -> None:
        if self._log is None:
            self._log = open(self.log_path, "ab", buffering=0)

    def append(self, op: dict) -> None:
        """Write one operation (unbuffered: in the kernel when this returns)."""
        self._open()
        self._log.write(orjson.dumps(op, default=_serialised) + b"\n")
        self._lines += 1

    def needs_compaction(self) -> bool:
        """The log has grown past the snapshot (and a floor), so replay would be slow."""
        return self._lines > max(20000, 2 * self._snapshot_ops)

    def compact(self, ops: Iterable[dict]) -> None:
        """Write a new snapshot atomically, then empty the log."""
        ops = list(ops)
        data = orjson.dumps({"format": FORMAT, "ops": ops}, default=_serialised)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(self.path.parent)
        if self._log is not None:
            self._log.close()
        self._log = open(self.log_path, "wb", buffering=0)  # truncate: the snapshot now holds it all
        os.fsync(self._log.fileno())
        self._lines, self._snapshot_ops = 0, _weight(ops)

    def close(self) -> None:
        """Close the log (already flushed)."""
        if self._log is not None:
            os.fsync(self._log.fileno())
            self._log.close()
            self._log = None


def _serialised(value):
    """Compact documents (``compact.py``) written as the bytes they are."""
    from .compact import fragment

    return fragment(value)


def _weight(ops: list) -> int:
    """Documents a list of operations holds (a bulk put counts each of its documents)."""
    return sum(len(op["docs"]) if op.get("op") == "putmany" else 1 for op in ops)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
