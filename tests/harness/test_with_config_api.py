"""The harness around the configuration API: created organisations serve their own data, and only theirs."""
import threading

import pytest
import requests

from mockserver.admin.tenants import ADMIN_ROLES
from mockserver.testing import LiveServer
from tests.conftest import DEMO_ORG

from .conftest import make_app
from .helpers import bearer, new_org


def _all_docs(value):
    """Every object carrying an ``organizationId``, nested ones included."""
    if isinstance(value, dict):
        if "organizationId" in value:
            yield value
        for v in value.values():
            yield from _all_docs(v)
    elif isinstance(value, list):
        for v in value:
            yield from _all_docs(v)


def test_demo_copy_serves_its_own_documents(client, rt):
    org = new_org(client, template="demo")
    h = bearer(org["tokens"]["full_admin"])
    teams = client.get(f"/organization/{org['id']}/team", headers=h).get_json()
    demo_teams = rt.store.list(DEMO_ORG, "team")
    assert len(teams) == len(demo_teams) > 0
    assert {t["organizationId"] for t in teams} == {org["id"]}
    assert not {t["id"] for t in teams} & {t["id"] for t in demo_teams}
    assert {d["organizationId"] for d in _all_docs(rt.store.export(org["id"]))} == {org["id"]}
    # references were rewritten with the ids: a team's site is a site of the copy
    sites = {s["id"] for s in client.get(f"/organization/{org['id']}/site", headers=h).get_json()}
    assert all(t["siteId"] in sites for t in teams if t.get("siteId"))


def test_generated_org_is_re_homed_and_its_admins_are_users(client, rt):
    org = new_org(client, template="generated", users=40, seed=3)
    data = rt.store.export(org["id"])[org["id"]]
    assert len(data["user"]) == 40 and set(org["tokens"]) == set(ADMIN_ROLES)
    assert {d["organizationId"] for d in _all_docs(data)} == {org["id"]}
    ci_users = {u.get("ciUserId") for u in data["user"]}
    assert {a["id"] for a in org["admins"].values()} <= ci_users
    resp = client.get(f"/organization/{org['id']}/v2/user", query_string={"pageSize": 5},
                      headers=bearer(org["tokens"]["readonly_admin"]))
    assert resp.status_code == 200 and resp.get_json()["meta"]["totalRecords"] == 40
    rt.store.delete(org["id"], "user", data["user"][0]["id"])
    client.post(f"/_mock/orgs/{org['id']}/reset")
    assert rt.store.export(org["id"])[org["id"]] == data  # same generator arguments, same tenant


def test_journal_counts_a_team_rename_exactly_once(client):
    org = new_org(client, template="demo")
    h = bearer(org["tokens"]["full_admin"])
    team = client.get(f"/organization/{org['id']}/team", headers=h).get_json()[0]
    resp = client.put(f"/organization/{org['id']}/team/{team['id']}", json={**team, "name": "Renamed"}, headers=h)
    assert resp.status_code == 200
    query = {"orgId": org["id"], "method": "PUT", "path": "/organization/*/team/*"}
    assert client.get("/_mock/journal/count", query_string=query).get_json() == {"count": 1}
    [entry] = client.get("/_mock/journal", query_string=query).get_json()["items"]
    assert entry["status"] == 200 and entry["body"]["name"] == "Renamed"


def test_org_reset_undoes_api_writes_and_snapshot_restores_them(client):
    org = new_org(client, template="demo")
    h = bearer(org["tokens"]["full_admin"])
    url = f"/organization/{org['id']}/site"
    before = client.get(url, headers=h).get_json()
    mm = client.get(f"/organization/{org['id']}/multimedia-profile", headers=h).get_json()[0]["id"]
    assert client.post(url, json={"name": "Extra site", "active": True, "multimediaProfileId": mm},
                       headers=h).status_code == 201
    snap = client.get("/_mock/snapshot", query_string={"orgId": org["id"]}).get_json()
    client.post(f"/_mock/orgs/{org['id']}/reset")
    assert client.get(url, headers=h).get_json() == before
    client.put("/_mock/snapshot", json=snap)
    assert "Extra site" in {s["name"] for s in client.get(url, headers=h).get_json()}


@pytest.fixture
def live():
    with LiveServer(make_app()) as server:
        yield server.url


def _writer(url, org, names, results, barrier):
    with requests.Session() as s:
        s.headers["Authorization"] = f"Bearer {org['tokens']['full_admin']}"
        base = f"{url}/organization/{org['id']}"
        mm = s.get(f"{base}/multimedia-profile", timeout=10).json()[0]["id"]
        barrier.wait(timeout=10)
        codes = [s.post(f"{base}/site", json={"name": n, "active": True, "multimediaProfileId": mm},
                        timeout=10).status_code for n in names]
        results[org["id"]] = (codes, {x["name"] for x in s.get(f"{base}/site", timeout=10).json()})


def test_parallel_writes_stay_in_their_org(live):
    a, b = (requests.post(f"{live}/_mock/orgs", json={"template": "demo"}, timeout=10).json() for _ in range(2))
    names = {a["id"]: [f"Site A{i}" for i in range(15)], b["id"]: [f"Site B{i}" for i in range(15)]}
    results, barrier = {}, threading.Barrier(2)
    threads = [threading.Thread(target=_writer, args=(live, o, names[o["id"]], results, barrier)) for o in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for org, other in ((a, b), (b, a)):
        codes, seen = results[org["id"]]
        assert codes == [201] * 15
        assert set(names[org["id"]]) <= seen and not set(names[other["id"]]) & seen
        journal = requests.get(f"{live}/_mock/journal/count", params={"orgId": org["id"], "method": "POST"},
                               timeout=10).json()
        assert journal == {"count": 15}
