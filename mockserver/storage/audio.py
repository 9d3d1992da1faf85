"""Audio prompt bytes: what an upload must be (a real WAV), and the built-in tones the seed data's prompts name."""
from __future__ import annotations

import functools
import hashlib
import io
import math
import wave

from ..http.errors import ApiError

#: The contentType values the vendor documents for audio ("It can take one of these values: AUDIO_WAV,
#: AUDIO_X_WAV"); the spec's enum also lists TEXT_HTML, TEXT_PHP and APPLICATION_OCTET_STREAM, which no prompt is.
AUDIO_TYPES = ("AUDIO_WAV", "AUDIO_X_WAV")
#: How many distinct built-in tones the fixtures and the tenant generator use.
BUILTIN_TONES = 8


def check_wav(data: bytes, field: str, max_bytes: int) -> None:
    """A non-empty WAV within the size limit, else a Webex 400 (413 when too large) naming the part."""
    if not data:
        raise ApiError(400, f"{field}: the audio file is empty.")
    if len(data) > max_bytes:
        raise ApiError(413, f"{field}: the audio file is {len(data)} bytes; at most {max_bytes} are accepted.")
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ApiError(400, f"{field}: not a WAV audio file (RIFF/WAVE header expected).")
    try:
        with wave.open(io.BytesIO(data)) as wav:
            frames = wav.getnframes()
            wav.readframes(min(frames, 1))
    except Exception as exc:  # noqa: BLE001 - the stdlib parser raises many kinds (RuntimeError, struct.error...)
        detail = str(exc) or type(exc).__name__
        raise ApiError(400, f"{field}: not a readable WAV audio file ({detail[:100]}).") from None
    if frames == 0:
        raise ApiError(400, f"{field}: the WAV file holds no audio.")


def check_name(name: str, field: str = "name") -> None:
    """Prompt names carry a .wav extension ("It should have valid extension i.e. .wav", the spec)."""
    if isinstance(name, str) and not name.lower().endswith(".wav"):
        raise ApiError(400, f"{field}: must have a valid extension (.wav).")


def tone(index: int, seconds: float = 0.25, rate: int = 8000) -> bytes:
    """A short mono 8-bit WAV, a different pitch per ``index`` (deterministic, byte for byte)."""
    freq = 330 + 55 * (index % 24)
    return wav_bytes(bytes(int(128 + 96 * math.sin(2 * math.pi * freq * n / rate)) for n in range(int(seconds * rate))),
                     rate)


def wav_bytes(frames: bytes, rate: int = 8000) -> bytes:
    """A mono 8-bit WAV file holding ``frames`` (one unsigned byte a sample) at ``rate`` samples a second."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(rate)
        wav.writeframes(frames)
    return out.getvalue()


@functools.lru_cache(maxsize=1)
def _builtins() -> dict[str, int]:
    return {hashlib.sha256(tone(i)).hexdigest(): i for i in range(BUILTIN_TONES)}


def builtin_id(index: int) -> str:
    """The blob id of built-in tone ``index`` (what fixture prompts carry as ``blobId``)."""
    return next(sha for sha, i in _builtins().items() if i == index % BUILTIN_TONES)


def builtin(sha: str) -> bytes | None:
    """The bytes of a built-in tone, by blob id."""
    index = _builtins().get(sha)
    return tone(index) if index is not None else None
