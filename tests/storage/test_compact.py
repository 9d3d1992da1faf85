"""Compact tables (a large fixture file kept as its bytes, parsed on read) answer as parsed ones do."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

import orjson
import pytest

from mockserver import cli, create_app
from mockserver.storage import Store, compact, fixtures
from mockserver.storage.fixtures import FixtureError, load_fixtures
from tests.conftest import assert_webex_error

ROOT = Path(__file__).resolve().parents[2]
ORG = "f222c4e4-0b5a-4a5e-9e2c-8d3b6d0b1a01"  # the demo organisation of the bundled fixtures


@pytest.fixture
def all_compact(monkeypatch):
    """Every fixture file of a kind is large enough to be kept compact."""
    monkeypatch.setattr(fixtures, "COMPACT_BYTES", 1)


def _tenant(tmp_path, users: list[dict]) -> Path:
    org = tmp_path / "orgs" / "a"
    org.mkdir(parents=True)
    (org / "org.json").write_text(json.dumps({"id": "org-a", "name": "A"}))
    (org / "user.json").write_bytes(orjson.dumps(users))
    return tmp_path


def _users(n: int) -> list[dict]:
    return [{"id": f"u{i}", "email": f"u{i}@x.example", "teamIds": [f"t{i % 3}"], "n": i} for i in range(n)]


def _stores(folder: Path, path: str | None = None):
    data, _ = load_fixtures(folder, compact=True)
    packed = Store(path)
    packed.seed(data, owned=True)
    plain = Store()
    plain.seed(load_fixtures(folder)[0], owned=True)
    return data, packed, plain


def test_a_large_file_is_kept_compact_and_every_read_matches_the_parsed_table(tmp_path, all_compact):
    data, packed, plain = _stores(_tenant(tmp_path, _users(50)))
    assert isinstance(data["org-a"]["user"], compact.Compact) and len(data["org-a"]["user"]) == 50
    assert packed.list("org-a", "user") == plain.list("org-a", "user") == _users(50)
    assert packed.list("org-a", "user", 10, 12) == _users(50)[10:12]
    assert packed.get("org-a", "user", "u7") == {"id": "u7", "email": "u7@x.example", "teamIds": ["t1"], "n": 7}
    assert packed.get("org-a", "user", "nobody") is None and packed.count("org-a", "user") == 50
    assert packed.peek("org-a", "user", "u7") == packed.get("org-a", "user", "u7")  # parsed: a new dict each read
    assert packed.scan("org-a", "user", lambda d: d["n"] > 47) == _users(50)[48:]
    assert [d["id"] for d in packed.lookup("org-a", "user", "email", "U3@X.EXAMPLE")] == ["u3"]
    assert len(packed.lookup("org-a", "user", "teamIds", "t2")) == len(plain.lookup("org-a", "user", "teamIds", "t2"))
    assert packed.export() == plain.export()


def test_a_read_hands_out_a_new_document_so_a_caller_cannot_change_the_table(tmp_path, all_compact):
    _, packed, _ = _stores(_tenant(tmp_path, _users(3)))
    packed.list("org-a", "user")[0]["email"] = "changed@x.example"
    packed.get("org-a", "user", "u0")["email"] = "changed@x.example"
    assert packed.get("org-a", "user", "u0")["email"] == "u0@x.example"


def test_writes_replace_compact_documents_keep_the_indexes_and_a_reset_gives_the_seed_back(tmp_path, all_compact):
    _, packed, _ = _stores(_tenant(tmp_path, _users(20)))
    assert [d["id"] for d in packed.lookup("org-a", "user", "email", "u5@x.example")] == ["u5"]  # index built
    packed.put("org-a", "user", {"id": "u5", "email": "new5@x.example"})
    packed.delete("org-a", "user", "u6")
    packed.insert("org-a", "user", {"id": "u99", "email": "u99@x.example"})
    assert packed.lookup("org-a", "user", "email", "u5@x.example") == []
    assert packed.lookup("org-a", "user", "email", "new5@x.example") == [{"id": "u5", "email": "new5@x.example"}]
    assert packed.get("org-a", "user", "u6") is None and packed.count("org-a", "user") == 20
    with pytest.raises(KeyError):
        packed.insert("org-a", "user", {"id": "u7", "email": "again@x.example"})
    packed.reset("org-a")
    assert packed.list("org-a", "user") == _users(20)
    assert [d["id"] for d in packed.lookup("org-a", "user", "email", "u5@x.example")] == ["u5"]
    packed.reset()
    assert packed.list("org-a", "user") == _users(20) and packed.get("org-a", "user", "u99") is None


def test_with_a_storage_file_the_compact_seed_is_logged_and_a_restart_reads_it_back(tmp_path, all_compact):
    path = str(tmp_path / "state" / "store.json")
    _, packed, _ = _stores(_tenant(tmp_path / "fx", _users(30)), path)
    packed.put("org-a", "user", {"id": "u1", "email": "changed@x.example"})
    packed.close()
    again = Store(path)
    assert again.get("org-a", "user", "u1") == {"id": "u1", "email": "changed@x.example"}
    assert again.list("org-a", "user")[2:] == _users(30)[2:] and again.count("org-a", "user") == 30
    again.compact()  # the snapshot rewritten from memory, compact documents included
    again.close()
    assert Store(path).list("org-a", "user") == again.list("org-a", "user")


@pytest.mark.parametrize("content, reason", [
    (b'[{"id": "u1", "email": "a"}, {"id": "u2", "email": }]', "malformed"),
    (b'[{"id": "u1"}, {"email": "no id"}]', "a list of objects each with an 'id' is required"),
    (b'[{"id": "u1"}, 3]', "a list of objects each with an 'id' is required"),
    (b'{"id": "u1"}', "a list of objects each with an 'id' is required"),
    (b'[{"id": "u1", "name": "\xff\xfe"}]', "not UTF-8"),
    (b'[{"id": "u1"}] trailing', "trailing"),
])
def test_a_broken_large_file_stops_the_start_naming_the_file(tmp_path, all_compact, capsys, content, reason):
    folder = _tenant(tmp_path, [])
    broken = folder / "orgs" / "a" / "user.json"
    broken.write_bytes(content)
    with pytest.raises(FixtureError, match=reason) as err:
        load_fixtures(folder, compact=True)
    assert str(broken) in str(err.value)
    assert cli.main(["serve", "--fixtures", str(folder), "--quiet", "--port", "0"]) == 2
    out = capsys.readouterr().err
    assert f"cannot load the fixtures: {broken}" in out and reason in out and "--fixtures" in out


def test_a_number_out_of_range_is_a_webex_error_naming_the_table_when_read(tmp_path, all_compact):
    """The split does not look into numbers: such a document fails when read (docs: Start-up)."""
    folder = _tenant(tmp_path, [])
    (folder / "orgs" / "a" / "user.json").write_bytes(b'[{"id": "u1", "n": 1e999}]')
    packed = Store()
    packed.seed(load_fixtures(folder, compact=True)[0], owned=True)  # parsed at start, the file would be refused
    assert packed.count("org-a", "user") == 1
    with pytest.raises(FixtureError, match="out of range"):
        packed.get("org-a", "user", "u1")


@pytest.fixture
def two_apps(tmp_path, monkeypatch):
    """The bundled tenant twice: parsed at start, and with every file kept compact."""
    plain = create_app({"access_log": False})
    folder = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", folder)
    monkeypatch.setattr(fixtures, "COMPACT_BYTES", 1)
    packed = create_app({"access_log": False, "fixtures": str(folder)})
    return plain, packed


def _get(app, path: str):
    client = app.test_client()
    resp = client.post("/_mock/tokens", json={"user": "full.admin@acme.example",
                                              "scopes": ["cjp:config", "cjp:config_read", "cjp:config_write"]})
    assert resp.status_code == 201, resp.json
    return client.get(path, headers={"Authorization": f"Bearer {resp.json['access_token']}"})


@pytest.mark.parametrize("path", [
    f"/organization/{ORG}/v2/user?page=0&pageSize=100",
    f"/organization/{ORG}/v2/team?page=0&pageSize=10&attributes=id,name",
    f"/organization/{ORG}/v2/user?filter={quote('email==full.admin@acme.example')}",
    f"/organization/{ORG}/v2/user?filter={quote('active==true')}&sort=email",
    f"/organization/{ORG}/v2/site",
])
def test_the_api_answers_the_same_from_a_compact_tenant(two_apps, path):
    plain, packed = two_apps
    a, b = _get(plain, path), _get(packed, path)
    assert a.status_code == b.status_code == 200, (a.status_code, b.get_data(as_text=True)[:300])
    assert a.json["data"] and a.json == b.json


def test_one_document_from_a_compact_tenant_is_the_same(two_apps):
    plain, packed = two_apps
    some = _get(plain, f"/organization/{ORG}/v2/user?page=0&pageSize=5").json["data"][3]
    a, b = _get(plain, f"/organization/{ORG}/user/{some['id']}"), _get(packed, f"/organization/{ORG}/user/{some['id']}")
    assert a.status_code == b.status_code == 200 and a.json == b.json and a.json["id"] == some["id"]


def test_a_document_that_fails_to_parse_is_a_webex_error(tmp_path, all_compact):
    folder = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", folder)
    site = folder / "orgs" / "demo" / "site.json"
    docs = orjson.loads(site.read_bytes())
    site.write_bytes(orjson.dumps(docs)[:-1] + b',{"id":"broken-site","name":"B","n":1e999}]')
    app = create_app({"access_log": False, "fixtures": str(folder)})
    assert_webex_error(_get(app, f"/organization/{ORG}/site/broken-site"), 500)
    ok = _get(app, f"/organization/{ORG}/site/{docs[0]['id']}")
    assert ok.status_code == 200 and ok.json["id"] == docs[0]["id"]


def test_a_tenant_without_large_files_starts_without_importing_msgspec():
    """The demo tenant's files are all small: the start does not pay msgspec's import (docs: Start-up)."""
    import subprocess
    import sys

    code = ("import sys; from mockserver import create_app; rt = create_app({'access_log': False}).extensions['wxcc']; "
            "print(rt.store.count(rt.demo_orgs()[0], 'user') > 0, 'msgspec' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "False"]
