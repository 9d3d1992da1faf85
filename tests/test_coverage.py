"""The coverage table: what the mock implements of each vendor resource (docs/coverage.md: tests/test_docs.py)."""
from __future__ import annotations

from mockserver.resources import coverage

from . import app_routes, vendor_spec


def test_every_configuration_route_is_counted_once():
    rows = coverage.rows(vendor_spec.spec(), app_routes.shared_app())
    implemented = [op for _, done, _ in rows for op in done]
    routes = {(m, vendor_spec.template(r)) for m, r, _ in app_routes.routes()
              if r.startswith(coverage.MOCK_PREFIXES)}
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
    assert table.rstrip().endswith("| **all** | **2/306** | | |")


def test_resource_of_a_path():
    assert coverage.resource_of("/organization/{orgid}/v2/site") == "site"
    assert coverage.resource_of("/organization/{orgid}/address-book/{addressBookId}/entry/{id}") == "address-book"
    assert coverage.resource_of("/organization/{orgid}/v3/user-profile/{id}/acl") == "user-profile"
    assert coverage.resource_of("/dataSources/schemas/{schemaId}") == "dataSources"
    assert coverage.label("GET", "/dataSources/") == "GET /dataSources"


# -- the whole configuration API is routed ---------------------------------------------------------------------
#: Families not served at all (issue 12's first half served the last ten): none left.
UNSERVED_FAMILIES = frozenset()
#: Operations another branch serves: none left (issue 11's deprecated address-book create is merged).
SERVED_ELSEWHERE = frozenset()


def test_every_vendor_configuration_operation_is_routed_but_the_named_gap():
    rows = coverage.rows(vendor_spec.spec(), app_routes.shared_app())
    missing = {op for _, _, todo in rows for op in todo}
    allowed = {op for name, done, todo in rows if name in UNSERVED_FAMILIES for op in done + todo}
    allowed |= SERVED_ELSEWHERE
    assert missing - allowed == set(), "vendor operations the mock does not route"
    assert allowed - missing == set(), "operations of the named gap are routed now: remove them from the gap"


def test_the_gap_is_whole_families_and_the_count_adds_up():
    rows = coverage.rows(vendor_spec.spec(), app_routes.shared_app())
    by_name = {name: (done, todo) for name, done, todo in rows}
    for name in UNSERVED_FAMILIES:
        assert by_name[name][0] == [] and by_name[name][1], name  # not served at all
    gap = sum(len(by_name[n][1]) for n in UNSERVED_FAMILIES) + len(SERVED_ELSEWHERE)
    total = sum(len(d) + len(t) for d, t in by_name.values())
    done = sum(len(d) for d, _ in by_name.values())
    assert total == 306 and done == total - gap
    assert f"| **all** | **{done}/{total}** | | |" in coverage.table(vendor_spec.spec(), app_routes.shared_app())
    assert len(by_name["dataSources"][0]) == 7


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
