"""Access rules are declared with the routes; an undeclared route stops ``create_app`` (closed by default)."""
from __future__ import annotations

import sys
import types

import pytest
from flask_smorest import Blueprint

import mockserver
from mockserver import create_app
from mockserver.auth import access
from mockserver.auth.policy import RULES

from ..conftest import DEMO_ORG, assert_webex_error


def _module(name: str, declare: str | None):
    """A blueprint module like the app's own, with one route, declared with ``declare`` (None: not at all)."""
    mod = types.ModuleType(name)

    def register(api, rt):
        blp = Blueprint(name, name)
        blp.add_url_rule("/v1/forgotten", "forgotten", lambda: {"open": True})
        if declare:
            access.declare(blp, declare)
        api.register_blueprint(blp)
    mod.register = register
    return mod


@pytest.fixture
def extra_blueprint(monkeypatch):
    def add(declare):
        name = f"undeclared_{declare or 'none'}"
        monkeypatch.setitem(sys.modules, name, _module(name, declare))
        monkeypatch.setattr(mockserver, "BLUEPRINTS", [*mockserver.BLUEPRINTS, name])
    return add


def test_a_route_without_an_access_rule_fails_create_app_naming_it(extra_blueprint):
    extra_blueprint(None)
    with pytest.raises(access.UndeclaredAccess) as err:
        create_app({"access_log": False})
    assert "undeclared_none.forgotten" in str(err.value) and "/v1/forgotten" in str(err.value)


def test_a_declared_route_is_guarded_by_its_rule(extra_blueprint):
    extra_blueprint("agent")
    client = create_app({"access_log": False}).test_client()
    assert_webex_error(client.get("/v1/forgotten"), 400, "Authorization header is missing")


def test_an_unknown_rule_name_is_refused_where_it_is_declared():
    with pytest.raises(access.UndeclaredAccess, match="unknown access rule 'confg'"):
        access.declare(Blueprint("typo", "typo"), "confg")


def test_every_route_of_the_app_has_a_rule_of_the_one_table():
    app = create_app({"access_log": False})
    table = app.extensions["wxcc_access"]
    assert set(table) == set(app.view_functions)
    assert all(RULES[a.rule.name] is a.rule for a in table.values())


def test_a_view_rule_overrides_its_blueprint():
    app = create_app({"access_log": False})
    table = app.extensions["wxcc_access"]
    imports = [e for e in table if e.startswith("flow-store.") and "Import" in e]
    assert imports and all(table[e].rule.name == "flow-import" for e in imports)
    assert {table[e].rule.name for e in table if e.startswith("flow-store.") and e not in imports} == {"flow-store"}


def test_an_unrouted_path_outside_the_configuration_api_is_a_404_whatever_the_token():
    client = create_app({"access_log": False}).test_client()
    for path in ("/v1/tasks", "/v1/agents/activities"):
        assert_webex_error(client.get(path), 404)


def test_an_unrouted_configuration_path_checks_the_token_first():
    client = create_app({"access_log": False}).test_client()
    assert_webex_error(client.get(f"/organization/{DEMO_ORG}/no-such-thing"), 400, "Authorization header")
