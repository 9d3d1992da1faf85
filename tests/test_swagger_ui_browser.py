"""/docs in a real Chromium with no way out: Swagger UI renders the mock's operations from the mock's own files,
and the browser asks no other host for anything."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from mockserver import create_app
from mockserver.testing import LiveServer

pytestmark = pytest.mark.browser

def test_swagger_ui_renders_offline_from_the_mock_alone(browser):
    with LiveServer(create_app({"access_log": False})) as live:
        mock = urlsplit(live.url).netloc
        page = browser.new_page()
        elsewhere, served = [], []

        def route(r):
            host = urlsplit(r.request.url).netloc
            if host == mock or r.request.url.startswith("data:"):
                served.append(r.request.url)
                r.continue_()
            else:  # offline: nothing outside the mock answers
                elsewhere.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(live.url + "/docs", wait_until="load", timeout=30_000)
        page.wait_for_selector(".opblock-summary-path", timeout=30_000)  # the operations are listed
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert any("/organization/{orgid}/v2/site" in p.replace("\u200b", "") for p in paths), paths[:10]
        assert page.locator(".information-container .title").inner_text().startswith(
            "Webex Contact Center mock server")
        assert elsewhere == [], f"the page asked other hosts: {elsewhere}"
        assert errors == [], errors
        assert any(u.endswith("/docs/assets/swagger-ui-bundle.js") for u in served)
        assert any(u.endswith("/openapi.json") for u in served)
        page.close()
