"""``mockserver org`` and ``mockserver snapshot`` against a live server."""
import json

import pytest

from mockserver import cli
from mockserver.testing import LiveServer

from .conftest import make_app


@pytest.fixture(scope="module")
def live():
    """One server for the module (the tests use distinct organisation ids)."""
    app = make_app()
    with LiveServer(app) as server:
        yield server, app.extensions["wxcc"]


def test_org_create_list_reset_delete(live, capsys):
    server, rt = live
    assert cli.main(["org", "create", "--template", "empty", "--id", "cli-org", "--no-flex3", "--json",
                     "--url", server.url]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["id"] == "cli-org" and created["flex3"] is False and "full_admin" in created["tokens"]
    assert cli.main(["org", "create", "--url", server.url]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Organization ") and "full_admin" in text and "eyJ" in text
    assert cli.main(["org", "list", "--url", server.url]) == 0
    assert "cli-org  empty" in capsys.readouterr().out
    rt.store.put("cli-org", "site", {"id": "x"})
    assert cli.main(["org", "reset", "cli-org", "--url", server.url]) == 0
    assert rt.store.count("cli-org", "site") == 0
    assert cli.main(["org", "delete", "cli-org", "--url", server.url]) == 0
    assert rt.org("cli-org") is None
    assert cli.main(["org", "delete", "cli-org", "--url", server.url]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_snapshot_save_and_load(live, tmp_path, capsys):
    server, rt = live
    cli.main(["org", "create", "--template", "demo", "--id", "snap-org", "--url", server.url])
    capsys.readouterr()
    path = tmp_path / "org.json"
    assert cli.main(["snapshot", "save", str(path), "--org", "snap-org", "--url", server.url]) == 0
    before = rt.store.export("snap-org")
    rt.store.drop_org("snap-org")
    assert cli.main(["snapshot", "load", str(path), "--url", server.url]) == 0
    assert "restored org snap-org" in capsys.readouterr().out
    assert rt.store.export("snap-org") == before
    whole = tmp_path / "all.json"
    assert cli.main(["snapshot", "save", str(whole), "--url", server.url]) == 0
    assert json.loads(whole.read_text())["scope"] == "all"


def test_errors_are_reported_not_raised(live, tmp_path, capsys):
    server, _ = live
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert cli.main(["snapshot", "load", str(bad), "--url", server.url]) == 1
    assert "snapshot" in capsys.readouterr().err
    assert cli.main(["snapshot", "load", str(tmp_path / "missing.json"), "--url", server.url]) == 1
    assert cli.main(["org", "list", "--url", "http://127.0.0.1:9"]) == 1
    assert "cannot reach" in capsys.readouterr().err
