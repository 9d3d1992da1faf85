"""Every private internal of a library the code relies on, checked directly: an upgrade that breaks one fails here,
naming the library, the internal and the module that uses it (the bounds are in pyproject.toml).

Each test asserts the internal exists with the shape the code expects and behaves as the code expects.
"""
from __future__ import annotations

import inspect
import io
from importlib.metadata import version

import pytest


def _broken(lib: str, what: str, where: str) -> str:
    return (f"{lib} {version(lib)}: {what} changed; {where} relies on it. Port that code (or keep the upper bound "
            f"in pyproject.toml below this version).")


def _params(func) -> list[str]:
    return list(inspect.signature(func).parameters)


# --- TinyDB: mockserver/storage/__init__.py -------------------------------------------------------------------------
def test_tinydb_table_internals_used_by_the_store():
    from tinydb import TinyDB
    from tinydb.storages import MemoryStorage
    from tinydb.table import Table

    from mockserver.storage import _InPlaceTable

    for name in ("_read_table", "_update_table", "clear_cache"):
        assert callable(getattr(Table, name, None)), _broken("tinydb", f"Table.{name}", "mockserver/storage")
    assert _params(Table._update_table)[1:] == ["updater"], _broken("tinydb", "Table._update_table(updater)",
                                                                      "mockserver/storage _InPlaceTable")
    db = TinyDB(storage=MemoryStorage)
    db.table_class = _InPlaceTable
    table = db.table("org/site", cache_size=0)
    assert hasattr(table, "_storage"), _broken("tinydb", "Table._storage", "mockserver/storage _InPlaceTable")
    table._update_table(lambda raw: raw.__setitem__("s1", {"id": "s1", "name": "x"}))
    assert table._read_table() == {"s1": {"id": "s1", "name": "x"}}, _broken(
        "tinydb", "Table._read_table (the raw {id: document} dict)", "mockserver/storage")
    assert [dict(d) for d in table.all()] == [{"id": "s1", "name": "x"}]


# --- flask-smorest: mockserver/resources/crud.py, mockserver/cli.py -------------------------------------------------
def test_flask_smorest_internals_used_by_the_resources_and_the_openapi_command():
    from flask import Flask
    from flask_smorest import Api, Blueprint

    app = Flask("probe")
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    api = Api(app)
    assert api._app is app, _broken("flask-smorest", "Api._app", "mockserver/http/apidoc.py DeferredDocsApi")
    ext = app.extensions["flask-smorest"]
    assert isinstance(ext.get("blp_name_to_api"), dict), _broken(
        "flask-smorest", 'extensions["flask-smorest"]["blp_name_to_api"]', "mockserver/http/apidoc.py DeferredDocsApi")
    assert ext["apis"][""]["ext_obj"] is api, _broken(
        "flask-smorest", 'extensions["flask-smorest"]["apis"][""]["ext_obj"]', "mockserver/cli.py openapi_document")
    assert _params(Blueprint.register_views_in_doc)[1:] == ["api", "app", "spec", "name", "parameters"], _broken(
        "flask-smorest", "Blueprint.register_views_in_doc(api, app, spec, name, parameters)",
        "mockserver/http/apidoc.py DeferredDocsApi")
    assert getattr(Api, "ERROR_SCHEMA", None) is not None, _broken("flask-smorest", "Api.ERROR_SCHEMA",
                                                                    "mockserver/http/errors.py WebexApi")


# --- werkzeug: mockserver/resources/crud.py -------------------------------------------------------------------------
def test_werkzeug_rule_compile_builder_used_by_the_lazy_rules():
    from werkzeug.routing import Map, Rule

    from mockserver.http.apidoc import LazyBuildRule

    assert _params(Rule._compile_builder)[1:] == ["append_unknown"], _broken(
        "werkzeug", "Rule._compile_builder(append_unknown)", "mockserver/http/apidoc.py LazyBuildRule")
    urls = Map([LazyBuildRule("/organization/<orgid>/site/<id>", endpoint="site")]).bind("mock.example")
    assert urls.build("site", {"orgid": "o", "id": "s", "page": 2}) == "/organization/o/site/s?page=2", _broken(
        "werkzeug", "URL building through Rule._compile_builder", "mockserver/http/apidoc.py LazyBuildRule")
    assert urls.match("/organization/o/site/s") == ("site", {"orgid": "o", "id": "s"})


# --- marshmallow: mockserver/resources/spec.py and crud.py ----------------------------------------------------------
def test_marshmallow_declared_fields_used_by_the_resource_specs():
    import marshmallow as ma

    class Probe(ma.Schema):
        name = ma.fields.String(data_key="displayName")

    declared = getattr(Probe, "_declared_fields", None)
    assert isinstance(declared, dict) and declared["name"].data_key == "displayName", _broken(
        "marshmallow", "Schema._declared_fields", "mockserver/resources/spec.py and crud.py")


