"""Settings: defaults, environment overrides with one prefix, explicit overrides, and their effect on the app."""
from __future__ import annotations

import jwt
import pytest

from mockserver import create_app
from mockserver.config import PREFIX, Config

from .oauth import PROBE, add_probe
from .webex_token import jwt_of


def test_defaults_match_webex_lifetimes_and_loopback():
    cfg = Config.from_env({})
    assert (cfg.host, cfg.port, cfg.storage) == ("127.0.0.1", 5000, "memory")
    assert (cfg.access_token_ttl, cfg.refresh_token_ttl) == (43199, 5183999)


def test_environment_overrides_with_types():
    env = {"MOCKSERVER_PORT": "8123", "MOCKSERVER_ACCESS_LOG": "false",
           "MOCKSERVER_PUBLIC_BASE_URL": "https://mock.example", "MOCKSERVER_ACCESS_TOKEN_TTL": "60",
           "UNRELATED": "x", "MOCKSERVER_NOT_A_SETTING": "ignored"}
    cfg = Config.from_env(env)
    got = (cfg.port, cfg.access_log, cfg.public_base_url, cfg.access_token_ttl)
    assert got == (8123, False, "https://mock.example", 60)


@pytest.mark.parametrize("raw, value", [("1", True), ("true", True), ("YES", True), ("on", True), ("0", False),
                                        ("no", False), ("", False)])
def test_booleans(raw, value):
    assert Config.from_env({"MOCKSERVER_ACCESS_LOG": raw}).access_log is value


def test_an_empty_number_or_choice_means_the_default():
    cfg = Config.from_env({"MOCKSERVER_PORT": "", "MOCKSERVER_SERVER": " ", "MOCKSERVER_LOG_LEVEL": ""})
    assert (cfg.port, cfg.server, cfg.log_level) == (5000, "granian", "INFO")  # Granian is installed here


def test_explicit_overrides_win_over_the_environment_and_none_means_unset():
    cfg = Config.from_env({"MOCKSERVER_PORT": "8123", "MOCKSERVER_HOST": "0.0.0.0"}, port=9000, host=None)
    assert (cfg.port, cfg.host) == (9000, "0.0.0.0")


def test_bad_integer_names_the_variable():
    with pytest.raises(ValueError, match="MOCKSERVER_PORT must be an integer, not 'eighty'"):
        Config.from_env({"MOCKSERVER_PORT": "eighty"})


def test_create_app_reads_the_process_environment(monkeypatch):
    monkeypatch.setenv("MOCKSERVER_ACCESS_TOKEN_TTL", "120")
    monkeypatch.setenv("MOCKSERVER_FIXTURES", "/nonexistent-fixtures")
    app = create_app()
    rt = app.extensions["wxcc"]
    assert rt.tokens.access_ttl == 120 and rt.fixtures_summary["missing"] is True


def test_every_setting_is_documented_once():
    rows = Config.documented()
    names = [r[0] for r in rows]
    assert len(names) == len(set(names)) and all(n.startswith(PREFIX) for n in names)
    assert all(doc for _, _, doc in rows)
    assert {"MOCKSERVER_HOST", "MOCKSERVER_PORT", "MOCKSERVER_PUBLIC_BASE_URL", "MOCKSERVER_FIXTURES",
            "MOCKSERVER_STORAGE", "MOCKSERVER_SIGNING_KEY", "MOCKSERVER_ACCESS_TOKEN_TTL",
            "MOCKSERVER_REFRESH_TOKEN_TTL", "MOCKSERVER_LOG_LEVEL"} <= set(names)


def test_public_base_url_is_the_issuer_and_in_discovery():
    client = create_app({"access_log": False, "public_base_url": "https://mock.example/"}).test_client()
    assert client.get("/.well-known/openid-configuration").json["issuer"] == "https://mock.example"
    token = client.post("/_mock/tokens", json={"user": "full.admin@acme.example"}).json["access_token"]
    assert jwt.decode(jwt_of(token), options={"verify_signature": False})["iss"] == "https://mock.example"


def test_forwarded_headers_set_the_base_url_when_none_is_configured(client):
    doc = client.get("/.well-known/openid-configuration",
                     headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "wxcc.test:8443"}).json
    assert doc["token_endpoint"] == "https://wxcc.test:8443/v1/access_token"


@pytest.mark.parametrize("proto, host", [("gopher", "ok.test"), ("https", "evil.test/path"), ("https", "a b")])
def test_implausible_forwarded_values_are_ignored(client, proto, host):
    doc = client.get("/.well-known/openid-configuration",
                     headers={"X-Forwarded-Proto": proto, "X-Forwarded-Host": host}).json
    assert doc["issuer"] in ("http://localhost", "https://localhost", "http://ok.test")
    assert "evil" not in doc["issuer"] and " " not in doc["issuer"]


def test_signing_key_file_is_created_owner_only_and_reused(tmp_path):
    path = tmp_path / "keys" / "signing.pem"
    first = create_app({"access_log": False, "signing_key": str(path)}).extensions["wxcc"]
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    second = create_app({"access_log": False, "signing_key": str(path)}).extensions["wxcc"]
    assert first.keys.current.kid == second.keys.current.kid


def test_token_signed_before_a_restart_verifies_after_it_with_a_persisted_key(tmp_path):
    cfg = {"access_log": False, "signing_key": str(tmp_path / "k.pem")}
    token = create_app(cfg).test_client().post("/_mock/tokens", json={"user": "full.admin@acme.example"}).json
    restarted = create_app(cfg)
    add_probe(restarted)
    resp = restarted.test_client().get(PROBE.format(org=token["user"]["orgId"]),
                                       headers={"Authorization": f"Bearer {token['access_token']}"})
    assert resp.status_code == 200 and resp.json["sub"] == token["user"]["id"]
