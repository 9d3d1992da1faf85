"""Shared fixtures: an app per test on in-memory storage with the bundled fixtures, a token factory, and the app
over real HTTP with a probe route behind the guard (``live``)."""
from __future__ import annotations

import itertools
import os
import re
import sys

# Before the package's imports: the suite imports about 400 modules in each worker, and Python caches their
# bytecode in __pycache__ by default; an environment that turns that off (PYTHONDONTWRITEBYTECODE, set on some CI
# images) would have every worker compile them again at every run (about 20 s of the fast tier's CPU here).
sys.dont_write_bytecode = False

import pytest  # noqa: E402

from mockserver import create_app  # noqa: E402
from mockserver.testing import LiveServer  # noqa: E402

DEMO_ORG = "f222c4e4-0b5a-4a5e-9e2c-8d3b6d0b1a01"
NOLICENSE_ORG = "5b0a2f4e-7d3c-4c1e-9a8b-2e6f1d0c9b02"
ALL_SCOPES = ["cjp:config", "cjp:config_read", "cjp:config_write", "cjp:user"]


#: Distinct RSA keys a test session hands out in turn (see ``_reused_signing_keys``).
SIGNING_KEY_POOL = 16


@pytest.fixture(scope="session", autouse=True)
def _reused_signing_keys():
    """Every app and every key rotation gets the next of a few keys generated once per session, instead of a new
    2048-bit key each time (30-500 ms of CPU: most of what building an app cost the tests).

    Consecutive keys differ, so a test that builds two apps or rotates a key still sees different keys and kids;
    the keys come from the mock's own ``_new_key``, and a key loaded from a file (``signing_key``) is unaffected.
    """
    from mockserver.auth import keys

    generate, pool, turn = keys._new_key, [], itertools.count()

    def next_key():
        i = next(turn) % SIGNING_KEY_POOL
        if i == len(pool):
            pool.append(generate())
        return pool[i]

    keys._new_key = next_key
    yield
    keys._new_key = generate


@pytest.fixture
def app():
    """A fresh app (in memory, bundled fixtures, quiet access log)."""
    return create_app({"access_log": False})


@pytest.fixture
def client(app):
    """Flask test client of ``app``."""
    return app.test_client()


@pytest.fixture
def rt(app):
    """The app's runtime (store, clock, keys, tokens)."""
    return app.extensions["wxcc"]


@pytest.fixture
def token(client):
    """``token(user='full.admin@acme.example', scopes=..., **extra)`` -> bearer token string."""

    def make(user="full.admin@acme.example", scopes=None, **extra):
        body = {"user": user, "scopes": ALL_SCOPES if scopes is None else scopes, **extra}
        resp = client.post("/_mock/tokens", json=body)
        assert resp.status_code == 201, resp.json
        return resp.json["access_token"]

    return make


@pytest.fixture
def auth(token):
    """``auth(**token_kwargs)`` -> headers dict with the bearer token."""
    return lambda **kw: {"Authorization": f"Bearer {token(**kw)}"}


def assert_webex_error(resp, status: int, reason_part: str | None = None):
    """The response is the Webex error body with that status (and the reason mentions ``reason_part``)."""
    assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True))
    body = resp.get_json()
    assert body["trackingId"].startswith("ccconfig_") or body["trackingId"]
    assert body["error"]["key"] == str(status)
    assert body["error"]["message"][0]["description"]
    assert resp.headers["TrackingID"] == body["trackingId"]
    if reason_part is not None:
        assert reason_part.lower() in body["error"]["reason"].lower(), body["error"]["reason"]
    return body


@pytest.fixture
def live(app):
    """The app over real HTTP on a free loopback port, with a probe route behind the guard."""
    from .oauth import add_probe

    add_probe(app)
    with LiveServer(app) as server:
        yield server


