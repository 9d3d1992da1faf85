"""Test helpers for the multipart resources: a real WAV made here, and request bodies the way clients send them."""
from __future__ import annotations

import io
import json

from mockserver.storage.audio import wav_bytes


def wav(seconds: float = 0.1, rate: int = 8000, level: int = 200) -> bytes:
    """A real mono 8-bit WAV (a square wave: any pitch will do)."""
    return wav_bytes(bytes(level if (n // 20) % 2 else 255 - level for n in range(int(seconds * rate))), rate)


def is_upload(spec, method: str, path: str) -> bool:
    """Whether a request is a create or replace of a multipart resource (its body goes as form parts)."""
    if not getattr(spec, "upload", None) or method not in ("POST", "PUT"):
        return False
    tail = path.split("?", 1)[0].rstrip("/")
    return not tail.endswith(("delete-reference", "bulk"))


def multipart(spec, info, audio: bytes | None = None, filename: str = "prompt.wav") -> dict:
    """``client.open`` keyword arguments: the DTO as the JSON part, the audio (a fresh WAV by default) as a file."""
    data = {spec.upload.info: (io.BytesIO(json.dumps(info).encode()), "info.json", "application/json")}
    data[spec.upload.file] = (io.BytesIO(wav() if audio is None else audio), filename, "audio/wav")
    return {"data": data, "content_type": "multipart/form-data"}
