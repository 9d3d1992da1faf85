"""What the journal keeps of a request body: secrets replaced, size capped."""
from __future__ import annotations

import re

from ..http.jsonutil import dumps, loads

REDACTED = "[redacted]"
#: Keys whose values never reach the journal (OAuth and login secrets). Compared lower-case, without - and _.
SECRET_KEYS = frozenset({"authorization", "clientsecret", "refreshtoken", "accesstoken", "idtoken", "code",
                         "codeverifier", "password", "passwords", "newpassword", "secret", "token", "assertion",
                         "apikey", "xmockadmintoken"})
_INLINE = re.compile(r"(?i)((?:client_secret|refresh_token|access_token|id_token|code_verifier|code|password|"
                     r"secret|token|assertion)\"?\s*[=:]\s*\"?)([^&\s\",}]+)")


def is_secret(key: str) -> bool:
    """Whether a field name holds a secret."""
    return key.lower().replace("_", "").replace("-", "") in SECRET_KEYS


def scrub(value, depth: int = 0):
    """A copy of JSON-like data with every secret field's value replaced."""
    if depth > 32:
        return REDACTED
    if isinstance(value, dict):
        return {k: REDACTED if is_secret(str(k)) else scrub(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, depth + 1) for v in value]
    return value


def scrub_text(text: str) -> str:
    """Secrets written inline (``code=...``, ``"password": "..."``) in text that did not parse."""
    return _INLINE.sub(lambda m: m.group(1) + REDACTED, text)


def body_for_journal(raw: bytes, mimetype: str, form: dict | None, limit: int, parsed=None):
    """The body as data when it parses (JSON or form), else as text; secrets redacted; at most ``limit`` bytes.

    ``parsed``: the body as the request pipeline parsed it, if it did (not parsed again).

    A body larger than the limit is kept as a truncated JSON text with ``"truncated": true`` beside it.
    """
    data = None
    if form:
        data = scrub(form)
    elif len(raw) > limit * 4:  # a large body (bulk writes): redact and cut the text, do not parse it all
        return scrub_text(raw[: limit * 2].decode("utf-8", "replace"))[:limit], True
    elif parsed is not None:
        data = scrub(parsed)
    elif raw:
        try:
            data = scrub(loads(raw)) if "json" in mimetype or raw[:1] in (b"{", b"[") else None
        except ValueError:
            data = None
        if data is None:
            data = scrub_text(raw[: limit * 2].decode("utf-8", "replace"))
    if data is None:
        return None, False
    text = data if isinstance(data, str) else None
    size = len(text.encode()) if text is not None else len(dumps(data))
    if size <= limit:
        return data, False
    text = text if text is not None else dumps(data).decode()
    return text[:limit], True
