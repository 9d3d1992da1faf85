"""Harness tests: the same per-test app as tests/conftest.py, signing with one key generated per session.

Generating an RSA key is most of ``create_app``'s cost; a fresh app per test still gets fresh state.
"""
import pytest

from mockserver import create_app

_KEY = {}


@pytest.fixture(scope="session", autouse=True)
def signing_key(tmp_path_factory):
    """A PEM path; the first app generates the key into it, the others load it."""
    _KEY["path"] = str(tmp_path_factory.mktemp("keys") / "signing.pem")
    return _KEY["path"]


def make_app(**config):
    """An app like the ``app`` fixture's (quiet, in memory), with the session's signing key."""
    return create_app({"access_log": False, "signing_key": _KEY.get("path", ""), **config})


@pytest.fixture
def app(signing_key):
    return make_app()
