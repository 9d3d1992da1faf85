"""The generated parts of the documentation are what the code produces: the settings table of
docs/configuration.md (from mockserver/config.py) and the coverage table of docs/coverage.md (from the routes and
the vendor spec). ``python -m tests.test_docs`` rewrites both.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from mockserver import cli
from mockserver.resources import coverage

from . import app_routes, vendor_spec

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _generated() -> dict[tuple[str, str], str]:
    """``(page, block) -> text`` of every generated block."""
    return {
        ("configuration.md", "settings"): cli.settings_table(),
        ("coverage.md", "coverage"): coverage.table(vendor_spec.spec(), app_routes.shared_app()),
    }


def _pattern(block: str) -> re.Pattern:
    return re.compile(rf"(<!-- generated:{block} -->\n)(.*?)(<!-- /generated:{block} -->)", re.S)


def _block(page: str, block: str) -> str:
    found = _pattern(block).search((DOCS / page).read_text(encoding="utf-8"))
    assert found, f"docs/{page} has no generated {block} block"
    return found.group(2)


def test_settings_table_is_what_config_py_defines():
    text = _block("configuration.md", "settings")
    assert text == cli.settings_table(), "docs/configuration.md is stale: run python -m tests.test_docs"
    from mockserver.config import Config

    assert [row.split("`")[1] for row in text.splitlines()[2:]] == [env for env, _, _ in Config.documented()]


def test_coverage_table_is_what_the_command_prints():
    text = _block("coverage.md", "coverage")
    assert text == coverage.table(vendor_spec.spec(), app_routes.shared_app()), (
        "docs/coverage.md is stale: run python -m tests.test_docs")
    assert text.startswith("| Resource | Implemented |") and "| **all** |" in text


def test_every_page_is_in_the_navigation_and_nothing_else_is():
    nav = re.findall(r":\s*([\w-]+\.md)\s*$", (DOCS.parent / "mkdocs.yml").read_text(), re.M)
    assert sorted(nav) == sorted(p.name for p in DOCS.glob("*.md")) and len(nav) == len(set(nav))


def main() -> int:
    """Rewrite every generated block from the code."""
    for (page, block), text in _generated().items():
        path = DOCS / page
        old = path.read_text(encoding="utf-8")
        new = _pattern(block).sub(lambda m: m.group(1) + text + m.group(3), old)
        if new != old:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote docs/{page} ({block})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
