"""The Docker image: builds, runs non-root with --network host, turns healthy, issues tokens and guards the API.

Marked ``docker`` (deselected by default; ``python -m pytest -m docker``). Skipped only when no Docker engine
answers (and failed instead when ``MOCKSERVER_REQUIRE_DOCKER`` is set, as in CI). ``DOCKER_BASE_IMAGE`` overrides the
Dockerfile's base image (``.ci/run`` passes the one that
``../shared/tools/docker-env.sh`` prints); the host's CA bundle goes into the build, so pip also works behind a
TLS-intercepting proxy.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import jwt
import pytest
import requests

from .conftest import DEMO_ORG, NOLICENSE_ORG
from .oauth import code_for, exchange
from .webex_token import jwt_of

pytestmark = pytest.mark.docker

ROOT = Path(__file__).resolve().parent.parent
CONTEXT_FILES = ["pyproject.toml", "README.md", "mockserver", "fixtures", "Dockerfile", ".dockerignore"]
CA_CANDIDATES = [os.environ.get(v, "") for v in ("PIP_CERT", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE")] + [
    "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"]


def _docker(*args, timeout=120, check=True) -> subprocess.CompletedProcess:
    proc = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)
    if check:
        assert proc.returncode == 0, f"docker {' '.join(args)}: {proc.stdout[-3000:]}{proc.stderr[-3000:]}"
    return proc


def _engine_unreachable() -> str | None:
    """Why no Docker engine can be used, or None."""
    if shutil.which("docker") is None:
        return "no `docker` command on PATH"
    try:
        info = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "`docker info` did not answer within 60 s"
    if info.returncode != 0:
        return "no Docker engine answers `docker info`: " + (info.stderr.strip().splitlines() or ["?"])[-1]
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """The image, built from a clean copy of the sources under a unique tag; removed afterwards."""
    reason = _engine_unreachable()
    if reason and os.environ.get("MOCKSERVER_REQUIRE_DOCKER"):
        pytest.fail(reason)  # CI, where Docker was just set up: never a silent skip
    if reason:
        pytest.skip(reason)
    context = tmp_path_factory.mktemp("docker-context")
    for name in CONTEXT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, context / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, context / name)
    tag = f"wxcc-mockserver-test:{uuid.uuid4().hex[:12]}"
    args = ["build", "--network", "host", "--force-rm", "-t", tag]
    if os.environ.get("DOCKER_BASE_IMAGE"):
        args += ["--build-arg", f"BASE_IMAGE={os.environ['DOCKER_BASE_IMAGE']}"]
    ca = next((Path(p) for p in CA_CANDIDATES if p and Path(p).is_file()), None)
    if ca:
        shutil.copy(ca, context / "ca-bundle.pem")
        args += ["--build-arg", "CA_BUNDLE=ca-bundle.pem"]
    built = ""
    try:
        proc = _docker(*args, str(context), timeout=900, check=False)
        built = proc.stdout
        hint = "" if os.environ.get("DOCKER_BASE_IMAGE") else " (no image registry? set DOCKER_BASE_IMAGE)"
        assert proc.returncode == 0, f"docker build failed{hint}: {proc.stdout[-3000:]}{proc.stderr[-3000:]}"
        yield tag
    finally:
        _docker("rmi", "-f", tag, check=False)
        _remove_build_leftovers(built)


def _remove_build_leftovers(build_output: str) -> None:
    """The classic builder keeps the build stage's images (untagged): remove those this build printed, if dangling.

    Only dangling images named in this build's own output, never forced: a tagged base image or a layer that
    another image still uses is left alone.
    """
    ours = set(re.findall(r"---> ([0-9a-f]{12})\b", build_output))
    for _ in range(3):  # children before parents
        dangling = set(_docker("images", "-q", "--filter", "dangling=true", check=False).stdout.split())
        doomed = sorted(ours & dangling)
        if not doomed:
            return
        _docker("rmi", *doomed, check=False)


@contextlib.contextmanager
def _container(image, *env):
    """A container of the image on a free port (host network), once healthy; removed afterwards."""
    name, port = f"wxcc-mockserver-test-{uuid.uuid4().hex[:12]}", _free_port()
    _docker("run", "-d", "--name", name, "--network", "host", *[x for e in env for x in ("-e", e)],
            "-e", f"MOCKSERVER_PORT={port}", "--health-interval=1s", "--health-retries=30", image)
    try:
        deadline, status = time.monotonic() + 90, ""
        while time.monotonic() < deadline:
            status = _docker("inspect", "-f", "{{.State.Status}} {{.State.Health.Status}}", name).stdout.split()
            if status[-1] in ("healthy", "unhealthy") or status[0] == "exited":
                break
            time.sleep(0.5)
        logs = _docker("logs", name, check=False)
        assert status[-1] == "healthy", f"container {status}: {logs.stdout[-2000:]}{logs.stderr[-2000:]}"
        yield SimpleNamespace(name=name, url=f"http://127.0.0.1:{port}")
    finally:
        _docker("rm", "-f", name, check=False)


@pytest.fixture(scope="module")
def server(image):
    """The image listening on loopback only (with --network host, 0.0.0.0 is every interface of the machine)."""
    with _container(image, "MOCKSERVER_HOST=127.0.0.1") as found:
        yield found


def test_the_image_default_address_protects_the_control_api(image):
    """The image listens on 0.0.0.0: the control API needs the admin token printed once at start."""
    with _container(image) as open_server:
        refused = requests.post(open_server.url + "/_mock/tokens", json={"user": "full.admin@acme.example"},
                                timeout=10)
        assert refused.status_code == 401 and refused.json()["error"]["key"] == "401", refused.text
        logs = _docker("logs", open_server.name, check=False).stdout
        found = re.search(r"X-Mock-Admin-Token: (\S+)", logs)
        assert found, logs[-2000:]
        ok = requests.post(open_server.url + "/_mock/tokens", json={"user": "full.admin@acme.example"},
                           headers={"X-Mock-Admin-Token": found.group(1)}, timeout=10)
        assert ok.status_code == 201 and ok.json()["access_token"]


def _token(server, **body) -> str:
    resp = requests.post(server.url + "/_mock/tokens", json={"user": "full.admin@acme.example", **body}, timeout=10)
    assert resp.status_code == 201, resp.text
    return resp.json()["access_token"]


def test_runs_as_non_root(server, image):
    assert _docker("inspect", "-f", "{{.Config.User}}", image).stdout.strip() == "mockserver"
    assert _docker("exec", server.name, "id", "-u").stdout.strip() != "0"


def test_health_reports_the_bundled_fixtures(server):
    body = requests.get(server.url + "/health", timeout=10).json()
    assert body["status"] == "ok" and body["fixtures"]["directory"] == "/srv/mockserver/fixtures"
    assert {o["id"] for o in body["fixtures"]["organizations"]} == {DEMO_ORG, NOLICENSE_ORG}


def test_mock_token_verifies_with_jwks_and_passes_the_guard(server):
    token = _token(server, scopes="cjp:config_read")
    key = jwt.PyJWKClient(server.url + "/.well-known/jwks.json").get_signing_key_from_jwt(jwt_of(token))
    assert jwt.decode(jwt_of(token), key.key, algorithms=["RS256"], issuer=server.url)["org_id"] == DEMO_ORG
    resp = requests.get(f"{server.url}/organization/{DEMO_ORG}/v2/site", headers={"Authorization": f"Bearer {token}"},
                        timeout=10)
    # Past the guard: the configuration API answers 200 where it exists, else the Webex-shaped 404.
    assert resp.status_code in (200, 404), resp.text
    if resp.status_code == 404:
        assert resp.json()["error"]["key"] == "404" and resp.headers["TrackingID"].startswith("ccconfig_")


def test_guard_refuses_tampered_missing_and_foreign_org_tokens(server):
    token = _token(server, scopes="cjp:config_read")
    head, payload, sig = jwt_of(token).split(".")
    url = f"{server.url}/organization/{DEMO_ORG}/v2/site"
    forged = f"{head}.{payload}.{sig[:-4]}AAAA"
    cases = [({"Authorization": f"Bearer {forged}"}, url, 401), ({}, url, 400),
             ({"Authorization": f"Bearer {token}"}, f"{server.url}/organization/{NOLICENSE_ORG}/v2/site", 403)]
    for headers, target, status in cases:
        resp = requests.get(target, headers=headers, timeout=10)
        assert resp.status_code == status and resp.json()["error"]["key"] == str(status), resp.text


def test_authorization_code_flow_in_the_container(server):
    body = exchange(server, code_for(server)).json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 43199 and body["refresh_token"]


def test_stops_cleanly_on_sigterm(server):
    """Last in the module: ``docker stop`` sends SIGTERM; the server exits 0 well before the kill timeout."""
    _docker("stop", "-t", "30", server.name, timeout=60)
    assert _docker("inspect", "-f", "{{.State.ExitCode}}", server.name).stdout.strip() == "0"
