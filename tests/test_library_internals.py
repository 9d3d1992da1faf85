"""Every private (or undocumented) internal of a library the code relies on, through the one package that touches
them (``mockserver/compat/``): an upgrade that breaks one fails here, naming the library, the internal and the
function (the bounds are in pyproject.toml).

Each test asserts the internal exists with the shape the code expects and that the compat function behaves as
its callers expect.
"""
from __future__ import annotations

import inspect
from importlib.metadata import version

import pytest

from mockserver.compat import servers, store, web


def _broken(lib: str, what: str, where: str) -> str:
    return (f"{lib} {version(lib)}: {what} changed; mockserver/compat/{where} relies on it. Port that function "
            f"(or keep the upper bound in pyproject.toml below this version).")


def _params(func) -> list[str]:
    return list(inspect.signature(func).parameters)


# --- TinyDB: compat/store.py (public API; the store keeps its tables in place) -------------------------------------
def test_tinydb_memory_storage_hands_out_its_live_tables():
    from tinydb import TinyDB
    from tinydb.storages import MemoryStorage

    db = TinyDB(storage=MemoryStorage)
    tables = store.live_tables(db)
    assert tables == {} and store.live_tables(db) is tables, _broken(
        "tinydb", "MemoryStorage.read returning the dict it keeps (not a copy)", "store.py live_tables")
    tables.setdefault("org/site", {})["s1"] = {"id": "s1", "name": "x"}
    assert db.tables() == {"org/site"}, _broken("tinydb", "TinyDB.tables() from the storage", "store.py")
    assert db.storage.read() is tables and db.table("org/site").get(doc_id="s1") == {"id": "s1", "name": "x"}
    db.drop_table("org/site")
    assert db.tables() == set() and store.live_tables(db) == {}, _broken(
        "tinydb", "TinyDB.drop_table on the live dict", "store.py (Store drops an organisation's tables)")


def test_the_store_writes_in_place_through_those_tables():
    from mockserver.storage import Store

    s = Store()
    assert s.is_empty()
    s.insert("org", "site", {"id": "s1", "name": "x"})
    raw = s._raw("org", "site")
    s.insert("org", "site", {"id": "s2", "name": "y"})
    assert s._raw("org", "site") is raw and list(raw) == ["s1", "s2"]  # one dict, never copied
    s.delete("org", "site", "s1")
    assert [d["id"] for d in s.list("org", "site")] == ["s2"] and s.orgs() == ["org"] and not s.is_empty()


# --- flask-smorest: compat/web.py ---------------------------------------------------------------------------------
def _api():
    from flask import Flask
    from flask_smorest import Api

    app = Flask("probe")
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    return app, Api(app)


def test_flask_smorest_app_and_api_of_each_other():
    app, api = _api()
    assert web.api_app(api) is app, _broken("flask-smorest", "Api._app", "web.py api_app")
    assert web.api_of(app) is api, _broken("flask-smorest", 'extensions["flask-smorest"]["apis"][""]["ext_obj"]',
                                           "web.py api_of")


def test_flask_smorest_blueprint_registered_directly_then_documented_later():
    import marshmallow as ma
    from flask.views import MethodView
    from flask_smorest import Blueprint

    app, api = _api()
    blp = Blueprint("probe", __name__)

    class Body(ma.Schema):
        name = ma.fields.String()

    @blp.route("/probe")
    class Probe(MethodView):
        @blp.arguments(Body)
        def post(self, args):
            return args

    assert _params(Blueprint.register_views_in_doc)[1:] == ["api", "app", "spec", "name", "parameters"], _broken(
        "flask-smorest", "Blueprint.register_views_in_doc(api, app, spec, name, parameters)", "web.py")
    web.bind_blueprint(app, blp, api)
    app.register_blueprint(blp)
    assert "/probe" not in api.spec.to_dict().get("paths", {})
    web.document_blueprint(api, app, api.spec, blp)
    assert "post" in api.spec.to_dict()["paths"]["/probe"], _broken(
        "flask-smorest", "a blueprint's views documented by register_views_in_doc", "web.py document_blueprint")
    with app.test_client() as client:
        assert client.post("/probe", json={"name": "n"}).get_json() == {"name": "n"}, _broken(
            "flask-smorest", 'extensions["flask-smorest"]["blp_name_to_api"]', "web.py bind_blueprint")
    doc = web.view_doc(Probe.post)
    assert doc["arguments"]["parameters"][0]["in"] == "json", _broken(
        "flask-smorest", "view._apidoc['arguments']['parameters']", "web.py view_doc (read by http/inputs.py)")


