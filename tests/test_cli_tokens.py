"""`mockserver tokens`: a ready token for every person of the bundled organisations, from a running server."""
from __future__ import annotations

import json
import socket
from pathlib import Path

import jwt
import pytest
import requests

from mockserver import cli
from mockserver.serving import startup
from mockserver.serving.tokens import person_label

from .conftest import DEMO_ORG, NOLICENSE_ORG
from .webex_token import jwt_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "orgs"


def _people(folder: str) -> list[dict]:
    return json.loads((FIXTURES / folder / "people.json").read_text())


def _me(live, token: str) -> dict:
    resp = requests.get(live.url + "/v1/people/me", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_tokens_prints_a_working_token_for_every_bundled_person_demo_first(live, capsys):
    assert cli.main(["tokens", "--url", live.url]) == 0
    lines = capsys.readouterr().out.splitlines()
    heads = [i for i, line in enumerate(lines) if line.startswith("Organization ")]
    assert [lines[i].split()[1] for i in heads] == [DEMO_ORG, NOLICENSE_ORG]  # the demo organisation first
    assert lines[heads[0]] == f"Organization {DEMO_ORG} (Acme Contact Center (demo))"
    for start, end, folder in ((heads[0], heads[1], "demo"), (heads[1], len(lines), "nolicense")):
        pairs = lines[start + 1:end]
        people = _people(folder)
        assert [p.split(": ", 1)[1] for p in pairs[0::2]] == [p["email"] for p in people]
        for person, token in zip(people, pairs[1::2]):
            assert token.startswith("    ")
            claims = jwt.decode(jwt_of(token.strip()), options={"verify_signature": False})
            assert claims["sub"] == person["id"]
            assert claims["scope"] == "cjp:config cjp:config_read cjp:config_write cjp:user"
    first = lines[heads[0] + 1:heads[0] + 3]
    assert first[0] == "  Full Administrator: full.admin@acme.example"
    assert _me(live, first[1].strip())["emails"] == ["full.admin@acme.example"]  # the server accepts it


def test_tokens_for_one_organisation_as_json(live, capsys):
    assert cli.main(["tokens", "--url", live.url, "--org", NOLICENSE_ORG, "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    people = _people("nolicense")
    assert [(i["orgId"], i["id"], i["email"]) for i in items] == [(NOLICENSE_ORG, p["id"], p["email"])
                                                                   for p in people]
    assert [i["role"] for i in items] == ["Full Administrator", "Read-only Administrator", "Agent (no admin role)"]
    for item in items:
        assert item["accessToken"].split("_")[1:] == ["P0A1", NOLICENSE_ORG]
        assert _me(live, item["accessToken"])["emails"] == [item["email"]]


def test_tokens_refuses_an_organisation_or_a_folder_without_one(live, tmp_path, capsys):
    assert cli.main(["tokens", "--url", live.url, "--org", "no-such-org"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("mockserver tokens: no organisation no-such-org ")
    assert cli.main(["tokens", "--url", live.url, "--fixtures", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(tmp_path) in err and "--fixtures DIR" in err
    (tmp_path / "orgs" / "x").mkdir(parents=True)
    (tmp_path / "orgs" / "x" / "org.json").write_text("{not json")
    assert cli.main(["tokens", "--url", live.url, "--fixtures", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "org.json" in err and "Traceback" not in err


def test_tokens_without_a_server_says_so_in_one_line(capsys):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert cli.main(["tokens", "--url", f"http://127.0.0.1:{port}"]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "mockserver tokens: cannot reach the mock" in captured.err


def test_tokens_help_documents_every_option(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["tokens", "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert all(option in out for option in ("--url", "--fixtures", "--org", "--json", "serve --all-tokens"))


def test_serve_all_tokens_flag_still_prints_every_demo_person(app, capsys):
    """The flag of `serve` and the subcommand print the same headings for the demo organisation."""
    startup._banner(app.extensions["wxcc"], "http://127.0.0.1:5000", True)
    out = capsys.readouterr().out
    for person in _people("demo"):
        assert f"{person_label(person)}\n    " in out
    assert "Other users: mockserver tokens" in out
