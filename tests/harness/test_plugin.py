"""The pytest plugin, used from a sample test project through pytester."""
import mockserver.harness_client  # noqa: F401  (imported before pytester snapshots sys.modules: the inner
import mockserver.inprocess  # noqa: F401          runs must share these modules, and flask's context variables)
import mockserver.pytest_plugin  # noqa: F401

pytest_plugins = ["pytester"]

SAMPLE = '''
import requests
import pytest

def test_reads_sites(wxcc):
    resp = wxcc.session.get(wxcc.url("/organization/{orgId}/v2/site"))
    assert resp.status_code == 404   # no resource routes in this build: an authenticated 404
    assert wxcc.journal.count(method="GET", path="/organization/*/v2/site") == 1

def test_orgs_are_fresh(wxcc):
    assert wxcc.journal.count() == 0
    assert set(wxcc.admins) >= {"full_admin", "readonly_admin"}
'''


def test_plugin_live_server(pytester):
    pytester.makepyfile(test_sample=SAMPLE)
    result = pytester.runpytest("-p", "mockserver.pytest_plugin")
    result.assert_outcomes(passed=2)


def test_plugin_inprocess(pytester):
    pytester.makepyfile(test_sample=SAMPLE)
    result = pytester.runpytest("-p", "mockserver.pytest_plugin", "--wxcc-inprocess")
    result.assert_outcomes(passed=2)
