"""The pytest plugin, used from a sample test project through pytester (live server, in-process, external)."""
import mockserver.testing.client  # noqa: F401  (imported before pytester snapshots sys.modules: the inner
import mockserver.testing.inprocess  # noqa: F401          runs must share these modules and flask's context variables)
import mockserver.testing.plugin  # noqa: F401
from mockserver.testing import LiveServer

from .conftest import make_app

pytest_plugins = ["pytester"]


def _plugin() -> list[str]:
    """``-p mockserver.testing.plugin`` in a checkout; nothing when installed (the entry point loads it, and
    registering the module a second time under another name is an error)."""
    from importlib.metadata import entry_points

    installed = any(ep.value == "mockserver.testing.plugin" for ep in entry_points(group="pytest11"))
    return [] if installed else ["-p", "mockserver.testing.plugin"]


# The README's example, verbatim.
README_EXAMPLE = '''
def test_client_survives_a_503(wxcc):
    wxcc.faults.add(method="GET", path="/organization/*/team", status=503, times=1)
    url = wxcc.url("/organization/{orgId}/team")
    first, second = wxcc.session.get(url), wxcc.session.get(url)
    assert first.status_code == 503 and first.json()["error"]["key"] == "503"   # the injected fault, once
    assert second.status_code == 200 and second.json()[0]["organizationId"] == wxcc.org_id
    assert wxcc.journal.count(method="GET", path="/organization/*/team") == 2

def test_tokens_expire(wxcc):
    token = wxcc.token(role="readonly_admin")
    wxcc.clock.advance(12 * 3600)
    resp = wxcc.session.get(wxcc.url("/organization/{orgId}/team"), headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401 and "expired" in resp.json()["error"]["reason"]
'''

SAMPLE = README_EXAMPLE + '''
import pytest
import requests

SEEN = []

@pytest.mark.wxcc(template="empty", flex3=False)
def test_marker_and_helpers(wxcc):
    SEEN.append(wxcc.org_id)
    assert wxcc.info["template"] == "empty" and wxcc.info["flex3"] is False
    wxcc.rate_limit(limit=2, window_seconds=60)
    wxcc.clock.freeze()
    url = wxcc.url("/organization/{orgId}/harness-probe")   # unrouted: 404 once past the guard
    assert [wxcc.session.get(url).status_code for _ in range(3)] == [404, 404, 429]
    helpdesk = wxcc.token(user=wxcc.admins["helpdesk_admin"]["email"])
    other = requests.get(url, headers={"Authorization": "Bearer " + helpdesk})
    assert other.status_code == 429   # same client id, same organisation: same budget
    snap = wxcc.snapshot()
    wxcc.reset()
    wxcc.restore(snap)
    assert [f["orgId"] for f in wxcc.faults.list()] == []

def test_each_test_gets_a_fresh_org_and_the_last_one_is_gone(wxcc):
    assert SEEN and SEEN[0] != wxcc.org_id
    ids = [o["id"] for o in requests.get(wxcc.base_url + "/_mock/orgs").json()["items"]]
    assert SEEN[0] not in ids and wxcc.org_id in ids
    assert wxcc.journal.count() == 0
    assert abs(requests.get(wxcc.base_url + "/_mock/clock").json()["offsetSeconds"]) < 1  # put back
'''


def test_plugin_with_a_live_server(pytester):
    pytester.makepyfile(test_sample=SAMPLE)
    result = pytester.runpytest(*_plugin())
    result.assert_outcomes(passed=4)


def test_plugin_in_process(pytester):
    pytester.makepyfile(test_sample=SAMPLE + '''
def test_no_socket(wxcc):
    assert wxcc.base_url == "http://wxcc-mock.invalid" and wxcc.server.inprocess
''')
    result = pytester.runpytest(*_plugin(), "--wxcc-inprocess")
    result.assert_outcomes(passed=5)


def test_plugin_against_a_running_server_with_admin_token(pytester):
    app = make_app(admin_token="adm1n")
    with LiveServer(app) as live:
        pytester.makepyfile(test_sample=README_EXAMPLE)
        pytester.makeini(f"[pytest]\nwxcc_url = {live.url}\n")
        result = pytester.runpytest(*_plugin())
        result.assert_outcomes(errors=2)  # without the admin token the organisation cannot be created
        result.stdout.fnmatch_lines(["*ControlError*401*admin token*"])
        result = pytester.runpytest(*_plugin(), "--wxcc-admin-token", "adm1n")
        result.assert_outcomes(passed=2)
        # every organisation the session created was deleted again
        assert [o["fixture"] for o in app.test_client().get(
            "/_mock/orgs", headers={"X-Mock-Admin-Token": "adm1n"}).get_json()["items"]] == [True, True]


def test_plugin_reports_a_failing_control_call(pytester):
    pytester.makepyfile(test_sample='''
import pytest

@pytest.mark.wxcc(template="nonsense")
def test_x(wxcc):
    pass
''')
    result = pytester.runpytest(*_plugin(), "--wxcc-inprocess")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ControlError: POST */_mock/orgs -> 400*template*"])


def test_readme_example_is_the_tested_one():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for page in ("README.md", "docs/pytest-plugin.md"):
        assert README_EXAMPLE.strip() in (root / page).read_text(), page


def test_plugin_server_ignores_a_dev_servers_settings(pytester, monkeypatch, tmp_path):
    monkeypatch.setenv("MOCKSERVER_STORAGE", str(tmp_path / "dev-state.db"))
    monkeypatch.setenv("MOCKSERVER_ADMIN_TOKEN", "dev-token")
    monkeypatch.setenv("MOCKSERVER_PUBLIC_BASE_URL", "https://mock.example.com")
    pytester.makepyfile(test_sample=README_EXAMPLE)
    pytester.runpytest(*_plugin()).assert_outcomes(passed=2)
    assert not (tmp_path / "dev-state.db").exists()
