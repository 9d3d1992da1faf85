"""Start-up in a blink: URL builders and the OpenAPI documentation are made on first use, not by ``create_app``.

Building the app used to spend most of its time on two things no request needs: werkzeug compiling two URL
builder functions for every rule, and flask-smorest documenting every view (marshmallow schemas resolved into
the OpenAPI document). Both now happen when first asked for (``url_for``; ``/openapi.json``, ``/docs``,
``mockserver openapi``), and the document is the same as when it was built up front: the blueprints are
documented in the order they were registered.
"""
from __future__ import annotations

import threading

import flask_smorest
from flask_smorest import Api

from ..compat import web as compat


class Blueprint(compat.DeferredEndpointDocs, flask_smorest.Blueprint):
    """flask-smorest's ``Blueprint`` whose views are recorded for the documentation when it is documented."""


class DeferredDocsApi(compat.QueuedDefaultResponses, Api):
    """flask-smorest's ``Api`` that routes a blueprint at once and documents it when the document is first read.

    ``register_blueprint(..., last=True)`` documents a blueprint after every other one (the generated
    resources, whose documentation was always rendered last); ``defer_docs(fn)`` queues any other step.
    """

    def init_app(self, app, *, spec_kwargs=None):
        self._docs_pending: list = []
        self._docs_last: list = []
        self._docs_lock = threading.RLock()
        app.url_rule_class = compat.LazyBuildRule  # before flask-smorest adds its own routes (/openapi.json, /docs)
        super().init_app(app, spec_kwargs=spec_kwargs)
        render = self.spec.to_dict

        def to_dict():
            self.document_pending()
            return render()

        self.spec.to_dict = to_dict

    def register_blueprint(self, blp, *, last=False):
        """What ``Api.register_blueprint`` does, with the documentation step queued."""
        app = compat.api_app(self)
        compat.bind_blueprint(app, blp, self)
        app.register_blueprint(blp)

        def document():
            compat.document_blueprint(self, app, self.spec, blp)
            self.spec.tag({"name": blp.name, "description": blp.description})

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
