"""The command line: `mockserver token` against a running server, `openapi --check`, `config`, and `serve` itself."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import jwt
import requests

from mockserver import cli, create_app
from mockserver.testing import LiveServer

from .conftest import DEMO_ORG
from .oauth import PROBE

ROOT = Path(__file__).resolve().parent.parent



def _probe(live, token: str) -> requests.Response:
    return requests.get(live.url + PROBE.format(org=DEMO_ORG), headers={"Authorization": f"Bearer {token}"}, timeout=5)


def test_token_command_prints_a_token_the_server_accepts(live, capsys):
    assert cli.main(["token", "--url", live.url, "--user", "readonly.admin@acme.example",
                     "--scopes", "cjp_config_read"]) == 0
    token = capsys.readouterr().out.strip()
    key = jwt.PyJWKClient(live.url + "/.well-known/jwks.json").get_signing_key_from_jwt(token)
    claims = jwt.decode(token, key.key, algorithms=["RS256"], issuer=live.url)
    assert claims["scope"] == "cjp:config_read" and claims["roles"] == ["readonly_admin"]
    assert _probe(live, token).json()["sub"] == claims["sub"]


def test_token_command_json_roles_and_lifetime(live, capsys):
    assert cli.main(["token", "--url", live.url, "--user", "agent@acme.example", "--roles", "full_admin",
                     "--expires-in", "60", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["user"]["roles"] == ["full_admin"] and body["expires_in"] == 60 and body["token_type"] == "Bearer"


def test_token_command_can_mint_an_expired_token(live, capsys):
    assert cli.main(["token", "--url", live.url, "--user", "full.admin@acme.example", "--expired"]) == 0
    resp = _probe(live, capsys.readouterr().out.strip())
    assert resp.status_code == 401 and "expired" in resp.json()["error"]["reason"]


def test_token_command_for_an_unknown_user_prints_the_error(live, capsys):
    assert cli.main(["token", "--url", live.url, "--user", "nobody@acme.example"]) == 1
    err = json.loads(capsys.readouterr().err)
    assert err["error"]["key"] == "404" and "nobody@acme.example" in err["error"]["reason"]


def test_token_command_without_a_server_says_so(capsys):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert cli.main(["token", "--url", f"http://127.0.0.1:{port}", "--user", "x"]) == 1
    assert "cannot reach the mock" in capsys.readouterr().err


def test_token_command_sends_the_admin_token_from_the_environment(monkeypatch, capsys):
    app = create_app({"access_log": False, "admin_token": "adm1n"})
    with LiveServer(app) as live:
        args = ["token", "--url", live.url, "--user", "full.admin@acme.example"]
        assert cli.main(args) == 1 and "admin token" in capsys.readouterr().err
        monkeypatch.setenv("MOCKSERVER_ADMIN_TOKEN", "adm1n")
        assert cli.main(args) == 0 and capsys.readouterr().out.count(".") == 2


def test_openapi_check_detects_a_stale_snapshot(tmp_path, capsys):
    out = tmp_path / "openapi.json"
    assert cli.main(["openapi", "--check", "--out", str(out)]) == 1
    assert cli.main(["openapi", "--out", str(out)]) == 0
    assert cli.main(["openapi", "--check", "--out", str(out)]) == 0
    out.write_text(out.read_text().replace('"/health"', '"/healthz"'))
    assert cli.main(["openapi", "--check", "--out", str(out)]) == 1
    assert "stale" in capsys.readouterr().err


def test_openapi_document_lists_the_issuer_and_mock_routes():
    paths = json.loads(cli.render_openapi())["paths"]
    assert {"/v1/authorize", "/v1/access_token", "/.well-known/jwks.json", "/_mock/tokens", "/health"} <= set(paths)


def test_config_command_lists_every_setting(capsys):
    from mockserver.config import Config

    assert cli.main(["config"]) == 0
    out = capsys.readouterr().out
    assert all(env in out for env, _, _ in Config.documented())


def test_serve_with_a_bad_setting_names_it(monkeypatch, capsys):
    monkeypatch.setenv("MOCKSERVER_THREADS", "many")
    assert cli.main(["serve"]) == 2
    assert "MOCKSERVER_THREADS must be an integer" in capsys.readouterr().err


def test_serve_prints_url_and_tokens_serves_and_stops_on_sigterm(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MOCKSERVER_STORAGE": str(tmp_path / "state.json")}
    proc = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(60, proc.kill)  # bounded: a hung server cannot hang the suite
    watchdog.start()
    try:
        banner = [proc.stdout.readline() for _ in range(4)]
        url = banner[0].split(" on ")[1].strip()
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        assert requests.get(url + "/health", timeout=5).json()["status"] == "ok"
        rest = []
        while not rest or not rest[-1].strip().startswith("curl -H 'Authorization: Bearer "):
            line = proc.stdout.readline()
            assert line, "the banner ended early"
            rest.append(line)
        token = next(line.strip() for line in rest if line.strip().startswith("eyJ"))
        # The sample curl is complete: its token and URL work as printed.
        curl_token, curl_url = re.match(r"curl -H 'Authorization: Bearer (\S+)' '(\S+)'", rest[-1].strip()).groups()
        assert curl_token == token
        resp = requests.get(curl_url, headers={"Authorization": f"Bearer {curl_token}"}, timeout=5)
        assert resp.status_code == 200 and resp.json()["meta"]["orgid"] == DEMO_ORG
        jwks = jwt.PyJWKClient(url + "/.well-known/jwks.json")
        assert jwt.decode(token, jwks.get_signing_key_from_jwt(token).key, algorithms=["RS256"],
                          issuer=url)["org_id"] == DEMO_ORG
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        access = [json.loads(line) for line in proc.stderr.read().splitlines() if line.startswith("{")]
        assert (access[0]["method"], access[0]["path"], access[0]["status"]) == ("GET", "/health", 200)
        assert access[0]["trackingId"].startswith("ccconfig_")
        assert (tmp_path / "state.json").exists()  # compacted on the way out
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
