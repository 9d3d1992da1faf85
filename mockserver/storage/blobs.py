"""Uploaded file bytes (audio prompts, personal greetings), content-addressed, outside the document log.

Documents keep only the ``blobId`` (the SHA-256 of the bytes): the TinyDB log stays small whatever is
uploaded. With ``storage=<file>`` the bytes live in ``<file>.blobs/<org>/<sha256>``, each written to a
temporary file, flushed to disk and renamed *before* the upload is acknowledged, so they survive a restart
like the documents that name them; with memory storage they live in a dict. Built-in blobs (the tones the
fixtures' prompts name, ``mockserver.storage.audio``) are never stored: they are recomputed on demand.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
from pathlib import Path

_SHA = re.compile(r"^[0-9a-f]{64}$")
_ORG = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


def blob_id(data: bytes) -> str:
    """The content address of some bytes."""
    return hashlib.sha256(data).hexdigest()


class BlobStore:
    """Bytes per organisation by content hash; one lock; at most ``count(org)`` uploads kept per org."""

    def __init__(self, path: str | None = None):
        self.lock = threading.Lock()
        self._root = Path(f"{path}.blobs") if path and path != "memory" else None
        self._memory: dict[str, dict[str, bytes]] = {}

    def _dir(self, org: str) -> Path | None:
        """The organisation's folder; an id that is not a plain file name gets a hashed one (no path tricks)."""
        if self._root is None:
            return None
        return self._root / (org if _ORG.match(org) else "h-" + hashlib.sha256(org.encode()).hexdigest()[:40])

    def put(self, org: str, data: bytes) -> str:
        """Keep ``data`` (durably when file-backed) and return its id; storing the same bytes twice is one blob."""
        sha = blob_id(data)
        with self.lock:
            folder = self._dir(org)
            if folder is None:
                self._memory.setdefault(org, {})[sha] = bytes(data)
                return sha
            target = folder / sha
            if target.exists():
                return sha
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{sha}.tmp"
            with open(tmp, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
            _fsync_dir(folder)
        return sha

    def get(self, org: str, sha: str) -> bytes | None:
        """The stored bytes, else a built-in blob with that id, else None."""
        if not isinstance(sha, str) or not _SHA.match(sha):
            return None
        with self.lock:
            folder = self._dir(org)
            if folder is None:
                data = self._memory.get(org, {}).get(sha)
            else:
                try:
                    data = (folder / sha).read_bytes()
                except OSError:
                    data = None
        if data is None:
            from .audio import builtin
            data = builtin(sha)
        return data

    def has(self, org: str, sha: str) -> bool:
        """Whether ``get`` would find bytes for that id."""
        return self.get(org, sha) is not None

    def count(self, org: str) -> int:
        """How many uploaded blobs an organisation holds (built-ins aside)."""
        with self.lock:
            folder = self._dir(org)
            if folder is None:
                return len(self._memory.get(org, {}))
            return sum(1 for p in folder.iterdir() if _SHA.match(p.name)) if folder.is_dir() else 0

    def discard(self, org: str, sha: str) -> None:
        """Forget one blob (its last referrer is gone)."""
        if not isinstance(sha, str) or not _SHA.match(sha):
            return
        with self.lock:
            folder = self._dir(org)
            if folder is None:
                self._memory.get(org, {}).pop(sha, None)
            else:
                (folder / sha).unlink(missing_ok=True)

    def items(self, org: str) -> dict[str, bytes]:
        """Every uploaded blob of an organisation, ``{id: bytes}`` (for snapshots)."""
        with self.lock:
            folder = self._dir(org)
            if folder is None:
                return dict(self._memory.get(org, {}))
            if not folder.is_dir():
                return {}
            return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if _SHA.match(p.name)}

    def replace_org(self, org: str, blobs: dict[str, bytes]) -> None:
        """The organisation's uploaded blobs become exactly ``blobs`` (each written durably; a snapshot restore)."""
        self.drop_org(org)
        for data in blobs.values():
            self.put(org, data)

    def drop_org(self, org: str) -> None:
        """Forget every uploaded blob of an organisation (reset or removal)."""
        with self.lock:
            folder = self._dir(org)
            self._memory.pop(org, None)
            if folder is not None and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
