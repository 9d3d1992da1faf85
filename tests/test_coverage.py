"""The coverage table: what the mock implements of each vendor resource (docs/coverage.md: tests/test_docs.py)."""
from __future__ import annotations

from mockserver import coverage

from . import app_routes, vendor_spec


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
