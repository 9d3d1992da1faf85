"""The command line: `mockserver token` against a running server, `openapi --check`, `config`, and `serve` itself."""
from __future__ import annotations

import json
import os
import shutil
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
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("mockserver token: 404 ") and "nobody@acme.example" in err


def test_control_commands_print_an_error_answer_as_one_line(live, capsys):
    assert cli.main(["org", "delete", "no-such-org", "--url", live.url]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("mockserver org: 404 ") and "no-such-org" in err and "{" not in err


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
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["VARIABLE", "DEFAULT", "MEANING"]
    rows = Config.documented()
    assert [line.split()[0] for line in lines[1:]] == [env for env, _, _ in rows]
    # Aligned: every default and every meaning starts in the same column as its heading.
    for heading in ("DEFAULT", "MEANING"):
        col = lines[0].index(heading)
        assert all(line[col - 2:col] == "  " and line[col] != " " for line in lines[1:]), heading
    port = next(line for line in lines if line.startswith("MOCKSERVER_PORT "))
    assert port.split()[1] == "5000" and "(empty)" in next(line for line in lines if "ADMIN_TOKEN" in line)


def test_serve_prints_one_screen_with_a_token_and_a_curl_that_work_then_stops_on_sigterm(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MOCKSERVER_STORAGE": str(tmp_path / "state.json")}
    proc = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(60, proc.kill)  # bounded: a hung server cannot hang the suite
    watchdog.start()
    try:
        banner = [proc.stdout.readline()]
        url = banner[0].split(" on ")[1].strip()
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        assert requests.get(url + "/health", timeout=5).json()["status"] == "ok"
        while not banner[-1].startswith("  Other users:"):
            banner.append(proc.stdout.readline())
            assert banner[-1], "the banner ended early"
        # One screen: at most 24 rows of an 80-column terminal, long lines wrapped.
        assert sum(max(1, -(-len(line.rstrip("\n")) // 80)) for line in banner) <= 24, banner
        assert f"Swagger UI {url}/docs" in banner[1] and DEMO_ORG in banner[2]
        assert "full.admin@acme.example" in banner[3]
        export = next(line.strip() for line in banner if line.startswith("export WXCC_TOKEN="))
        curl = next(line.strip() for line in banner if line.startswith("curl "))
        assert len(curl) < 160
        token = export.split("=", 1)[1]
        claims = jwt.decode(token, jwt.PyJWKClient(url + "/.well-known/jwks.json").get_signing_key_from_jwt(token).key,
                            algorithms=["RS256"], issuer=url)
        assert claims["org_id"] == DEMO_ORG and claims["roles"] == ["full_admin"]
        # The two lines work as pasted into a shell.
        if shutil.which("curl") and shutil.which("bash"):
            out = subprocess.run(["bash", "-c", f"{export}\n{curl} -s"], capture_output=True, text=True, timeout=30)
            body = json.loads(out.stdout)
        else:
            curl_url = curl.rsplit(" ", 1)[1]
            body = requests.get(curl_url, headers={"Authorization": f"Bearer {token}"}, timeout=5).json()
        assert body["meta"]["orgid"] == DEMO_ORG and body["data"][0]["organizationId"] == DEMO_ORG
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
