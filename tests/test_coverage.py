"""The coverage table: what the mock implements of each vendor resource, and the copy of it in README.md."""
from __future__ import annotations

import re
from pathlib import Path

from mockserver import coverage

from . import app_routes, vendor_spec

README = Path(__file__).resolve().parents[1] / "README.md"


def _section(name: str) -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"<!-- section:{name} -->\n(.*?)<!-- /section:{name} -->", text, re.S)
    assert found, f"README.md has no {name} section"
    return found.group(1)


def test_readme_table_is_what_the_command_prints():
    table = coverage.table(vendor_spec.spec(), app_routes.shared_app())
    assert table in _section("coverage"), "regenerate it: python -m mockserver.coverage"


def test_every_configuration_route_is_counted_once():
    rows = coverage.rows(vendor_spec.spec(), app_routes.shared_app())
    implemented = [op for _, done, _ in rows for op in done]
    routes = {(m, vendor_spec.template(r)) for m, r, _ in app_routes.config_routes()}
    assert len(implemented) == len(set(implemented)) == len(routes)
    vendor = sum(len(ops) for ops in coverage.vendor_operations(vendor_spec.spec()).values())
    assert sum(len(done) + len(todo) for _, done, todo in rows) == vendor


def test_rows_split_a_resource_into_done_and_missing():
    from flask import Flask

    tiny = Flask("tiny")
    tiny.add_url_rule("/organization/<orgid>/site/<siteId>", "one", lambda **kw: "", methods=["GET", "PUT"])
    rows = {name: (done, todo) for name, done, todo in coverage.rows(vendor_spec.spec(), tiny)}
    done, todo = rows["site"]
    assert done == ["GET /site/{id}", "PUT /site/{id}"]
    assert "GET /v2/site" in todo and "DELETE /site/{id}" in todo and len(todo) == 8
    assert rows["team"][0] == []
    table = coverage.table(vendor_spec.spec(), tiny)
    assert "| `site` | 2/10 | `GET /site/{id}`<br>`PUT /site/{id}` |" in table
    assert table.rstrip().endswith("| **all** | **2/299** | | |")


def test_resource_of_a_path():
    assert coverage.resource_of("/organization/{orgid}/v2/site") == "site"
    assert coverage.resource_of("/organization/{orgid}/address-book/{addressBookId}/entry/{id}") == "address-book"
    assert coverage.resource_of("/organization/{orgid}/v3/user-profile/{id}/acl") == "user-profile"


def test_the_command_prints_the_table(capsys, tmp_path):
    assert coverage.main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("| Resource | Implemented |") and "| `site` |" in out
    assert coverage.main(["--spec", str(tmp_path / "missing.json")]) == 2
    assert "cannot read the vendor spec" in capsys.readouterr().err


def test_search_and_every_subscription_operation_are_implemented():
    rows = {family: (done, todo) for family, done, todo in coverage.runtime_rows(vendor_spec.spec(),
                                                                              app_routes.shared_app())}
    assert rows["search"] == (["POST /search"], [])
    assert len(rows["subscriptions"][0]) == 10 and rows["subscriptions"][1] == []
    assert sorted(rows["event-types"][0]) == ["GET /v1/event-types", "GET /v2/event-types"]
    from flask import Flask

    bare = {family: todo for family, _, todo in coverage.runtime_rows(vendor_spec.spec(), Flask("bare"))}
    assert bare["search"] == ["POST /search"] and len(bare["subscriptions"]) == 10  # a missing route is reported