#: Modules whose markers are not in a ``pytestmark = ...`` line, by marker (read like one; see below).
COSTLY_TO_COLLECT: dict[str, str] = {}
_PYTESTMARK = re.compile(r"^pytestmark\s*=(.*(?:\n[ \t].*)*)", re.M)
_MARK_NAME = re.compile(r"\bmark\.(\w+)")
_EXPR_NAME = re.compile(r"\b(?!(?:and|or|not)\b)[A-Za-z_][\w]*")


def _module_markers(path) -> tuple[set[str], set[str]]:
    """``(on every test, on some tests)``: the markers of a test module's ``pytestmark`` line, and every other
    marker its text names (decorators, ``pytest.param(marks=...)``), read without importing it."""
    every = {COSTLY_TO_COLLECT[path.name]} if path.name in COSTLY_TO_COLLECT else set()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return every, set()
    found = _PYTESTMARK.search(text)
    every |= set(_MARK_NAME.findall(found.group(1))) if found else set()
    return every, set(_MARK_NAME.findall(text)) | ADDED_MARKERS


def pytest_ignore_collect(collection_path, config):
    """Do not even import a test module that ``-m`` deselects whole: one whose ``pytestmark`` (e.g. fuzz, soak,
    crash, browser) rules out every test, whatever other markers a test carries. Importing those modules was most
    of the fast tier's collection time (schemathesis builds its hundreds of tests while collecting)."""
    expr = config.getoption("markexpr")
    if not expr or collection_path.suffix != ".py" or not collection_path.name.startswith("test_"):
        return None
    marks, some = _module_markers(collection_path)
    if not marks:
        return None
    try:
        from _pytest.mark.expression import Expression  # pytest's own -m parser, so the rule is exactly -m's
        compiled = Expression.compile(expr)
    except Exception:  # a pytest without it, or an expression pytest itself will report
        return None
    # Any other marker a test of the module may carry that the expression names: try every combination of them.
    others = sorted(set(_EXPR_NAME.findall(expr)) & some - marks)
    if len(others) > 10:
        return None
    for combo in itertools.product((False, True), repeat=len(others)):
        names = marks | {name for name, on in zip(others, combo) if on}
        if compiled.evaluate(lambda name, /, **kwargs: name in names):
            return None
    return True


#: The system tier's markers: its tests load the machine themselves (or time a server), so they run in one process.
SYSTEM_MARKERS = ("soak", "fuzz", "crash", "concurrency", "bench", "browser", "docker")


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: no error where xdist is not installed
def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (pyproject.toml): one worker per core for the fast tier, none (this process) when ``-m`` selects
    any system-tier test. ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still decides when set."""
    expr = config.getoption("markexpr")
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS") or not expr:
        return None
    try:
        from _pytest.mark.expression import Expression

        compiled = Expression.compile(expr)
    except Exception:
        return None
    if any(compiled.evaluate(lambda name, /, _m=marker, **kwargs: name == _m) for marker in SYSTEM_MARKERS):
        return 0
    return None


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the whole session, driven by Playwright (one sync driver per process:
    every browser test shares it). A missing chromium fails the tests: CI installs it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chrome = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chrome
        chrome.close()


#: Markers ``pytest_collection_modifyitems`` below adds (a module that does not name them may still carry them).
ADDED_MARKERS = {"live"}
#: Names whose presence in a test module means its tests run a real server (in a thread or a process).
_LIVE_NAMES = ("LiveServer", "ServerProcess", "soak")


def pytest_collection_modifyitems(config, items):
    """Mark the tests that run a real server ``live``: ``.ci/run`` runs them once more under the fallback
    server (``MOCKSERVER_SERVER=waitress python -m pytest -m live``)."""
    for item in items:
        module = getattr(item, "module", None)
        if "live" in getattr(item, "fixturenames", ()) or (
                module is not None and any(name in vars(module) for name in _LIVE_NAMES)):
            item.add_marker(pytest.mark.live)
