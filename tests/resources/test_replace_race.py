"""A replace validates its body before it takes the store's lock; a write to the table in between makes it read
the object again under the lock, so its version check and the write see one state (``Engine.replace``); the
body is validated again only when what it loaded came from the stored object (a merge, a live default)."""
from __future__ import annotations

from mockserver.resources.engine import Engine

from ..conftest import assert_webex_error


def _writes_once_during_the_read(monkeypatch, cfg, write):
    """``Engine._read_replace`` runs ``write`` (another client's write) after its first read, once."""
    original, calls = Engine._read_replace, []

    def read(self, *args, **kw):
        result = original(self, *args, **kw)
        calls.append(1)
        if len(calls) == 1:
            write()
        return result
    monkeypatch.setattr(Engine, "_read_replace", read)
    return calls


def test_a_write_between_the_read_and_the_lock_makes_a_stale_version_a_409(cfg, monkeypatch):
    team = cfg.create("team")
    url = cfg.url("team/<id>", team["id"])
    other = {**cfg.payload("team", siteId=team["siteId"], teamType=team["teamType"]), "name": "Renamed elsewhere"}
    calls = _writes_once_during_the_read(monkeypatch, cfg, lambda: cfg.rt.resources.engines["team"].replace(
        cfg.org, team["id"], other))
    resp = cfg.put(url, {**cfg.payload("team", siteId=team["siteId"], teamType=team["teamType"]),
                         "name": "Mine", "version": 0})
    assert_webex_error(resp, 409, "version: 0 is stale")  # the object read again under the lock: version 1
    assert len(calls) == 2  # the other write's own read and this replace's: its body did not read the object
    stored = cfg.get(url).get_json()
    assert stored["name"] == "Renamed elsewhere" and stored["version"] == 1


def test_a_write_in_between_a_deleted_object_is_a_404(cfg, monkeypatch):
    team = cfg.create("team")
    url = cfg.url("team/<id>", team["id"])
    _writes_once_during_the_read(monkeypatch, cfg, lambda: cfg.rt.resources.engines["team"].delete(
        cfg.org, team["id"]))
    resp = cfg.put(url, {**cfg.payload("team", siteId=team["siteId"], teamType=team["teamType"]), "name": "Mine"})
    assert_webex_error(resp, 404, team["id"])
    assert cfg.get(url).status_code == 404  # not written back


def test_a_merge_with_a_write_in_between_is_made_again_from_the_object_as_written(cfg, monkeypatch):
    team = cfg.create("team")
    engine = cfg.rt.resources.engines["team"]
    calls = _writes_once_during_the_read(monkeypatch, cfg, lambda: engine.replace(
        cfg.org, team["id"], {"name": "Renamed elsewhere"}, partial=True))
    merged = engine.replace(cfg.org, team["id"], {"description": "Mine"}, partial=True)
    assert len(calls) == 3  # the other write's read, this merge's, and this merge's again under the lock
    assert merged["name"] == "Renamed elsewhere" and merged["description"] == "Mine" and merged["version"] == 2
    stored = cfg.get(cfg.url("team/<id>", team["id"])).get_json()
    assert stored["name"] == "Renamed elsewhere" and stored["description"] == "Mine"


def test_a_live_default_left_out_is_read_again_from_the_object_as_written(cfg, monkeypatch):
    team = cfg.create("team")
    engine = cfg.rt.resources.engines["team"]
    body = {k: v for k, v in cfg.payload("team", siteId=team["siteId"], teamType=team["teamType"]).items()
            if k != "rankQueuesForTeam"}  # left out: live keeps the stored value (resources/live.py)
    calls = _writes_once_during_the_read(monkeypatch, cfg, lambda: engine.replace(
        cfg.org, team["id"], {"name": "Other"}, partial=True))
    out = engine.replace(cfg.org, team["id"], {**body, "name": "Mine"})
    assert len(calls) == 3  # the other write's read, this replace's, and again under the lock
    assert out["name"] == "Mine" and out["rankQueuesForTeam"] is False and out["version"] == 2


def test_without_a_write_in_between_the_body_is_read_once(cfg, monkeypatch):
    team = cfg.create("team")
    calls = _writes_once_during_the_read(monkeypatch, cfg, lambda: None)
    resp = cfg.put(cfg.url("team/<id>", team["id"]),
                   {**cfg.payload("team", siteId=team["siteId"], teamType=team["teamType"]), "name": "Mine",
                    "version": 0})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["name"] == "Mine" and resp.get_json()["version"] == 1
    assert len(calls) == 1
