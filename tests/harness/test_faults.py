"""Fault rules: status, nth call, N times, seeded probability, latency, dropped connections, expiry."""
import pytest
import requests

from mockserver.admin.hooks import DroppedConnection
from mockserver.testing import LiveServer
from tests.conftest import assert_webex_error

from .conftest import make_app
from .helpers import PROBE, new_org, org_get


def add(client, **rule):
    resp = client.post("/_mock/faults", json=rule)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def statuses(client, n, path="/health"):
    return [client.get(path).status_code for _ in range(n)]


def test_status_fault_has_the_webex_body(client):
    add(client, path="/health", status=503, reason="Service temporarily unavailable.")
    body = assert_webex_error(client.get("/health"), 503, "temporarily unavailable")
    assert body["error"]["key"] == "503"
    [entry] = client.get("/_mock/journal").get_json()["items"]
    assert entry["status"] == 503 and entry["faults"] == ["fault-1"]


def test_status_with_retry_after(client):
    add(client, path="/health", status=429, retryAfter=7)
    resp = client.get("/health")
    assert_webex_error(resp, 429)
    assert resp.headers["Retry-After"] == "7"


def test_faults_on_the_token_endpoint_answer_in_oauth_shape(client):
    add(client, path="/v1/access_token", status=503, reason="Down for maintenance.", retryAfter=30)
    resp = client.post("/v1/access_token", data={"grant_type": "refresh_token"})
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "30"
    assert resp.get_json() == {"error": "temporarily_unavailable", "error_description": "Down for maintenance."}


def test_nth_call_for_n_times(client):
    rule = add(client, path="/health", status=500, nth=3, times=2)
    assert statuses(client, 6) == [200, 200, 500, 500, 200, 200]
    got = client.get(f"/_mock/faults/{rule['id']}").get_json()
    assert got["calls"] == 6 and got["fired"] == 2


def test_method_org_and_path_glob_must_all_match(client):
    a, b = new_org(client), new_org(client)
    add(client, orgId=a["id"], method="GET", path="/organization/*" + PROBE, status=502)
    assert org_get(client, a).status_code == 502
    assert org_get(client, b).status_code == 404  # other org
    assert org_get(client, a, PROBE + "/x").status_code == 404  # * stays within one segment
    assert client.get("/health").status_code == 200


def test_seeded_probability_reproduces_exactly():
    def run(seed):
        client = make_app().test_client()
        add(client, path="/health", status=503, probability=0.5, seed=seed)
        return statuses(client, 40)

    first = run(7)
    assert first == run(7)
    assert 0 < first.count(503) < 40
    assert first != run(8)


def test_latency_then_normal_answer(client):
    add(client, path="/health", latencyMs=30, times=1)
    assert client.get("/health").status_code == 200
    [entry] = client.get("/_mock/journal").get_json()["items"]
    assert entry["durationMs"] >= 30 and entry["faults"] == ["fault-1"]


def test_latencies_add_up_and_the_first_status_rule_decides(client):
    slow = add(client, path="**", latencyMs=5)
    first = add(client, path="/health", status=503, times=1)
    second = add(client, path="/health", drop=True)
    assert client.get("/health").status_code == 503
    [entry] = client.get("/_mock/journal").get_json()["items"]
    assert entry["faults"] == [slow["id"], first["id"]]
    assert client.get(f"/_mock/faults/{second['id']}").get_json()["calls"] == 0  # not consulted
    with pytest.raises(DroppedConnection):
        client.get("/health")


def test_random_latency_is_bounded_and_validated(client):
    rule = add(client, path="/health", latencyMs={"min": 1, "max": 5})
    assert rule["latencyMs"] == {"min": 1.0, "max": 5.0}
    assert client.get("/health").status_code == 200
    assert_webex_error(client.post("/_mock/faults", json={"latencyMs": {"min": 5, "max": 1}}), 400, "latencyMs")
    assert_webex_error(client.post("/_mock/faults", json={"latencyMs": "slow"}), 400, "latencyMs")


def test_drop_in_process_raises_and_is_journaled(client):
    add(client, path="/health", drop=True, times=1)
    with pytest.raises(DroppedConnection):
        client.get("/health")
    assert client.get("/health").status_code == 200
    first = client.get("/_mock/journal").get_json()["items"][0]
    assert first["status"] == "dropped"
    assert client.get("/_mock/journal/count", query_string={"status": "dropped"}).get_json()["count"] == 1


