"""Every setting of the mock, once: its environment variable, its type, its default and its check."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

PREFIX = "MOCKSERVER_"
_PACKAGE_DIR = Path(__file__).resolve().parent
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}
SERVERS = ("granian", "waitress")


def _default_server() -> str:
    """Granian where it is installed (found without importing it), else waitress."""
    import importlib.util

    return "granian" if importlib.util.find_spec("granian") else "waitress"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _default_fixtures() -> str:
    """The bundled fixtures: beside the package in a checkout, else ./fixtures."""
    beside = _PACKAGE_DIR.parent / "fixtures"
    return str(beside if beside.is_dir() else Path.cwd() / "fixtures")


def _s(default, doc: str, option: str | None = None, **check):
    """A setting: its default, its one-line doc, the ``mockserver serve`` option that sets it too, its check."""
    key = "default_factory" if callable(default) else "default"
    return field(**{key: default}, metadata={"doc": doc, "option": option, **check})


@dataclass
class Config:
    """Settings; each field is overridable by ``MOCKSERVER_<NAME>`` (upper case)."""

    host: str = _s("127.0.0.1", "Address the server listens on.", "--host")
    port: int = _s(5000, "Port the server listens on (0 picks a free one).", "--port", min=0, max=65535)
    public_base_url: str = _s("", "Base URL clients use (token issuer, links). Empty: taken from the request, "
                                  "honouring X-Forwarded-Proto/Host.")
    fixtures: str = _s(_default_fixtures, "Folder of seed data loaded at start and on reset (the checkout's "
                                          "`fixtures/` when run from it).", "--fixtures")
    storage: str = _s("memory", "`memory`, or a file path: state is kept in that file (append-only log beside an "
                                "atomically replaced snapshot) and survives restarts.", "--storage")
    signing_key: str = _s("", "PEM file of the RSA signing key, created (mode 0600) when missing. Empty: a key is "
                              "generated at start (tokens die with the process).")
    access_token_ttl: int = _s(43199, "Access token lifetime in seconds (Webex Contact Center: 43199).", min=1)
    refresh_token_ttl: int = _s(5183999, "Refresh token lifetime in seconds (Webex Contact Center: 5183999).", min=1)
    auth_code_ttl: int = _s(300, "Authorization code lifetime in seconds.", min=1)
    key_grace_seconds: int = _s(3600, "After a key rotation, how long the previous key is still published and "
                                      "accepted.", min=0)
    log_level: str = _s("INFO", "Logging level (DEBUG, INFO, WARNING, ERROR).", choices=LOG_LEVELS)
    access_log: bool = _s(True, "One structured log line per request.")
    threads: int = _s(8, "Worker threads of the WSGI server.", min=1, max=256)
    gil_switch_ms: float = _s(1.0, "Under Granian, how often a request thread waiting for the interpreter makes the "
                                   "running one hand it over, in ms (Python's default: 5). Shorter: a shorter p99 "
                                   "under saturation for some CPU per request (docs/performance.md, The tail).",
                              min=0.1, max=100)
    server: str = _s(_default_server, "WSGI server, one process either way: `granian` (the default where it is "
                                      "installed; the fastest, see docs/performance.md) or `waitress` (the "
                                      "pure-Python fallback).", choices=SERVERS)
    max_body_bytes: int = _s(1048576, "Largest request body accepted (413 beyond).", min=1)
    audio_max_bytes: int = _s(1000000, "Largest audio file (prompt, personal greeting) accepted, in bytes (413 beyond; "
                                       "max_body_bytes caps it too).", min=1)
    audio_max_files: int = _s(1000, "How many uploaded audio files one organisation may hold (400 beyond).", min=0)
    admin_token: str = _s("", "The token every /_mock/ call and the console must send (`Authorization: Bearer "
                              "<admin token>` or `X-Mock-Admin-Token`). Empty: none on a loopback address; a random "
                              "one, printed once at start, when the server listens on any other address. `off`: "
                              "no token anywhere (a warning at start).")
    journal_size: int = _s(10000, "How many requests the journal keeps (a ring; 0 switches it off).", min=0)
    cors_origins: str = _s("", "Comma-separated origins allowed by CORS; empty: CORS off.")
    token_cluster: str = _s("P0A1", "Cluster id in Webex-shaped tokens `<opaque>_<cluster>_<orgId>` (real ones: "
                                    "P0A1, PF84; 1-16 letters or digits).")
    bare_jwt_tokens: bool = _s(False, "Hand out bare JWTs instead of Webex-shaped tokens (both are accepted "
                                      "either way).")
    token_cache_size: int = _s(4096, "How many verified tokens are cached (until their expiry).", min=0)
    webhook_allowed_hosts: str = _s("", "Comma-separated host names webhooks may be delivered to besides loopback "
                                        "(e.g. a Docker Compose service name).")
    webhook_delivery: str = _s("process", "Where webhooks are sent from: `process` (a delivery process of its own, "
                                          "so deliveries do not compete with the API for its interpreter) or "
                                          "`thread` (two threads of the server's process).",
                               choices=("process", "thread"))
    webhook_timeout: int = _s(5, "Seconds a webhook receiver has to answer before the attempt fails (Webex: 5).",
                              min=1, max=60)
    webhook_retries: int = _s(0, "Retries of a failed webhook delivery (Webex documents none and calls delivery "
                                 "best-effort).", min=0, max=20)
    webhook_backoff: float = _s(1.0, "Seconds before the first webhook retry; each further retry waits twice as long "
                                     "(at most 5 minutes).", min=0)
    webhook_disable_after: int = _s(5, "Consecutive failed deliveries after which a subscription turns `inactive` "
                                       "(0: never).", min=0)
    webhook_queue_size: int = _s(10000, "Webhook deliveries waiting at most; beyond it an event is dropped (and "
                                        "logged), never the API slowed.", min=1)
    webhook_queue_per_org: int = _s(2000, "Webhook deliveries one organisation may have waiting; beyond it its events "
                                          "are dropped (and logged), so one dead receiver cannot fill the queue of "
                                          "all.", min=1)
    webhook_log_size: int = _s(500, "Delivery attempts kept per subscription in the delivery log (/_mock/webhooks).",
                               min=1)
    webhook_subscription_limit: int = _s(20, "Subscriptions an organisation may have, v1 and v2 together (Webex: 20).",
                                         min=0)
    search_max_depth: int = _s(12, "Deepest GraphQL query /search runs (levels of fields; 400 beyond). The deepest "
                                   "real query has 7.", min=1, max=100)
    search_max_aliases: int = _s(100, "Aliases one GraphQL query may use (400 beyond).", min=0, max=10000)
    search_max_values: int = _s(300000, "Values one GraphQL query may answer, counted before it runs as fields times "
                                        "full pages (413 beyond).", min=1)
    activity_history_size: int = _s(100000, "Task records and agent-session records kept per organisation, each (the "
                                            "history /search reads); past it the oldest go, 1 % of it at once, "
                                            "with a warning line.", min=1)
    websocket_connections_per_org: int = _s(100, "Notification websockets an organisation may hold open at once; one "
                                                 "more is closed at once with code 1013 (try again later).", min=1)
    websocket_queue_size: int = _s(1000, "Messages waiting per notification websocket; a slower reader loses the "
                                         "oldest (a warning line), never the simulation its pace.", min=1)

    def __post_init__(self):
        for f in fields(self):
            _check(f, getattr(self, f.name))

    @classmethod
    def from_env(cls, env: dict | None = None, **overrides) -> "Config":
        """Defaults, then environment variables, then explicit overrides; ``ValueError`` names a bad one."""
        env = os.environ if env is None else env
        values = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is not None and not (raw.strip() == "" and _unset_when_empty(f)):
                values[f.name] = _coerce(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @classmethod
    def documented(cls):
        """(env var, default, doc) rows, for `mockserver config` and docs/configuration.md."""
        rows, defaults = [], cls()
        for f in fields(cls):
            default = "./fixtures" if f.name == "fixtures" else getattr(defaults, f.name)
            rows.append((env_name(f.name), default, f.metadata.get("doc", "")))
        return rows


def env_name(name: str) -> str:
    """``port`` -> ``MOCKSERVER_PORT``."""
    return PREFIX + name.upper()


def _where(f) -> str:
    """How to set a field: its variable and, if it has one, its option."""
    option = f.metadata.get("option")
    return env_name(f.name) + (f" (or {option})" if option else "")


def _unset_when_empty(f) -> bool:
    """An empty number or choice (``MOCKSERVER_PORT=``) means the default, as if it were not set."""
    return f.type == "int" or bool(f.metadata.get("choices"))


def _coerce(f, raw: str):
    """Turn an environment string into the field's type, with an error naming the variable and the fix."""
    type_name = f.type if isinstance(f.type, str) else f.type.__name__
    if type_name == "int":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{env_name(f.name)} must be an integer, not {raw!r}: set {_where(f)} "
                             "to a whole number") from None
    if type_name == "float":
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"{env_name(f.name)} must be a number, not {raw!r}: set {_where(f)} to one") from None
    if type_name == "bool":
        value = raw.strip().lower()
        if value not in _TRUE | _FALSE:
            raise ValueError(f"{env_name(f.name)} must be true or false (1/0, yes/no, on/off), not {raw!r}")
        return value in _TRUE
    if f.name == "log_level":
        return raw.strip().upper()
    return raw


def _check(f, value) -> None:
    """Range and choice checks of one field (for values from the environment and from options alike)."""
    low, high, choices = f.metadata.get("min"), f.metadata.get("max"), f.metadata.get("choices")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if choices and str(value).lower() not in {c.lower() for c in choices}:
            raise ValueError(f"{env_name(f.name)} must be one of {', '.join(choices)}, not {value!r}: "
                             f"set {_where(f)} to one of them")
        return
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{env_name(f.name)} must be {bounds}, not {value}: set {_where(f)} accordingly")