def test_a_plain_view_declares_its_request_types_where_the_body_check_reads_them():
    from mockserver.http.inputs import FORM, accepted_types

    def view():
        return ""

    web.declare_request_types(view, [FORM])
    assert accepted_types(view) == frozenset({FORM}), _broken(
        "flask-smorest", "view._apidoc['manual_doc']", "web.py declare_request_types")


def test_a_view_documented_without_the_doc_wrapper_is_documented_as_blueprint_doc_documents_it():
    from flask.views import MethodView
    from flask_smorest import Blueprint

    def doc():
        return {"summary": "Probe", "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "Probe"}}}

    paths = []
    for document in (lambda view: Blueprint.doc(**doc())(view), lambda view: web.document_view(view, doc())):
        app, api = _api()
        blp = Blueprint("probe", __name__)

        def get(self):
            return {"ok": True}

        blp.route("/probe", endpoint="Probe")(type("Probe", (MethodView,), {"get": document(get)}))
        api.register_blueprint(blp)
        paths.append(api.spec.to_dict()["paths"]["/probe"])
        with app.test_client() as client:
            assert client.get("/probe").get_json() == {"ok": True}
    assert paths[0] == paths[1] and paths[1]["get"]["summary"] == "Probe", _broken(
        "flask-smorest", "Blueprint.doc recording view._apidoc['manual_doc']", "web.py document_view")


def test_flask_smorest_error_schema_is_a_documented_class_attribute():
    from flask_smorest import Api

    assert getattr(Api, "ERROR_SCHEMA", None) is not None, "flask-smorest: Api.ERROR_SCHEMA (http/errors.py WebexApi)"


def test_flask_smorest_default_responses_are_queued_until_the_document_is_read():
    """compat/web.py QueuedDefaultResponses overrides ``Api._register_responses`` (called by ``Api.init_app``)."""
    from flask import Flask
    from flask_smorest import Api, Blueprint

    from mockserver.http.apidoc import DeferredDocsApi

    assert callable(getattr(Api, "_register_responses", None)), (
        "flask-smorest: Api._register_responses is gone; compat/web.py QueuedDefaultResponses overrides it")
    app = Flask("probe")
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    api = DeferredDocsApi(app)
    assert len(api._docs_pending) == 1, "flask-smorest: Api.init_app no longer calls _register_responses"
    blp = Blueprint("probe", __name__)

    @blp.route("/probe")
    @blp.alt_response(404, response="NOT_FOUND")
    def probe():
        return ""

    api.register_blueprint(blp)
    doc = api.spec.to_dict()
    assert doc["paths"]["/probe"]["get"]["responses"]["404"] == {"$ref": "#/components/responses/NOT_FOUND"}
    assert "NOT_FOUND" in doc["components"]["responses"] and not api._docs_pending


def test_flask_smorest_endpoint_docs_are_stored_when_the_blueprint_is_documented():
    """compat/web.py DeferredEndpointDocs overrides ``Blueprint._store_endpoint_docs`` and wraps ``Blueprint._docs``."""
    from flask import Flask
    from flask_smorest import Blueprint as Plain

    from mockserver.http.apidoc import Blueprint, DeferredDocsApi

    assert callable(getattr(Plain, "_store_endpoint_docs", None)), (
        "flask-smorest: Blueprint._store_endpoint_docs is gone; compat/web.py DeferredEndpointDocs overrides it")
    docs = {}
    for cls in (Plain, Blueprint):
        app = Flask("probe")
        app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
        api = DeferredDocsApi(app)
        blp = cls("probe", __name__)

        @blp.route("/probe", methods=["GET", "POST"])
        @blp.alt_response(404, response="NOT_FOUND")
        def probe():
            """Probe.

            Its description."""
            return ""

        if cls is Blueprint:
            assert blp.__dict__["_docs_table"] == {} and len(blp.__dict__["_docs_queued"]) == 1, (
                "flask-smorest: Blueprint.add_url_rule no longer stores docs through _store_endpoint_docs")
        api.register_blueprint(blp)
        docs[cls] = api.spec.to_dict()["paths"]
    assert docs[Blueprint] == docs[Plain] and docs[Plain]["/probe"]["post"]["summary"] == "Probe.", (
        "flask-smorest: Blueprint._docs is no longer read where the views are documented")


# --- werkzeug: compat/web.py LazyBuildRule ------------------------------------------------------------------------
def test_werkzeug_rule_compile_builder_used_by_the_lazy_rules():
    from werkzeug.routing import Map, Rule

    assert _params(Rule._compile_builder)[1:] == ["append_unknown"], _broken(
        "werkzeug", "Rule._compile_builder(append_unknown)", "web.py LazyBuildRule")
    urls = Map([web.LazyBuildRule("/organization/<orgid>/site/<id>", endpoint="site")]).bind("mock.example")
    assert urls.build("site", {"orgid": "o", "id": "s", "page": 2}) == "/organization/o/site/s?page=2", _broken(
        "werkzeug", "URL building through Rule._compile_builder", "web.py LazyBuildRule")
    assert urls.match("/organization/o/site/s") == ("site", {"orgid": "o", "id": "s"})


# --- marshmallow: compat/web.py declared_fields -------------------------------------------------------------------
def test_marshmallow_declared_fields_used_by_the_resource_specs():
    import marshmallow as ma

    class Probe(ma.Schema):
        name = ma.fields.String(data_key="displayName")

    declared = web.declared_fields(Probe)
    assert isinstance(declared, dict) and declared["name"].data_key == "displayName", _broken(
        "marshmallow", "Schema._declared_fields", "web.py declared_fields")


def _every_schema_class():
    import marshmallow as ma

    from mockserver import create_app

    create_app({"access_log": False})  # every module with schemas imported
    found, todo = set(), [ma.Schema]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def test_marshmallow_hooks_of_a_new_schema_class_found_as_marshmallow_finds_them():
    import marshmallow as ma
    from marshmallow.schema import SchemaMeta

    from mockserver.compat import schemas

    assert "resolve_hooks" in vars(SchemaMeta) and _params(schemas.original_resolve_hooks) == ["cls"], _broken(
        "marshmallow", "SchemaMeta.resolve_hooks", "schemas.py")

    class Base(ma.Schema):
        name = ma.fields.String()

        @ma.pre_load
        def trim(self, data, **kwargs):
            return data

        @ma.post_dump(pass_collection=True)
        def wrap(self, data, many, **kwargs):
            return data

    class Child(Base):
        @ma.pre_load  # overrides the parent's hook of the same name: only this one counts
        def trim(self, data, **kwargs):
            return {**data, "name": data["name"].strip()}

        @ma.validates_schema
        def check(self, data, **kwargs):
            pass

    probes = [Base, Child, *_every_schema_class()]
    assert len(probes) > 100  # the mock's own schema classes too
    for cls in probes:
        assert schemas.resolve_hooks(cls) == schemas.original_resolve_hooks(cls), (cls, _broken(
            "marshmallow", "SchemaMeta.resolve_hooks (how a class's hooks are found)", "schemas.py"))
    assert dict(schemas.resolve_hooks(Child))  # the probe has hooks, so the comparison compared some
    schemas.install()
    assert SchemaMeta.resolve_hooks is schemas.resolve_hooks and Child().load({"name": " x "}) == {"name": "x"}

# --- waitress: compat/servers.py ----------------------------------------------------------------------------------
def test_waitress_server_and_channel_internals_used_to_stop_and_to_drop_connections():
    from waitress.channel import ClientDisconnected, HTTPChannel
    from waitress.server import create_server

    from mockserver.admin.hooks import DroppedConnection, waitress_dropped

    assert issubclass(waitress_dropped(), ClientDisconnected) and issubclass(waitress_dropped(), DroppedConnection)
    server = create_server(lambda environ, start: [b""], host="127.0.0.1", port=0, threads=1)
    try:
        assert int(server.effective_port) > 0
        for name in ("_map", "trigger", "task_dispatcher"):
            assert hasattr(server, name), _broken("waitress", f"the server's {name}", "servers.py")
        assert server.trigger in server._map.values(), _broken("waitress", "the trigger in _map",
                                                               "servers.py waitress_close_idle")
        assert callable(server.trigger.pull_trigger)
        assert {"cancel_pending", "timeout"} <= set(_params(server.task_dispatcher.shutdown)), _broken(
            "waitress", "task_dispatcher.shutdown(cancel_pending, timeout)", "servers.py waitress_stop_workers")
        for name in ("requests", "total_outbufs_len", "close_when_flushed"):
            assert name in vars(HTTPChannel) or name in HTTPChannel.__init__.__code__.co_names, _broken(
                "waitress", f"HTTPChannel.{name}", "servers.py waitress_close_idle")
        assert callable(HTTPChannel.handle_close)
        # What the drain does, in order: the listener goes, the trigger stays until no channel is left.
        servers.waitress_close_listener(server)
        assert server not in server._map.values() and server.trigger in server._map.values(), _broken(
            "waitress", "wasyncore.dispatcher.close leaving the trigger", "servers.py waitress_close_listener")
        servers.waitress_close_idle(server, force=False)
        assert server._map == {}, _broken("waitress", "trigger.close emptying the socket map (the loop ends)",
                                          "servers.py waitress_close_idle")
        # The drain may knock once more after that: a closed trigger says so instead of raising in its thread.
        assert servers.waitress_in_loop(server, lambda: None) is False, _broken(
            "waitress", "pull_trigger on a closed trigger raising OSError", "servers.py waitress_in_loop")
    finally:
        servers.waitress_stop_workers(server, 1)


# --- granian: compat/servers.py granian_one_process ---------------------------------------------------------------
def test_granian_thread_worker_internals_used_by_the_one_process_server():
    pytest.importorskip("granian", reason="the granian extra is not installed")
    from granian.constants import Interfaces
    from granian.server import common
    from granian.server.common import AbstractServer
    from granian.server.mt import MTServer

    assert callable(getattr(MTServer, "_check_gil", None)), _broken("granian", "MTServer._check_gil", "servers.py")
    assert callable(getattr(common, "set_main_signals", None)), _broken(
        "granian", "granian.server.common.set_main_signals", "servers.py granian_one_process")
    assert _params(MTServer.startup)[1:] == ["spawn_target", "target_loader"], _broken(
        "granian", "MTServer.startup(spawn_target, target_loader)", "servers.py granian_one_process")
    assert callable(AbstractServer.serve) and callable(getattr(MTServer, "signal_handler_interrupt", None)), _broken(
        "granian", "AbstractServer.serve / signal_handler_interrupt", "servers.py granian_stop")
    assert {"target_loader", "wrap_loader"} <= set(_params(AbstractServer.serve)), _broken(
        "granian", "serve(target_loader, wrap_loader)", "servers.py granian_one_process")
    server = servers.granian_one_process("mockserver:create_app", address="127.0.0.1", port=1,
                                         interface=Interfaces.WSGI, workers=1, blocking_threads=1)
    assert isinstance(server, MTServer) and server._check_gil() is None


# --- requests: mockserver/testing/inprocess.py (public API: HTTPAdapter.build_response, urllib3.HTTPResponse) ----
def test_requests_reads_cookies_from_the_original_response_the_adapter_passes_to_urllib3():
    import requests

    assert "_original_response" in inspect.getsource(requests.cookies.extract_cookies_to_jar), _broken(
        "requests", "extract_cookies_to_jar reading raw._original_response.msg", "../testing/inprocess.py _Original")


def test_the_in_process_adapter_keeps_cookies_and_headers_as_over_a_socket():
    import requests

    from mockserver import create_app
    from mockserver.testing.inprocess import DEFAULT_BASE_URL, session_for

    session = session_for(create_app({"access_log": False}))
    assert isinstance(session, requests.Session)
    resp = session.get(DEFAULT_BASE_URL + "/v1/authorize", params={
        "response_type": "code", "client_id": "C0ffee" + "0" * 57 + "2", "redirect_uri": "http://127.0.0.1:8080/callback",
        "scope": "cjp:config_read", "state": "s"})
    assert resp.status_code == 200 and session.cookies, _broken(
        "requests", "cookies from raw._original_response.msg", "../testing/inprocess.py")
    assert resp.reason == "OK" and resp.url.startswith(DEFAULT_BASE_URL) and resp.headers["Content-Type"]
    head = session.head(DEFAULT_BASE_URL + "/health")
    assert head.status_code == 200 and head.content == b""  # a Content-Length without a body is no error


# --- werkzeug, PyJWT, flask-smorest, marshmallow: compat/deferred.py -------------------------------------------------
DEFERRED_SCRIPT = r"""
import json, sys
from mockserver.compat import deferred

placed = deferred.install()
import flask, flask.cli, flask_smorest, jwt, marshmallow, webargs.flaskparser, werkzeug  # every importer
out = {"placed": placed, "loaded_by_importers": [m for m in deferred.DEFERRED if deferred.is_loaded(m)],
       "lazy": [type(p).__name__ for p in (marshmallow.validate.Email.USER_REGEX,
                                           marshmallow.validate.Email.DOMAIN_REGEX)]}
import re
out["re_compile_restored"] = re.compile is deferred._compile
# Each deferred module works through its stand-in, and through whatever importer bound it.
out["run_simple"] = werkzeug.run_simple.__name__
out["reloader"] = flask.cli.is_running_from_reloader()
import werkzeug.serving
out["serving_real"] = werkzeug.serving.WSGIRequestHandler.__module__
import yaml
out["yaml"] = yaml.safe_load("a: [1, 2]")
token = jwt.encode({"sub": "x"}, "a shared secret of more than thirty-two bytes", algorithm="HS256")
out["hs256"] = jwt.decode(token, "a shared secret of more than thirty-two bytes", algorithms=["HS256"])
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
der = rsa.generate_private_key(65537, 2048).public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
try:  # PyJWT reads cryptography.x509 here: a certificate or public key is refused as an HMAC secret
    jwt.encode({"sub": "x"}, der, algorithm="HS256")
    out["der_refused"] = False
except jwt.InvalidKeyError:
    out["der_refused"] = True
email = marshmallow.validate.Email()
out["email"] = [email("a.b@example.com"), str(marshmallow.validate.Email.DOMAIN_REGEX.pattern)[:6]]
try:
    email("a@")
    out["bad_email"] = "accepted"
except marshmallow.ValidationError as exc:
    out["bad_email"] = exc.messages
out["loaded_at_end"] = sorted(m for m in deferred.DEFERRED if deferred.is_loaded(m))
print(json.dumps(out))
"""


def test_the_deferred_modules_are_bound_by_their_importers_without_being_read_and_work_when_used():
    """``deferred.DEFERRED`` holds only modules whose importers (Werkzeug, Flask, PyJWT, flask-smorest, webargs)
    read nothing but the forwarded functions at their own import, for the versions installed; each then works."""
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", DEFERRED_SCRIPT], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.splitlines()[-1])
    assert got["placed"] == ["werkzeug.serving", "cryptography.x509", "yaml", "marshmallow.validate"], got
    assert got["loaded_by_importers"] == [], _broken(
        "werkzeug", f"an importer reads {got['loaded_by_importers']} at import", "deferred.py DEFERRED")
    assert got["lazy"] == ["LazyPattern", "LazyPattern"] and got["re_compile_restored"], _broken(
        "marshmallow", "Email.USER_REGEX/DOMAIN_REGEX compiled by validate.py's own code", "deferred.py")
    assert got["run_simple"] == "run_simple" and got["reloader"] is False
    assert got["serving_real"] == "werkzeug.serving"
    assert got["yaml"] == {"a": [1, 2]} and got["hs256"] == {"sub": "x"} and got["der_refused"] is True
    assert got["email"] == ["a.b@example.com", "(?:[A-"] and got["bad_email"] == ["Not a valid email address."]
    assert got["loaded_at_end"] == ["cryptography.x509", "werkzeug.serving", "yaml"]


def test_a_stand_in_passes_attribute_writes_to_the_real_module():
    """A test's monkeypatch on a stand-in reaches the real module (and is undone there)."""
    import sys

    from mockserver.compat import deferred

    assert "tabnanny" not in sys.modules  # a stdlib module nothing here imports
    assert deferred.install({"tabnanny": ("check",)}) == ["tabnanny"]
    import tabnanny as standin

    assert type(standin) is deferred.StandIn and not deferred.is_loaded("tabnanny")
    standin.probe = "set through the stand-in"
    real = sys.modules["tabnanny"]
    assert deferred.is_loaded("tabnanny") and real is not standin and real.probe == "set through the stand-in"
    assert standin.probe == "set through the stand-in" and standin.NannyNag is real.NannyNag
    del standin.probe
    assert not hasattr(real, "probe")
    assert standin.check.__name__ == "check" and standin.check.__module__ == "tabnanny"
