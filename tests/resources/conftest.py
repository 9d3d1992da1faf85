"""Config API test helpers: a fresh organisation per test and a client that builds the vendor's paths."""
from __future__ import annotations

import pytest

from mockserver import create_app
from mockserver.clock import new_id
from mockserver.resources import specs
from mockserver.storage import SYSTEM

from ..uploads import is_upload, multipart

SPECS = {spec.kind: spec for spec in specs()}
UPLOADS = [spec for spec in SPECS.values() if spec.upload]


class Cfg:
    """Calls the configuration API of one organisation, and makes objects (with their dependencies)."""

    def __init__(self, client, rt, org, headers):
        self.client, self.rt, self.org, self.headers = client, rt, org, headers

    def url(self, path: str, id: str | None = None, parent: str | None = None, **query) -> str:
        """``/organization/<org>/<path>`` with ``<id>`` and the parent's variable filled in."""
        path = path.replace("<id>", id or "")
        for variable in ("<addressBookId>", "<autoCsatId>"):
            path = path.replace(variable, parent or "")
        qs = "&".join(f"{k}={v}" for k, v in query.items())
        return f"/organization/{self.org}/{path}" + (f"?{qs}" if qs else "")

    def call(self, method: str, path: str, body=None, **kw):
        """A JSON request; for a create or replace of a multipart resource, the body goes as its JSON part."""
        spec = self.spec_of(path)
        if spec is not None and body is not None and is_upload(spec, method, path):
            return self.client.open(path, method=method, headers=self.headers, **multipart(spec, body), **kw)
        return self.client.open(path, method=method, json=body, headers=self.headers, **kw)

    def spec_of(self, path: str):
        """The multipart resource a path belongs to, if any."""
        rest = path.split("?", 1)[0].split(f"/organization/{self.org}/", 1)[-1]
        for spec in UPLOADS:
            if rest in spec.create:
                return spec
            for item in spec.items:
                base = item.split("<id>")[0]
                if rest.startswith(base) and "/" not in rest[len(base):]:
                    return spec
        return None

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.call("POST", path, body, **kw)

    def put(self, path, body, **kw):
        return self.call("PUT", path, body, **kw)

    def patch(self, path, body, **kw):
        return self.call("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)

    # -- making objects ---------------------------------------------------------------------------------
    def parent_of(self, spec) -> str | None:
        """A fresh parent for sub-collections (address-book entries)."""
        return self.make(spec.parent[0]) if spec.parent else None

    def payload(self, kind: str, **override) -> dict:
        """The resource's example payload, its dependencies created first."""
        return {**SPECS[kind].example(self.make), **override}

    def create(self, kind: str, parent: str | None = None, **override) -> dict:
        """Create through the API (201), or through the store for users (Control Hub owns their creation)."""
        spec = SPECS[kind]
        body = self.payload(kind, **override)
        if not spec.can_create:
            return self.seed(kind, body)
        resp = self.post(self.url(spec.create[0], parent=parent or self.parent_of(spec)), body)
        assert resp.status_code == 201, (kind, resp.get_json())
        return resp.get_json()

    def make(self, kind: str) -> str:
        """The id of a new object of ``kind`` (used by example payload factories)."""
        return self.create(kind)["id"]

    def seed(self, kind: str, body: dict, **extra) -> dict:
        """Insert a stored document directly (as fixtures and Control Hub would)."""
        now = self.rt.clock.now_ms()
        doc = {"organizationId": self.org, "id": new_id(), "version": 0, **body, **extra,
               "createdTime": now, "lastUpdatedTime": now}
        self.rt.store.insert(self.org, kind, doc)
        return doc


@pytest.fixture(scope="module")
def shared_app():
    """One app per test module: making an app costs an RSA key; each test still gets its own organisation."""
    return create_app({"access_log": False})


def new_cfg(app) -> Cfg:
    """A ``Cfg`` on a fresh organisation (isolated from fixture data and other tests), full-admin token."""
    client, rt = app.test_client(), app.extensions["wxcc"]
    org = new_id()
    rt.store.put(SYSTEM, "org", {"id": org, "name": "Contract test org", "licenses": ["FLEX3"]})
    resp = client.post("/_mock/tokens", json={"orgId": org, "roles": ["full_admin"],
                                              "scopes": ["cjp:config", "cjp:config_read", "cjp:config_write"]})
    assert resp.status_code == 201, resp.get_json()
    return Cfg(client, rt, org, {"Authorization": f"Bearer {resp.get_json()['access_token']}"})


@pytest.fixture
def cfg(shared_app):
    """A ``Cfg`` on a fresh organisation, the clock frozen at 2027-01-15T08:00:00Z."""
    shared_app.extensions["wxcc"].clock.freeze(1_800_000_000)
    return new_cfg(shared_app)
