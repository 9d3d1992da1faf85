"""Start-up in a blink: URL builders and the OpenAPI documentation are made on first use, not by ``create_app``.

Building the app used to spend most of its time on two things no request needs: werkzeug compiling two URL
builder functions for every rule, and flask-smorest documenting every view (marshmallow schemas resolved into
the OpenAPI document). Both now happen when first asked for (``url_for``; ``/openapi.json``, ``/docs``,
``mockserver openapi``), and the document is the same as when it was built up front: the blueprints are
documented in the order they were registered.
"""
from __future__ import annotations

import threading

from flask_smorest import Api
from werkzeug.routing import Rule


class LazyBuildRule(Rule):
    """A URL rule whose URL *builder* is compiled on first use (``url_for``), not when the rule is added.

    Werkzeug compiles two Python functions per rule up front (``Rule._compile_builder``, a private method:
    see tests/test_library_internals.py); matching is unchanged.
    """

    def _compile_builder(self, append_unknown: bool = True):
        compiled = None

        def build(rule, *args, **kwargs):
            nonlocal compiled
            if compiled is None:
                compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            return compiled(*args, **kwargs)
        return build


class DeferredDocsApi(Api):
    """flask-smorest's ``Api`` that routes a blueprint at once and documents it when the document is first read.

    ``register_blueprint(..., last=True)`` documents a blueprint after every other one (the generated
    resources, whose documentation was always rendered last); ``defer_docs(fn)`` queues any other step.
    """

    def init_app(self, app, *, spec_kwargs=None):
        self._docs_pending: list = []
        self._docs_last: list = []
        self._docs_lock = threading.RLock()
        app.url_rule_class = LazyBuildRule  # before flask-smorest adds its own routes (/openapi.json, /docs)
        super().init_app(app, spec_kwargs=spec_kwargs)
        render = self.spec.to_dict

        def to_dict():
            self.document_pending()
            return render()

        self.spec.to_dict = to_dict

    def _register_responses(self):
        """flask-smorest's default responses, one per HTTP status, each resolving the error schema: queued too
        (first, as before). Should a flask-smorest release rename this hook, they are only made eagerly again."""
        self.defer_docs(super()._register_responses)

    def register_blueprint(self, blp, *, parameters=None, last=False, **options):
        """What ``Api.register_blueprint`` does, with the documentation step queued."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)

        def document():
            blp.register_views_in_doc(self, self._app, self.spec, name=name, parameters=parameters)
            self.spec.tag({"name": name, "description": blp.description})

        self.defer_docs(document, last=last)

    def defer_docs(self, step, *, last: bool = False) -> None:
        """Run ``step()`` (it adds to ``self.spec``) before the document is next read."""
        with self._docs_lock:
            (self._docs_last if last else self._docs_pending).append(step)

    def document_pending(self) -> None:
        """Every queued documentation step, in order (once: later reads find nothing left to do)."""
        with self._docs_lock:
            for queue in (self._docs_pending, self._docs_last):
                while queue:
                    queue.pop(0)()
