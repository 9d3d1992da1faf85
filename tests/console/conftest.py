"""Browser fixtures: the mock on a live loopback port, Debian's chromium driven by Playwright, API helpers."""
from __future__ import annotations

from pathlib import Path

import pytest
import requests

from mockserver import create_app
from mockserver.testing import LiveServer

from ..conftest import DEMO_ORG  # noqa: F401  (re-exported for the tests)

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"
TIMEOUT_MS = 15000


class Server:
    """A live mock with helpers that ask its API what it holds (never the store)."""

    def __init__(self, app, live: LiveServer, admin_token: str = ""):
        self.app, self.live, self.url = app, live, live.url
        self.admin = {"X-Mock-Admin-Token": admin_token} if admin_token else {}

    def token(self, user: str) -> str:
        resp = requests.post(f"{self.url}/_mock/tokens", headers=self.admin, timeout=10, json={
            "user": user, "scopes": ["cjp:config", "cjp:config_read", "cjp:config_write", "cjp:user"]})
        assert resp.status_code == 201, resp.text
        return resp.json()["access_token"]

    def get(self, path: str, user: str = "full.admin@acme.example", **kw) -> requests.Response:
        return requests.get(self.url + path, headers={"Authorization": f"Bearer {self.token(user)}"}, timeout=10, **kw)

    def mock(self, method: str, path: str, **kw) -> requests.Response:
        return requests.request(method, f"{self.url}/_mock{path}", headers=self.admin, timeout=10, **kw)

    def connectors(self, org: str = DEMO_ORG, user: str = "full.admin@acme.example") -> list[dict]:
        resp = self.get(f"/controlhub/organization/{org}/connectors", user)
        assert resp.status_code == 200, resp.text
        return resp.json()["data"]


def _serve(config: dict):
    app = create_app({"access_log": False, **config})
    live = LiveServer(app).start()
    return app, live


@pytest.fixture
def server():
    """A fresh mock (bundled fixtures) on a free loopback port."""
    app, live = _serve({})
    yield Server(app, live)
    live.stop()


@pytest.fixture
def locked_server():
    """A fresh mock with an admin token set."""
    app, live = _serve({"admin_token": "console-admin-secret"})
    yield Server(app, live, "console-admin-secret")
    live.stop()


@pytest.fixture
def page(browser):
    """A new browser context and page per test (own cookies)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    yield pg
    context.close()


def sign_in(page, server: Server, email: str, screenshot: bool = False) -> None:
    """The documentation's first step: sign in, through the mock's consent page, as one of the people."""
    page.goto(f"{server.url}/console/")
    if screenshot:
        shot(page, "signin")
    page.click("#signin-button")
    page.wait_for_selector("#user")
    value = page.locator("#user option", has_text=f"<{email}>").get_attribute("value")
    page.select_option("#user", value)
    page.click("#approve")
    page.wait_for_url(f"{server.url}/console/connectors")


def shot(page, name: str) -> None:
    """A screenshot for the documentation (docs/img/console-<name>.png)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"console-{name}.png"), full_page=True)
