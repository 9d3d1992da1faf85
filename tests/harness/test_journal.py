"""The request journal: fields, redaction, filters, count, clear, and its bound."""
import pytest

from tests.conftest import DEMO_ORG

from .conftest import make_app
from .helpers import bearer, new_org, org_get

READWRITE = "C0ffee0000000000000000000000000000000000000000000000000000000002"


def entries(client, **query):
    resp = client.get("/_mock/journal", query_string=query)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["items"]


def count(client, **query):
    return client.get("/_mock/journal/count", query_string=query).get_json()["count"]


def test_entry_fields(client, rt):
    rt.clock.freeze(1_800_000_000)
    org = new_org(client)
    resp = client.get(f"/organization/{org['id']}/probe-team/t1", query_string={"page": "2"},
                      headers={**bearer(org["tokens"]["full_admin"]), "TrackingId": "TEST-123"})
    [entry] = entries(client)
    assert entry["timeMs"] == 1_800_000_000_000 and entry["method"] == "GET"
    assert entry["path"] == f"/organization/{org['id']}/probe-team/t1" and entry["query"] == {"page": "2"}
    assert entry["status"] == resp.status_code == 404 and entry["orgId"] == org["id"]
    assert entry["clientId"] == "mock-test-client" and entry["user"] == org["admins"]["full_admin"]["id"]
    assert entry["trackingId"] == "TEST-123" and entry["durationMs"] >= 0 and "body" not in entry


def test_guard_rejections_are_journaled_with_the_path_org(client):
    client.get(f"/organization/{DEMO_ORG}/probe-team")  # no Authorization: 400 from the guard
    client.get(f"/organization/{DEMO_ORG}/probe-team", headers={"Authorization": "Bearer not-a-jwt"})  # 401
    got = [(e["status"], e["orgId"], e["user"]) for e in entries(client)]
    assert got == [(400, DEMO_ORG, None), (401, DEMO_ORG, None)]


def test_control_api_is_not_journaled(client):
    new_org(client)
    client.get("/_mock/faults")
    assert entries(client) == []


def test_secrets_are_redacted_in_bodies_and_query(client):
    client.post("/v1/access_token", data={"grant_type": "refresh_token", "client_id": READWRITE,
                                          "client_secret": "mock-secret-readwrite-0002", "refresh_token": "r-123"})
    client.post("/v1/access_token", data={"grant_type": "authorization_code", "client_id": READWRITE,
                                          "code": "c-456", "code_verifier": "v-789"})
    client.post("/health?access_token=q-000", json={"user": {"password": "p-111", "name": "kept"},
                                                    "list": [{"clientSecret": "s-222"}]})
    client.post("/health", data=b"code=raw-333&client_secret=raw-444", content_type="text/plain")
    got = entries(client)
    text = repr(got)
    for secret in ("mock-secret-readwrite-0002", "r-123", "c-456", "v-789", "q-000", "p-111", "s-222",
                   "raw-333", "raw-444", "Bearer"):
        assert secret not in text
    assert got[0]["body"]["client_id"] == READWRITE and got[0]["body"]["client_secret"] == "[redacted]"
    assert got[0]["clientId"] == READWRITE and got[0]["status"] == 400
    assert got[2]["body"] == {"user": {"password": "[redacted]", "name": "kept"},
                              "list": [{"clientSecret": "[redacted]"}]}
    assert got[2]["query"] == {"access_token": "[redacted]"}


def test_large_bodies_are_truncated(client):
    client.post("/health", json={"blob": "x" * 10000})
    [entry] = entries(client)
    assert entry["bodyTruncated"] is True and len(entry["body"]) == 4096 and entry["body"].startswith('{"blob":"xxx')


def test_filters_and_count(client, rt):
    rt.clock.freeze(1_800_000_000)
    a, b = new_org(client), new_org(client)
    org_get(client, a)
    client.delete(f"/organization/{a['id']}/probe-team/t1", headers=bearer(a["tokens"]["full_admin"]))
    client.put(f"/organization/{a['id']}/probe-team/t2", json={}, headers=bearer(a["tokens"]["full_admin"]))
    rt.clock.advance(10)
    client.put(f"/organization/{a['id']}/probe-team/t2/extra", json={}, headers=bearer(a["tokens"]["full_admin"]))
    org_get(client, b)
    client.get(f"/organization/{b['id']}/probe-team", headers=bearer(a["tokens"]["full_admin"]))  # 403, org b in path
    assert count(client, orgId=a["id"]) == 5  # the 403 below carries a's token: it is a's request
    assert count(client, orgId=b["id"]) == 1
    assert count(client, method="put", path="/organization/*/probe-team/*") == 1
    assert count(client, path="/organization/*/probe-team/**") == 3  # not /team itself
    assert count(client, status="403") == 1 and count(client, status="4xx") == 6
    assert count(client, since=1_800_000_010_000) == 3 and count(client, until=1_800_000_000_000) == 3
    assert count(client, clientId="mock-test-client", orgId=b["id"]) == 1
    newest = client.get("/_mock/journal", query_string={"limit": 2}).get_json()
    assert newest["total"] == 6 and [e["seq"] for e in newest["items"]] == [5, 6]
    assert client.get("/_mock/journal", query_string={"status": "abc"}).status_code == 400


def test_clear_one_org_or_all(client):
    a, b = new_org(client), new_org(client)
    org_get(client, a), org_get(client, b), client.get("/health")
    assert client.delete("/_mock/journal", query_string={"orgId": a["id"]}).status_code == 204
    assert count(client, orgId=a["id"]) == 0 and count(client) == 2
    client.delete("/_mock/journal")
    assert count(client) == 0


@pytest.mark.parametrize("size", [1, 50])
def test_journal_stays_within_its_bound(size):
    client = make_app(journal_size=size).test_client()
    for _ in range(size * 5 + 3):
        client.get("/health")
    body = client.get("/_mock/journal").get_json()
    assert len(body["items"]) == body["total"] == body["capacity"] == size
    assert body["dropped"] == size * 4 + 3
    assert body["items"][-1]["seq"] == size * 5 + 3 and body["items"][0]["seq"] == size * 4 + 4


def test_size_zero_switches_the_journal_off():
    client = make_app(journal_size=0).test_client()
    client.get("/health")
    body = client.get("/_mock/journal").get_json()
    assert body["items"] == [] and body["capacity"] == 0 and body["dropped"] == 0


def test_large_bodies_are_cut_without_parsing_and_still_redacted(client):
    raw = '{"password": "p-999", "items": [' + ", ".join(['"' + "x" * 100 + '"'] * 500) + "]}"
    client.post("/health", data=raw, content_type="application/json")
    [entry] = entries(client)
    assert entry["bodyTruncated"] is True and len(entry["body"]) == 4096
    assert "p-999" not in entry["body"] and entry["body"].startswith('{"password": "[redacted]", "items": ["xxx')


def test_recording_survives_a_request_whose_start_hook_never_ran(app, rt):
    from flask import Response

    with app.test_request_context("/organization/x/thing", method="POST", json={"password": "p"}):
        app.process_response(Response(status=418))  # the after hook alone, as when the before hook never ran
    [entry] = rt.journal.query()
    assert entry["durationMs"] is None and entry["status"] == 418 and entry["orgId"] == "x"
    assert entry["body"] == {"password": "[redacted]"}