# --- waitress: mockserver/serving/server.py, mockserver/testing/live.py, mockserver/admin/hooks.py ------------------
def test_waitress_server_and_channel_internals_used_to_stop_and_to_drop_connections():
    from waitress import wasyncore
    from waitress.channel import ClientDisconnected, HTTPChannel
    from waitress.server import create_server

    from mockserver.admin.hooks import DroppedConnection

    assert issubclass(DroppedConnection, ClientDisconnected)
    server = create_server(lambda environ, start: [b""], host="127.0.0.1", port=0, threads=1)
    try:
        assert int(server.effective_port) > 0
        for name in ("_map", "trigger", "task_dispatcher"):
            assert hasattr(server, name), _broken("waitress", f"the server's {name}", "server.py, testing.py")
        assert server.trigger in server._map.values(), _broken("waitress", "the trigger in _map",
                                                               "mockserver/serving/server.py _close_idle")
        assert callable(server.trigger.pull_trigger)
        assert {"cancel_pending", "timeout"} <= set(_params(server.task_dispatcher.shutdown)), _broken(
            "waitress", "task_dispatcher.shutdown(cancel_pending, timeout)", "mockserver/serving/server.py")
        assert callable(wasyncore.dispatcher.close), _broken("waitress", "wasyncore.dispatcher.close", "server.py")
        for name in ("requests", "total_outbufs_len", "close_when_flushed"):
            assert name in vars(HTTPChannel) or name in HTTPChannel.__init__.__code__.co_names, _broken(
                "waitress", f"HTTPChannel.{name}", "mockserver/serving/server.py _close_idle")
        assert callable(HTTPChannel.handle_close)
    finally:
        server.close()
        server.task_dispatcher.shutdown(timeout=1)


# --- granian: mockserver/serving/server.py GranianServer ------------------------------------------------------------
def test_granian_thread_worker_internals_used_by_the_one_process_server():
    pytest.importorskip("granian", reason="the granian extra is not installed")
    from granian.server import common
    from granian.server.common import AbstractServer
    from granian.server.mt import MTServer

    assert callable(getattr(MTServer, "_check_gil", None)), _broken("granian", "MTServer._check_gil", "server.py")
    assert callable(getattr(common, "set_main_signals", None)), _broken(
        "granian", "granian.server.common.set_main_signals", "mockserver/serving/server.py GranianServer")
    assert _params(MTServer.startup)[1:] == ["spawn_target", "target_loader"], _broken(
        "granian", "MTServer.startup(spawn_target, target_loader)", "mockserver/serving/server.py GranianServer")
    assert callable(AbstractServer.serve) and callable(getattr(MTServer, "signal_handler_interrupt", None)), _broken(
        "granian", "AbstractServer.serve / signal_handler_interrupt", "mockserver/serving/server.py GranianServer")
    assert {"target_loader", "wrap_loader"} <= set(_params(AbstractServer.serve)), _broken(
        "granian", "serve(target_loader, wrap_loader)", "mockserver/serving/server.py GranianServer")


# --- requests: mockserver/testing/inprocess.py ----------------------------------------------------------------------
def test_requests_response_internals_used_by_the_in_process_adapter():
    import requests

    resp = requests.Response()
    for name in ("_content", "_content_consumed"):
        assert hasattr(resp, name), _broken("requests", f"Response.{name}", "mockserver/testing/inprocess.py")
    resp._content, resp._content_consumed, resp.status_code = b'{"a": 1}', True, 200
    resp.raw = io.BytesIO(b"")
    assert resp.json() == {"a": 1} and resp.content == b'{"a": 1}', _broken(
        "requests", "a Response built from _content", "mockserver/testing/inprocess.py")
    from requests.cookies import MockResponse

    assert "_original_response" in inspect.getsource(requests.cookies.extract_cookies_to_jar) and MockResponse, _broken(
        "requests", "extract_cookies_to_jar reading raw._original_response.msg", "mockserver/testing/inprocess.py")


def test_the_in_process_adapter_keeps_cookies_through_those_internals():
    import requests

    from mockserver import create_app
    from mockserver.testing.inprocess import DEFAULT_BASE_URL, session_for

    session = session_for(create_app({"access_log": False}))
    assert isinstance(session, requests.Session)
    resp = session.get(DEFAULT_BASE_URL + "/v1/authorize", params={
        "response_type": "code", "client_id": "C0ffee" + "0" * 57 + "2", "redirect_uri": "http://127.0.0.1:8080/callback",
        "scope": "cjp:config_read", "state": "s"})
    assert resp.status_code == 200 and session.cookies, _broken(
        "requests", "cookies from raw._original_response.msg", "mockserver/testing/inprocess.py")
