"""An accessibility check of the console's own, in the browser: labels, accessible names, contrast, keyboard.

(axe-core is not available offline; these checks cover what the console's pages are made of: every field has a
label, every control a name, every text at least WCAG AA contrast against its computed background, and the
documentation's walk can be done with the keyboard alone, with a visible focus ring.)
"""
from __future__ import annotations

import pytest

from .conftest import DEMO_ORG, sign_in

pytestmark = pytest.mark.browser

CHECK = """() => {
  const problems = [];
  const visible = el => { const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0; };
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby');
    if (!named) problems.push('no label: ' + el.outerHTML.slice(0, 90));
  }
  for (const el of document.querySelectorAll('button, a[href]')) {
    if (!(el.textContent || '').trim() && !el.getAttribute('aria-label'))
      problems.push('no name: ' + el.outerHTML.slice(0, 90));
  }
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = rgb => rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), seen = new Set();
  let checked = 0;
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim(), el = walker.currentNode.parentElement;
    if (!text || seen.has(el) || !visible(el)) continue;
    seen.add(el); checked++;
    const s = getComputedStyle(el), a = lum(parse(s.color).slice(0, 3)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(s.fontSize), large = size >= 24 || (size >= 18.66 && parseInt(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)}: ${el.tagName} "${text.slice(0, 40)}"`);
  }
  return {problems, checked};
}"""

INACTIVE = "c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a23"


def _check(page):
    found = page.evaluate(CHECK)
    assert found["checked"] > 10, found  # the check looked at the page's texts
    assert found["problems"] == [], f"{page.url}: {found['problems']}"


def test_every_page_has_labels_names_and_contrast(page, server):
    page.goto(f"{server.url}/console/")
    _check(page)
    sign_in(page, server, "full.admin@acme.example")
    for path in ("/console/", "/console/connectors", "/console/connectors/new", f"/console/connectors/{INACTIVE}",
                 "/console/flows", "/console/flows/6a1f0c2b9d8e7f6a5b4c3d21", "/console/harness", "/console/live"):
        page.goto(server.url + path)
        _check(page)
    page.goto(f"{server.url}/console/flows/6a1f0c2b9d8e7f6a5b4c3d21")
    page.click("#run-flow")
    _check(page)  # the result section too
    page.goto(f"{server.url}/console/connectors/{INACTIVE}")
    page.click("#delete")
    _check(page)  # the confirmation with its warning


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus (bounded), and check the focus is visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            style = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert style != "none", f"{selector}: no visible focus"
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def test_the_walk_works_with_the_keyboard_alone(page, server):
    sign_in(page, server, "full.admin@acme.example")
    _tab_to(page, "#setup")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.url}/console/connectors/new")
    _tab_to(page, "#name")
    page.keyboard.type("Keyboard reads")
    _tab_to(page, "#level-READ_ONLY")
    _tab_to(page, "#consent")
    page.keyboard.press("Space")
    _tab_to(page, "#add")
    page.keyboard.press("Enter")
    page.wait_for_selector("#connector-id")
    held = [c for c in server.connectors() if c["name"] == "Keyboard reads"]
    assert len(held) == 1 and held[0]["accessLevel"] == "READ_ONLY"
    _tab_to(page, "#active-switch")
    page.keyboard.press("Enter")
    page.wait_for_selector("#warning")
    _tab_to(page, "#confirm")
    page.keyboard.press("Enter")
    page.wait_for_selector("#edit-form")
    got = server.get(f"/controlhub/organization/{DEMO_ORG}/connectors/{held[0]['id']}").json()
    assert got["active"] is False
