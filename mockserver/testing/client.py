"""The ``wxcc`` fixture's object: one isolated organisation on a mock, with the control API at hand."""
from __future__ import annotations


class ControlError(AssertionError):
    """A control API call failed (shows the mock's answer)."""


def _check(resp, expected=(200, 201, 204)):
    if resp.status_code not in expected:
        raise ControlError(f"{resp.request.method} {resp.url} -> {resp.status_code}: {resp.text[:500]}")
    return resp.json() if resp.content else None


class _Part:
    """Base of the helper groups: the org and the control session."""

    def __init__(self, org: "Org"):
        self._org = org

    def _call(self, method, path, **kw):
        return _check(self._org._control.request(method, self._org.base_url + "/_mock" + path, **kw))


class Journal(_Part):
    """This organisation's requests, from the mock's journal."""

    def _filters(self, method=None, path=None, status=None, client_id=None, since=None, until=None) -> dict:
        raw = {"orgId": self._org.org_id, "method": method, "path": path, "status": status, "clientId": client_id,
               "since": since, "until": until}
        return {k: v for k, v in raw.items() if v is not None}

    def entries(self, **filters) -> list[dict]:
        """Entries (oldest first); filters: method, path (glob), status (404, "4xx"), client_id, since, until."""
        return self._call("GET", "/journal", params=self._filters(**filters))["items"]

    def count(self, **filters) -> int:
        """How many requests matched: ``wxcc.journal.count(method="PUT", path="/organization/*/team/*") == 1``."""
        return self._call("GET", "/journal/count", params=self._filters(**filters))["count"]

    def clear(self) -> None:
        """Forget this organisation's entries."""
        self._call("DELETE", "/journal", params={"orgId": self._org.org_id})


class Faults(_Part):
    """Fault rules scoped to this organisation."""

    def add(self, **rule) -> dict:
        """``add(method="GET", path="/organization/*/team", status=503, times=1)``; see POST /_mock/faults."""
        return self._call("POST", "/faults", json={"orgId": self._org.org_id, **rule})

    def list(self) -> list[dict]:
        return self._call("GET", "/faults", params={"orgId": self._org.org_id})["items"]

    def delete(self, rule_id: str) -> None:
        self._call("DELETE", f"/faults/{rule_id}")

    def clear(self) -> None:
        self._call("DELETE", "/faults", params={"orgId": self._org.org_id})


class Clock(_Part):
    """The mock clock. It is server-wide: the fixture puts it back to real time after a test that moved it."""

    def _move(self, path, body=None) -> float:
        self._org._clock_moved = True
        return self._call("POST", path, json=body)["now"]

    def now(self) -> float:
        return self._call("GET", "/clock")["now"]

    def freeze(self, at: float | None = None) -> float:
        return self._move("/clock/freeze", {} if at is None else {"at": at})

    def unfreeze(self) -> float:
        return self._move("/clock/unfreeze")

    def set(self, at: float) -> float:
        return self._move("/clock/set", {"at": at})

    def advance(self, seconds: float) -> float:
        return self._move("/clock/advance", {"seconds": seconds})

    def reset(self) -> None:
        self._call("DELETE", "/clock")


class Org:
    """``wxcc``: ``base_url``, ``org_id``, ``admins``, ``token()``, ``session``, ``journal``, ``faults``, ``clock``."""

    def __init__(self, server, created: dict):
        self.server = server
        self.base_url = server.url
        self.org_id = created["id"]
        self.info = created
        self.admins = created["admins"]
        self._control = server.control()
        self._clock_moved = False
        self.journal, self.faults, self.clock = Journal(self), Faults(self), Clock(self)
        self.session = server.session()
        self.session.headers["Authorization"] = f"Bearer {self.admins['full_admin']['accessToken']}"

    @classmethod
    def create(cls, server, template="demo", flex3=True, users=200, seed=1, name=None, **extra) -> "Org":
        """Create the organisation on the server."""
        body = {"template": template, "flex3": flex3, "users": users, "seed": seed, **extra}
        if name:
            body["name"] = name
        return cls(server, _check(server.control().post(server.url + "/_mock/orgs", json=body)))

    def url(self, path: str) -> str:
        """Absolute URL; ``{orgId}`` in the path is this organisation: ``wxcc.url("/organization/{orgId}/team")``."""
        return self.base_url + path.replace("{orgId}", self.org_id)

    def token(self, user: str | None = None, role: str | None = None, scopes=None, **extra) -> str:
        """A bearer token: a user of this org (id or email), the person holding ``role``, else the full admin."""
        body = {"orgId": self.org_id, **extra}
        if user is None and extra.get("roles") is None:
            user = self.admins[role or "full_admin"]["id"]
        if user is not None:
            body["user"] = user
        if scopes is not None:
            body["scopes"] = scopes
        return _check(self._control.post(self.base_url + "/_mock/tokens", json=body))["access_token"]

    def rate_limit(self, limit: int = 300, window_seconds: float = 60, enabled: bool = True) -> dict:
        """Limit this organisation's clients (per client id) to ``limit`` requests per window."""
        return _Part(self)._call("PUT", f"/ratelimits/{self.org_id}",
                                 json={"limit": limit, "windowSeconds": window_seconds, "enabled": enabled})

    def snapshot(self) -> dict:
        """This organisation's state (restore it with ``restore``)."""
        return _Part(self)._call("GET", "/snapshot", params={"orgId": self.org_id})

    def restore(self, snapshot: dict) -> None:
        _Part(self)._call("PUT", "/snapshot", json=snapshot)

    def reset(self) -> None:
        """Back to what the organisation was created with."""
        _Part(self)._call("POST", f"/orgs/{self.org_id}/reset")

    def close(self) -> None:
        """Delete the organisation (and put a moved clock back)."""
        try:
            if self._clock_moved:
                self.clock.reset()
            self._control.delete(f"{self.base_url}/_mock/orgs/{self.org_id}")
        finally:
            self.session.close()
            self._control.close()
