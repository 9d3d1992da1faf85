"""Every setting of the mock, once: its environment variable, its type and its default."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

PREFIX = "MOCKSERVER_"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _default_fixtures() -> str:
    """The bundled fixtures: beside the package in a checkout, else ./fixtures."""
    beside = _PACKAGE_DIR.parent / "fixtures"
    return str(beside if beside.is_dir() else Path.cwd() / "fixtures")


@dataclass
class Config:
    """Settings; each field is overridable by ``MOCKSERVER_<NAME>`` (upper case)."""

    host: str = field(default="127.0.0.1", metadata={"doc": "Address the server listens on."})
    port: int = field(default=5000, metadata={"doc": "Port the server listens on (0 picks a free one)."})
    public_base_url: str = field(default="", metadata={
        "doc": "Base URL clients use (token issuer, links). Empty: taken from the request, honouring X-Forwarded-Proto/Host."})
    fixtures: str = field(default_factory=_default_fixtures, metadata={"doc": "Directory of seed data loaded at start and on reset."})
    storage: str = field(default="memory", metadata={
        "doc": "`memory`, or a file path: state is kept in that file (append-only log, compacted atomically) and survives restarts."})
    signing_key: str = field(default="", metadata={
        "doc": "PEM file of the RSA signing key. Empty: a key is generated at start (tokens die with the process)."})
    access_token_ttl: int = field(default=43199, metadata={"doc": "Access token lifetime in seconds (Webex Contact Center: 43199)."})
    refresh_token_ttl: int = field(default=5183999, metadata={"doc": "Refresh token lifetime in seconds (Webex Contact Center: 5183999)."})
    auth_code_ttl: int = field(default=300, metadata={"doc": "Authorization code lifetime in seconds."})
    key_grace_seconds: int = field(default=3600, metadata={
        "doc": "After a key rotation, how long the previous key is still published and accepted."})
    log_level: str = field(default="INFO", metadata={"doc": "Logging level (DEBUG, INFO, WARNING, ERROR)."})
    access_log: bool = field(default=True, metadata={"doc": "One structured log line per request."})
    threads: int = field(default=8, metadata={"doc": "Worker threads of the WSGI server."})
    server: str = field(default="", metadata={
        "doc": "WSGI server, one process either way: `granian` (the default when installed; fastest, see "
               "docs/performance.md) or `waitress` (the pure-Python fallback)."})
    max_body_bytes: int = field(default=1048576, metadata={"doc": "Largest request body accepted (413 beyond)."})
    admin_token: str = field(default="", metadata={
        "doc": "When set, every /_mock/ call must send `Authorization: Bearer <admin_token>` (or `X-Mock-Admin-Token`)."})
    journal_size: int = field(default=10000, metadata={"doc": "How many requests the journal keeps (a ring)."})
    cors_origins: str = field(default="", metadata={"doc": "Comma-separated origins allowed by CORS; empty: CORS off."})
    token_cache_size: int = field(default=4096, metadata={"doc": "How many verified tokens are cached (until their expiry)."})

    @classmethod
    def from_env(cls, env: dict | None = None, **overrides) -> "Config":
        """Defaults, then environment variables, then explicit overrides."""
        env = os.environ if env is None else env
        values = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _coerce(f.type, raw, f.name)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @classmethod
    def documented(cls):
        """(env var, default, doc) rows, for the README and `mockserver config`."""
        rows, defaults = [], cls()
        for f in fields(cls):
            default = "./fixtures" if f.name == "fixtures" else getattr(defaults, f.name)
            rows.append((PREFIX + f.name.upper(), default, f.metadata.get("doc", "")))
        return rows


def _coerce(type_name, raw: str, name: str):
    """Turn an environment string into the field's type, with a clear error."""
    type_name = type_name if isinstance(type_name, str) else type_name.__name__
    if type_name == "int":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{PREFIX}{name.upper()} must be an integer, not {raw!r}") from None
    if type_name == "bool":
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return raw
