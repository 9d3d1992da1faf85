"""pytest plugin (entry point ``pytest11``): fixtures for users' own test suites.

* ``wxcc_server`` (session): a mock on a free loopback port in a thread, or in-process (``--wxcc-inprocess``:
  ``requests`` calls to its base URL are served without a socket), or a running one (``--wxcc-url``).
* ``wxcc`` (per test): a fresh isolated organisation on that server with its helpers; deleted afterwards.

Under pytest-xdist every worker is its own process, so it gets its own server (or, with ``--wxcc-url``,
every test its own organisation on the shared one).
"""
from __future__ import annotations

import os

import pytest


def pytest_addoption(parser):
    group = parser.getgroup("wxcc", "Webex Contact Center mock server")
    group.addoption("--wxcc-url", default=None, help="use a running mock at this URL instead of starting one")
    group.addoption("--wxcc-inprocess", action="store_true", default=None,
                    help="serve requests to the mock in-process (no socket)")
    group.addoption("--wxcc-admin-token", default=None, help="the mock's MOCKSERVER_ADMIN_TOKEN, if set")
    parser.addini("wxcc_url", "URL of a running mock (default: start one per session)", default="")
    parser.addini("wxcc_inprocess", "serve requests in-process (no socket)", type="bool", default=False)


def pytest_configure(config):
    config.addinivalue_line("markers", "wxcc(template='demo', flex3=True, users=200, seed=1, name=None): "
                                       "how the test's organisation is created")


class MockServer:
    """Where the mock is and how to reach it: ``url``, ``app`` (None for an external one), ``session()``."""

    def __init__(self, url: str, app=None, admin_token: str | None = None, inprocess: bool = False):
        self.url, self.app, self.admin_token, self.inprocess = url.rstrip("/"), app, admin_token, inprocess

    def session(self):
        """A ``requests.Session`` that reaches the mock (mounted on the app in in-process mode)."""
        import requests

        from .inprocess import WSGIAdapter

        session = requests.Session()
        if self.inprocess:
            session.mount(self.url + "/", WSGIAdapter(self.app))
        return session

    def control(self):
        """A session for the control API (sends the admin token when there is one)."""
        session = self.session()
        if self.admin_token:
            session.headers["X-Mock-Admin-Token"] = self.admin_token
        return session


def _option(config, name):
    value = config.getoption(f"--wxcc-{name.replace('_', '-')}")
    return value if value is not None else config.getini(f"wxcc_{name}") if name != "admin_token" else None


@pytest.fixture(scope="session")
def wxcc_server(pytestconfig):
    """The mock for this test session (per xdist worker)."""
    url = _option(pytestconfig, "url")
    token = _option(pytestconfig, "admin_token") or os.environ.get("MOCKSERVER_ADMIN_TOKEN")
    if url:
        yield MockServer(url, admin_token=token)
        return
    from .. import create_app

    # The session's own server: in memory and unprotected whatever MOCKSERVER_* says (that may describe a dev server).
    app = create_app({"access_log": False, "admin_token": "", "storage": "memory", "public_base_url": ""})
    if _option(pytestconfig, "inprocess"):
        from .inprocess import DEFAULT_BASE_URL

        with _route_requests_to(app, DEFAULT_BASE_URL):
            yield MockServer(DEFAULT_BASE_URL, app, inprocess=True)
        return
    from .live import LiveServer

    with LiveServer(app) as live:
        yield MockServer(live.url, app)


class _route_requests_to:
    """While active, every ``requests`` call under ``base_url`` (any session) is answered in-process."""

    def __init__(self, app, base_url):
        from .inprocess import WSGIAdapter

        self.prefix, self.adapter = base_url.rstrip("/") + "/", WSGIAdapter(app)

    def __enter__(self):
        import requests

        self.original = original = requests.Session.get_adapter
        prefix, adapter = self.prefix, self.adapter

        def get_adapter(session, url):
            return adapter if url.lower().startswith(prefix) else original(session, url)

        requests.Session.get_adapter = get_adapter
        return self

    def __exit__(self, *exc):
        import requests

        requests.Session.get_adapter = self.original


@pytest.fixture
def wxcc(wxcc_server, request):
    """A fresh isolated organisation for one test (see ``mockserver.testing.plugin.Org``)."""
    from .client import Org

    marker = request.node.get_closest_marker("wxcc")
    org = Org.create(wxcc_server, **(marker.kwargs if marker else {}))
    try:
        yield org
    finally:
        org.close()
