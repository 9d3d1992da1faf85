"""flask-smorest, werkzeug and marshmallow internals the app builds on (tested in tests/test_library_internals.py)."""
from __future__ import annotations

from werkzeug.routing import Rule


def api_app(api):
    """The Flask app of a flask-smorest ``Api``: ``Api._app`` (no public attribute holds it; modules register
    plain Flask blueprints and filters on it, and the resources register theirs without the ``Api`` documenting
    them at once)."""
    return api._app


def api_of(app):
    """The ``Api`` of an app: ``app.extensions["flask-smorest"]["apis"][""]["ext_obj"]`` (the OpenAPI command
    reads its document from an app it built)."""
    return app.extensions["flask-smorest"]["apis"][""]["ext_obj"]


def bind_blueprint(app, blp, api) -> None:
    """Tell flask-smorest which ``Api`` a blueprint registered directly on the app belongs to
    (``extensions["flask-smorest"]["blp_name_to_api"]``, what ``Api.register_blueprint`` records): its error
    handling and response documentation need it, and the blueprint's document is built later."""
    app.extensions["flask-smorest"]["blp_name_to_api"][blp.name] = api


def document_blueprint(api, app, spec, blp) -> None:
    """Add a blueprint's paths to the document: ``Blueprint.register_views_in_doc`` (undocumented), what
    ``Api.register_blueprint`` does at once; the resources defer it to the first read of the document."""
    blp.register_views_in_doc(api, app, spec, name=blp.name, parameters=None)


def view_doc(view) -> dict:
    """What flask-smorest recorded about a view function (``view._apidoc``: its arguments and manual doc); the
    input checks read the media types a view accepts from it."""
    return getattr(view, "_apidoc", None) or {}


def document_view(view, doc: dict):
    """``view`` with ``doc`` as its manual OpenAPI documentation, what ``Blueprint.doc(**doc)`` records
    (``_apidoc["manual_doc"]``) without its wrapper: ``doc`` wraps every view in a function that calls it through
    ``current_app.ensure_sync`` on every request and deep-copies its arguments (650 copies at every start). ``doc``
    must be a fresh dict the view owns (flask-smorest keeps ``Blueprint.doc``'s arguments the same way)."""
    view._apidoc = {"manual_doc": doc}
    return view


def declare_request_types(view, types) -> None:
    """Record on a plain Flask view the request media types it accepts, where ``view_doc`` finds them
    (``_apidoc["manual_doc"]``), so the one body check treats it like a documented view."""
    view._apidoc = {"manual_doc": {"requestBody": {"content": {t: {} for t in types}}}}


def declared_fields(schema) -> dict:
    """A marshmallow schema class's fields by attribute name: ``Schema._declared_fields`` (a class has no public
    equivalent; an instance's ``fields`` would cost a schema per call)."""
    return schema._declared_fields


class LazyBuildRule(Rule):
    """A URL rule whose URL *builder* is compiled on first use (``url_for``), not when the app is made.

    Werkzeug compiles two Python functions per rule up front (``Rule._compile_builder``); for a hundred rules
    that was most of the cost of ``create_app``, paid by every test that makes an app. Matching is unchanged.
    """

    def _compile_builder(self, append_unknown: bool = True):
        compiled = None

        def build(rule, *args, **kwargs):
            nonlocal compiled
            if compiled is None:
                compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            return compiled(*args, **kwargs)
        return build


class QueuedDefaultResponses:
    """Mixed into a flask-smorest ``Api`` that has ``defer_docs(step)`` (``http/apidoc.py``): ``Api.init_app``'s
    ``_register_responses`` (one default response per HTTP status, each resolving the error schema, a fifth of
    building an app) is queued until the document is first read; should a release rename it, it runs eagerly."""

    def _register_responses(self):
        self.defer_docs(super()._register_responses)


def cached_body(req) -> bytes | None:
    """The body ``Request.get_data(cache=True)`` has kept (``_cached_data``), or None before any read."""
    return getattr(req, "_cached_data", None)


def cache_body(req, raw: bytes) -> None:
    """Keep ``raw`` as the body ``get_data`` answers from then on (read by ``http/inputs.body_bytes``)."""
    req._cached_data = raw


class DeferredEndpointDocs:
    """Mixed into a flask-smorest ``Blueprint``: ``Blueprint._store_endpoint_docs`` (a deep copy of every view's
    ``_apidoc``, marshmallow schemas included, when its route is added: about 20 ms of every start) is queued and
    run, in the same order, when the blueprint's ``_docs`` is first read, i.e. when it is documented
    (``http/apidoc.py``) or nested into another; should a release rename either, it runs eagerly."""

    @property
    def _docs(self):
        queued = self.__dict__.get("_docs_queued")
        if queued:
            self.__dict__["_docs_queued"] = []
            for args, options in queued:
                super()._store_endpoint_docs(*args, **options)
        return self.__dict__["_docs_table"]

    @_docs.setter
    def _docs(self, value):
        self.__dict__["_docs_table"] = value

    def _store_endpoint_docs(self, endpoint, obj, parameters, tags, **options):
        self.__dict__.setdefault("_docs_queued", []).append(((endpoint, obj, parameters, tags), options))
