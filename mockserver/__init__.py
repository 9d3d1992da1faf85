"""Webex Contact Center mock server: ``create_app(config=None)`` builds config -> store -> API -> blueprints."""
from __future__ import annotations

__version__ = "0.1.0"

import gc
import importlib
import logging

#: Modules with a ``register(api, runtime)`` function, in registration order.
BLUEPRINTS = [
    "mockserver.health",
    "mockserver.issuer",
    "mockserver.issuer.identity",
    "mockserver.admin",
    "mockserver.resources",
    "mockserver.connectors",
    "mockserver.flows",
    "mockserver.resources.datasources",
    "mockserver.console",
    "mockserver.search",
    "mockserver.webhooks",
    "mockserver.ccapi",
]

API_TITLE = "Webex Contact Center mock server"

#: Where the Swagger UI page finds its scripts and style sheet (served from the swagger-ui-bundle package).
SWAGGER_UI_ASSETS = "/docs/assets/"
#: The files of the bundle the page needs (and their source maps); nothing else of the package is served.
SWAGGER_UI_FILES = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                              "swagger-ui.css.map", "swagger-ui-bundle.js.map", "swagger-ui-standalone-preset.js.map",
                              "favicon-16x16.png", "favicon-32x32.png", "oauth2-redirect.html"})


def create_app(config=None):
    """The WSGI app. ``config``: a ``Config``, a dict of overrides, or None (environment and defaults)."""
    # Building an app allocates a few hundred thousand objects that live as long as it does (modules, schemas,
    # routes, the tenant: millions at 100,000 users): no collection passes over them meanwhile, and they are
    # frozen once built, so later collections skip them (no pauses at 100,000 users; docs/performance.md "Start-up").
    from .compat import schemas
    from .heap import collector_off

    schemas.install()  # before the first of the mock's schema classes is made
    with collector_off():
        try:
            return _build_app(config)
        finally:
            gc.freeze()


def _build_app(config):
    from flask import Flask

    from .admin import hooks
    from .auth import access
    from .config import Config
    from .http import errors, pipeline
    from .runtime import Runtime

    cfg = config if isinstance(config, Config) else Config.from_env(**(config or {}))
    logging.getLogger("mockserver").setLevel(cfg.log_level.upper())
    app = Flask("mockserver", static_folder=None)  # no static files: every route declares its access
    app.config.update(
        API_TITLE=API_TITLE, API_VERSION=__version__, OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/", OPENAPI_JSON_PATH="openapi.json",
        # Swagger UI from the assets of the swagger-ui-bundle package, served by the mock itself: /docs works
        # offline. No validator: Swagger UI would otherwise ask validator.swagger.io about the document.
        OPENAPI_SWAGGER_UI_PATH="/docs", OPENAPI_SWAGGER_UI_URL=SWAGGER_UI_ASSETS,
        OPENAPI_SWAGGER_UI_CONFIG={"validatorUrl": None},
        MAX_CONTENT_LENGTH=cfg.max_body_bytes, JSON_SORT_KEYS=False,
        API_SPEC_OPTIONS={"info": {"description": "A stateful stand-in for the Webex Contact Center API and its "
                                                  "OAuth token issuer. Paths under /_mock/ are the mock's own."}},
    )
    rt = Runtime(cfg)
    app.extensions["wxcc"] = rt
    api = errors.WebexApi(app)  # documents errors in the Webex shape
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    for name in BLUEPRINTS:
        importlib.import_module(name).register(api, rt)
    access.declare(app.blueprints["api-docs"], "public", vendor=False)  # flask-smorest's /openapi.json and /docs
    _swagger_ui_assets(app, access)
    access.install(app)  # closed by default: a route without an access rule stops the app here
    errors.register(app)  # after Api(): ours replace flask-smorest's error handlers
    hooks.install(app, rt)  # the harness's response class and dropped-connection wrapper
    # One hook before and one after every request: request log, CORS preflights, the guard, the harness's limits
    # and faults (after the guard, so they see the caller), the body checks; then journal, CORS, TrackingID.
    pipeline.install(app, rt, cfg.access_log, cfg.cors_origins)
    return app


def _swagger_ui_assets(app, access) -> None:
    """``GET /docs/assets/<file>``: the Swagger UI files of the swagger-ui-bundle package (public, like /docs)."""
    from flask import abort, send_from_directory
    from swagger_ui_bundle import swagger_ui_path

    @access.rule("public", vendor=False)
    def swagger_ui_asset(filename):
        if filename not in SWAGGER_UI_FILES:
            abort(404)
        return send_from_directory(str(swagger_ui_path), filename, max_age=3600)

    app.add_url_rule(SWAGGER_UI_ASSETS + "<path:filename>", "swagger_ui_asset", swagger_ui_asset, methods=["GET"])
