"""/docs works offline: the Swagger UI page and every asset it needs come from the mock itself, no other host."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from mockserver import create_app
from mockserver.testing import LiveServer


class _Refs(HTMLParser):
    """Every URL the page would load: ``src`` and ``href`` attributes, and absolute URLs inside its scripts."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.script = ""

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]

    def handle_data(self, data):
        self.script += data


@pytest.fixture(scope="module")
def live():
    with LiveServer(create_app({"access_log": False})) as server:
        yield server


def _same_host(live, url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("", "http") and parts.netloc in ("", urlsplit(live.url).netloc)


def test_docs_and_every_asset_it_references_come_from_the_mock(live):
    page = requests.get(live.url + "/docs", timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    refs = _Refs()
    refs.feed(page.text)
    assert len(refs.urls) >= 3, refs.urls  # the style sheet, the preset and the bundle
    inline = re.findall(r"""https?://[^\s"'<>]+""", refs.script)
    assert inline == [], f"the page's own script names another host: {inline}"
    assert re.search(r'"validatorUrl":\s*null', refs.script), "Swagger UI would ask validator.swagger.io"
    seen = {}
    for ref in refs.urls:
        url = urljoin(live.url + "/docs", ref)
        assert _same_host(live, url), f"/docs loads {ref} from another host"
        resp = requests.get(url, timeout=10)
        assert resp.status_code == 200 and len(resp.content) > 1000, (ref, resp.status_code)
        seen[urlsplit(url).path] = resp
    assert {"/docs/assets/swagger-ui.css", "/docs/assets/swagger-ui-bundle.js",
            "/docs/assets/swagger-ui-standalone-preset.js"} <= set(seen)
    css = seen["/docs/assets/swagger-ui.css"]
    assert css.headers["Content-Type"].startswith("text/css")
    external = [u for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.text) if not u.startswith("data:")]
    assert all(_same_host(live, urljoin(css.url, u)) for u in external), external
    assert "SwaggerUIBundle" in seen["/docs/assets/swagger-ui-bundle.js"].text


def test_the_document_the_page_loads_is_served_by_the_mock(live):
    page = requests.get(live.url + "/docs", timeout=10).text
    [spec_url] = re.findall(r'url: "([^"]+)"', page)
    assert _same_host(live, urljoin(live.url + "/docs", spec_url))
    doc = requests.get(urljoin(live.url + "/docs", spec_url), timeout=10)
    assert doc.status_code == 200 and doc.json()["info"]["title"] == "Webex Contact Center mock server"


def test_only_the_files_the_page_needs_are_served(live):
    ok = requests.get(live.url + "/docs/assets/favicon-32x32.png", timeout=10)
    assert ok.status_code == 200 and ok.headers["Content-Type"] == "image/png"
    for name in ("index.html", "swagger-initializer.js", "../__init__.py", "nothing.js"):
        resp = requests.get(live.url + "/docs/assets/" + name, timeout=10)
        assert resp.status_code == 404 and resp.json()["error"]["key"] == "404", name
