"""Benchmark-only stand-in for the configuration API routes, used while the app has none of its own.

``python -m benchmarks.standin serve ...`` is ``mockserver serve ...`` (same config, same server module)
plus list / get / create / replace routes under ``/organization/<org>/v2/<kind>`` backed by the store,
with a serialised-page cache keyed by the table's write version. The suite marks its rows "stand-in".
"""
from __future__ import annotations

import sys
import uuid

TEAM_RULE = "/organization/<orgid>/v2/team"


def has_real_routes(app) -> bool:
    """Whether the app already serves the team list (the configuration API is merged)."""
    return any(r.rule.startswith("/organization/<") and r.rule.endswith("/v2/team") for r in app.url_map.iter_rules())


def install(app) -> None:
    """Add the stand-in routes (only when the real ones are missing)."""
    if has_real_routes(app):
        return
    from flask import request

    from mockserver.http.errors import ApiError
    from mockserver.http.jsonutil import dumps, loads, raw_response
    from mockserver.runtime import current

    cache: dict = {}

    def page(org, kind):
        store = current().store
        size = int(request.args.get("pageSize", 100))
        num = int(request.args.get("page", 0))
        flt = request.args.get("filter")
        if flt:
            field, _, value = flt.partition("==")
            return raw_response(dumps({"meta": {"orgid": org}, "data": store.lookup(org, kind, field, value)}))
        key = (org, kind, num, size, store.version(org, kind))
        body = cache.get(key)
        if body is None:
            total = store.count(org, kind)
            base = f"/organization/{org}/v2/{kind}"
            meta = {"orgid": org, "page": num, "pageSize": size, "totalPages": max(1, -(-total // size)),
                    "totalRecords": total, "links": {"self": f"{base}?page={num}&pageSize={size}",
                                                     "first": f"{base}?page=0&pageSize={size}",
                                                     "last": f"{base}?page={max(0, -(-total // size) - 1)}"
                                                             f"&pageSize={size}"}}
            body = cache[key] = dumps({"meta": meta, "data": store.list(org, kind, num * size, (num + 1) * size)})
        return raw_response(body)

    def create(org, kind):
        doc = {**loads(request.get_data()), "id": str(uuid.uuid4()), "organizationId": org}
        return raw_response(dumps(current().store.insert(org, kind, doc)), 201)

    def one(org, kind, id):
        store = current().store
        if request.method == "PUT":
            if not store.exists(org, kind, id):
                raise ApiError(404, f"{kind} {id} not found")
            return raw_response(dumps(store.put(org, kind, {**loads(request.get_data()), "id": id})))
        doc = store.get(org, kind, id)
        if doc is None:
            raise ApiError(404, f"{kind} {id} not found")
        return raw_response(dumps(doc))

    app.add_url_rule("/organization/<org>/v2/<kind>", "standin_list", page, methods=["GET"])
    app.add_url_rule("/organization/<org>/v2/<kind>", "standin_create", create, methods=["POST"])
    app.add_url_rule("/organization/<org>/v2/<kind>/<id>", "standin_one", one, methods=["GET", "PUT"])


def main(argv=None) -> int:
    """``mockserver serve`` with the stand-in routes."""
    import mockserver
    from mockserver import cli

    real_create = mockserver.create_app

    def create_app(config=None):
        app = real_create(config)
        install(app)
        return app

    mockserver.create_app = create_app  # cli._serve imports create_app from the package at call time
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