@pytest.mark.parametrize("server", ["granian", "waitress"])
def test_drop_closes_the_socket_without_a_response(server):
    app = make_app()
    with LiveServer(app, server=server) as live:
        requests.post(live.url + "/_mock/faults", json={"path": "/health", "drop": True, "times": 1}, timeout=5)
        with pytest.raises(requests.ConnectionError, match="without response"):
            requests.get(live.url + "/health", timeout=5)
        assert requests.get(live.url + "/health", timeout=5).status_code == 200
        [dropped] = requests.get(live.url + "/_mock/journal", params={"status": "dropped"}, timeout=5).json()["items"]
        assert dropped["path"] == "/health"


@pytest.mark.parametrize("server", ["granian", "waitress"])
def test_drop_on_a_kept_alive_connection_spares_the_others(server):
    """Two clients with kept-alive connections: only the request the rule fired on loses its connection."""
    with LiveServer(make_app(), server=server) as live, requests.Session() as mine, requests.Session() as other:
        assert other.get(live.url + "/health", timeout=5).status_code == 200
        assert mine.get(live.url + "/health", timeout=5).status_code == 200
        mine.post(live.url + "/_mock/faults", json={"path": "/health", "drop": True, "times": 1}, timeout=5)
        with pytest.raises(requests.ConnectionError, match="without response"):
            mine.get(live.url + "/health", timeout=5)
        resp = other.get(live.url + "/health", timeout=5)
        assert resp.status_code == 200 and resp.json()["status"]
        assert mine.get(live.url + "/health", timeout=5).status_code == 200  # a new connection works


@pytest.mark.parametrize("server", ["granian", "waitress"])
def test_latency_and_status_faults_over_http(server):
    with LiveServer(make_app(), server=server) as live:
        requests.post(live.url + "/_mock/faults", json={"path": "/health", "status": 503, "retryAfter": 2,
                                                        "latencyMs": 50, "times": 1}, timeout=5)
        resp = requests.get(live.url + "/health", timeout=5)
        assert resp.status_code == 503 and resp.headers["Retry-After"] == "2"
        assert resp.json()["error"]["key"] == "503"
        assert resp.elapsed.total_seconds() >= 0.05
        assert requests.get(live.url + "/health", timeout=5).status_code == 200


def test_expiry_follows_the_mock_clock(client, rt):
    rt.clock.freeze(1_800_000_000)
    rule = add(client, path="/health", status=500, expiresInSeconds=60)
    assert rule["expiresAt"] == 1_800_000_060
    assert client.get("/health").status_code == 500
    rt.clock.advance(60)
    assert client.get("/health").status_code == 200
    assert client.get("/_mock/faults").get_json()["items"] == []


def test_list_delete_and_clear(client):
    a = new_org(client)
    r1 = add(client, path="/health", status=500)
    r2 = add(client, orgId=a["id"], status=500)
    assert [r["id"] for r in client.get("/_mock/faults").get_json()["items"]] == [r1["id"], r2["id"]]
    mine = client.get("/_mock/faults", query_string={"orgId": a["id"]}).get_json()["items"]
    assert [r["id"] for r in mine] == [r2["id"]]
    assert client.delete(f"/_mock/faults/{r1['id']}").status_code == 204
    assert_webex_error(client.delete(f"/_mock/faults/{r1['id']}"), 404, r1["id"])
    assert_webex_error(client.get(f"/_mock/faults/{r1['id']}"), 404, r1["id"])
    assert client.delete("/_mock/faults", query_string={"orgId": a["id"]}).status_code == 204
    assert client.get("/_mock/faults").get_json()["items"] == []


@pytest.mark.parametrize("rule, field", [
    ({}, "status"), ({"status": 200}, "status"), ({"drop": True, "status": 500}, "drop"),
    ({"status": 500, "probability": 2}, "probability"), ({"status": 500, "method": "FETCH"}, "method"),
    ({"status": 500, "nth": 0}, "nth"), ({"drop": True, "retryAfter": 3}, "retryAfter")])
def test_invalid_rules_are_400(client, rule, field):
    assert_webex_error(client.post("/_mock/faults", json=rule), 400, field)
    assert client.get("/_mock/faults").get_json()["items"] == []


def test_control_api_is_never_faulted(client):
    add(client, path="**", status=500)
    assert client.get("/_mock/faults").status_code == 200
    assert client.get("/health").status_code == 500
