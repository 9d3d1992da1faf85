"""`mockserver serve` that cannot start: one line naming the problem and the fix, exit status 2, no traceback."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mockserver import cli

ROOT = Path(__file__).resolve().parent.parent


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("mockserver: ")
    return err


@pytest.fixture
def taken_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def test_a_taken_port_is_one_line_naming_the_options(capsys, monkeypatch, taken_port):
    monkeypatch.setenv("MOCKSERVER_FIXTURES", str(ROOT / "fixtures"))
    assert cli.main(["serve", "--port", str(taken_port), "--quiet"]) == 2
    err = _one_line(capsys)
    assert f"port {taken_port} on 127.0.0.1 is already in use" in err and "--port" in err and "MOCKSERVER_PORT" in err


def test_a_taken_port_from_the_real_command_prints_no_traceback(tmp_path, taken_port):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--port", str(taken_port)], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith(f"mockserver: port {taken_port} on 127.0.0.1 is already in use")
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


def test_granian_on_a_taken_port_says_the_same(capsys, monkeypatch, taken_port):
    pytest.importorskip("granian", reason="the granian extra is not installed")
    monkeypatch.setenv("MOCKSERVER_SERVER", "granian")
    assert cli.main(["serve", "--port", str(taken_port), "--quiet", "--fixtures", str(ROOT / "fixtures")]) == 2
    assert "is already in use" in _one_line(capsys)


def test_an_address_that_is_not_this_machines(capsys):
    assert cli.main(["serve", "--host", "no-such-host.invalid", "--quiet", "--fixtures", str(ROOT / "fixtures")]) == 2
    err = _one_line(capsys)
    assert "no-such-host.invalid is not an address of this machine" in err and "--host" in err


@pytest.mark.parametrize("make, text", [
    (lambda d: d / "missing", "does not exist"),
    (lambda d: (d / "a-file").write_text("x") and d / "a-file", "is a file, not a folder"),
])
def test_a_fixtures_folder_that_cannot_be_used(capsys, tmp_path, make, text):
    folder = make(tmp_path)
    assert cli.main(["serve", "--fixtures", str(folder), "--quiet"]) == 2
    err = _one_line(capsys)
    assert f"the fixtures folder {folder} {text}" in err and "--fixtures" in err and "MOCKSERVER_FIXTURES" in err


def test_a_fixtures_folder_without_read_permission(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0)
    if os.geteuid() == 0:  # root reads any folder: the permission check is made to see what a user would see
        from mockserver.serving import startup
        real = startup.os.access
        monkeypatch.setattr(startup.os, "access", lambda p, mode: False if str(p) == str(folder) else real(p, mode))
    try:
        assert cli.main(["serve", "--fixtures", str(folder), "--quiet"]) == 2
        assert "cannot be read (permission denied)" in _one_line(capsys)
    finally:
        folder.chmod(0o700)


def test_a_broken_fixture_file_names_the_file(capsys, tmp_path):
    org = tmp_path / "orgs" / "a"
    org.mkdir(parents=True)
    (org / "org.json").write_text('{"id": "a"')
    assert cli.main(["serve", "--fixtures", str(tmp_path), "--quiet"]) == 2
    err = _one_line(capsys)
    assert f"cannot load the fixtures: {org / 'org.json'}" in err and "--fixtures" in err


def _pem(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _ec_key() -> bytes:
    from cryptography.hazmat.primitives.asymmetric import ec

    return _pem(ec.generate_private_key(ec.SECP256R1()))


def _mismatched_rsa_key() -> bytes:
    """An RSA key whose CRT exponent does not belong to it (what a damaged or hand-assembled file holds)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    n = rsa.generate_private_key(65537, 2048).private_numbers()
    bad = rsa.RSAPrivateNumbers(n.p, n.q, n.d, n.dmp1 + 2, n.dmq1, n.iqmp, n.public_numbers)
    return _pem(bad.private_key(unsafe_skip_rsa_key_validation=True))


@pytest.mark.parametrize("content, text", [
    (lambda: b"not a key", "is not a PEM private key without a password"),
    (_ec_key, "is not an RSA private key"),
    (_mismatched_rsa_key, "is not a valid RSA key (its numbers do not fit together)"),
])
def test_a_signing_key_file_that_cannot_be_used_names_the_file(capsys, monkeypatch, tmp_path, content, text):
    key = tmp_path / "signing-key.pem"
    key.write_bytes(content())
    monkeypatch.setenv("MOCKSERVER_SIGNING_KEY", str(key))
    assert cli.main(["serve", "--quiet", "--port", "0", "--fixtures", str(ROOT / "fixtures")]) == 2
    err = _one_line(capsys)
    assert f"the signing key file {key} {text}" in err and "MOCKSERVER_SIGNING_KEY" in err, err


def test_a_signing_key_file_is_checked_by_a_signature_that_verifies(tmp_path, monkeypatch):
    """The numbers of a usable key fit together and it signs verifiably; a key that signs wrongly is refused."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    from mockserver.auth import keys

    path = tmp_path / "k.pem"
    good = rsa.generate_private_key(65537, 2048)
    path.write_bytes(_pem(good))
    assert keys.load_key_file(path).private_numbers() == good.private_numbers()
    real_verify = type(good.public_key()).verify
    monkeypatch.setattr(type(good.public_key()), "verify",
                        lambda self, sig, msg, *a: real_verify(self, bytes([sig[0] ^ 1]) + sig[1:], msg, *a))
    with pytest.raises(keys.KeyFileError, match="a signature made with it does not verify"):
        keys.load_key_file(path)


@pytest.mark.parametrize("env, value, text", [
    ("MOCKSERVER_THREADS", "many", "MOCKSERVER_THREADS must be an integer, not 'many'"),
    ("MOCKSERVER_THREADS", "0", "MOCKSERVER_THREADS must be from 1 to 256, not 0"),
    ("MOCKSERVER_PORT", "70000", "MOCKSERVER_PORT must be from 0 to 65535, not 70000: set MOCKSERVER_PORT (or --port)"),
    ("MOCKSERVER_ACCESS_LOG", "maybe", "MOCKSERVER_ACCESS_LOG must be true or false"),
    ("MOCKSERVER_SERVER", "gunicorn", "MOCKSERVER_SERVER must be one of granian, waitress, not 'gunicorn'"),
    ("MOCKSERVER_LOG_LEVEL", "loud", "MOCKSERVER_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR"),
])
def test_a_bad_setting_names_the_variable_and_the_fix(capsys, monkeypatch, env, value, text):
    monkeypatch.setenv(env, value)
    assert cli.main(["serve", "--quiet"]) == 2
    assert text in _one_line(capsys)


def test_a_bad_option_value_names_the_option(capsys):
    assert cli.main(["serve", "--port", "-1"]) == 2
    assert "(or --port)" in _one_line(capsys)


def test_serve_help_documents_every_option(capsys):
    serve = cli.build_parser()._subparsers._group_actions[0].choices["serve"]
    options = [a for a in serve._actions if a.option_strings and a.dest != "help"]
    assert {o.dest for o in options} >= {"host", "port", "fixtures", "storage", "quiet", "all_tokens"}
    with pytest.raises(SystemExit) as done:
        cli.main(["serve", "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for option in options:
        assert option.help and option.option_strings[0] in text, option.dest
        assert " ".join(option.help.split()) in text, option.dest
    assert "mockserver config" in text  # where the other settings are
