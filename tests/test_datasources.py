"""Data sources (``/dataSources``): the spec's scopes, the organisation of the token, answers that fit the spec."""
from __future__ import annotations

import pytest

from . import vendor_spec
from .conftest import DEMO_ORG, NOLICENSE_ORG, assert_webex_error

READ, WRITE = "spark-admin:datasource_read", "spark-admin:datasource_write"
SCHEMA_ID = "78efc775-dccb-45ca-9acf-989a4a59f788"
BODY = {"audience": "MedDocVirtualAgent", "nonce": "jeieu38udue83u398", "schemaId": SCHEMA_ID,
        "subject": "callAudioData", "tokenLifetimeMinutes": 60, "url": "https://www.byods.example/service1"}


@pytest.fixture
def ds(client, auth):
    headers = auth(scopes=[READ, WRITE])
    return lambda method, path="", body=None, h=None: client.open(f"/dataSources{path}", method=method, json=body,
                                                                  headers=h or headers)


def fits(resp, method, path, status="200"):
    """The body validates against the spec's documented response for the operation."""
    _, op = vendor_spec.operation(method, path)
    assert str(resp.status_code) == status, resp.get_data(as_text=True)
    schema = vendor_spec.response_schema(op, status)
    body = resp.get_json()
    assert vendor_spec.errors(schema, body) == []
    return body


def test_register_read_change_and_delete(ds):
    made = fits(ds("POST", "", BODY), "POST", "/dataSources")
    assert made["status"] == "active" and made["orgId"] == DEMO_ORG and {k: made[k] for k in BODY} == BODY
    listed = fits(ds("GET", "/"), "GET", "/dataSources/")
    assert [d["id"] for d in listed["items"]] == [made["id"]]
    assert ds("GET").get_json() == listed  # with or without the trailing slash
    one = fits(ds("GET", f"/{made['id']}"), "GET", "/dataSources/{dataSourceId}")
    assert one == made
    changed = fits(ds("PUT", f"/{made['id']}", {"status": "disabled", "errorMessage": "down for maintenance"}),
                   "PUT", "/dataSources/{dataSourceId}")
    assert changed["status"] == "disabled" and changed["errorMessage"] == "down for maintenance"
    assert ds("GET", f"/{made['id']}").get_json()["status"] == "disabled"
    again = ds("PUT", f"/{made['id']}", {"status": "active"}).get_json()
    assert again["status"] == "active" and "errorMessage" not in again
    resp = ds("DELETE", f"/{made['id']}")
    assert resp.status_code == 204 and resp.get_data() == b""
    assert_webex_error(ds("GET", f"/{made['id']}"), 404, made["id"])
    assert ds("GET").get_json() == {"items": []}


def test_schemas_need_only_a_valid_token(client, auth):
    headers = auth(scopes=["cjp:config_read"])
    body = fits(client.get("/dataSources/schemas", headers=headers), "GET", "/dataSources/schemas")
    assert SCHEMA_ID in [s["id"] for s in body["items"]]
    one = fits(client.get(f"/dataSources/schemas/{SCHEMA_ID}", headers=headers), "GET",
               "/dataSources/schemas/{schemaId}")
    assert one["id"] == SCHEMA_ID
    assert_webex_error(client.get("/dataSources/schemas/nope", headers=headers), 404, "nope")
    assert_webex_error(client.get("/dataSources/schemas", headers={"Authorization": "Bearer junk"}), 401)


def test_the_spec_scopes_decide(client, auth, ds):
    made = ds("POST", "", BODY).get_json()
    reader = auth(scopes=[READ])
    assert client.get("/dataSources", headers=reader).status_code == 200
    assert_webex_error(client.post("/dataSources", json=BODY, headers=reader), 403, WRITE)
    assert_webex_error(client.delete(f"/dataSources/{made['id']}", headers=reader), 403, WRITE)
    config_admin = auth()
    assert_webex_error(client.get("/dataSources", headers=config_admin), 403, READ)
    assert_webex_error(client.get("/dataSources"), 400, "Authorization")


def test_data_sources_belong_to_the_tokens_organisation(client, ds):
    made = ds("POST", "", BODY).get_json()
    minted = client.post("/_mock/tokens", json={"orgId": NOLICENSE_ORG, "roles": [], "scopes": [READ, WRITE]})
    other = {"Authorization": f"Bearer {minted.get_json()['access_token']}"}
    assert client.get("/dataSources", headers=other).get_json() == {"items": []}
    assert_webex_error(client.get(f"/dataSources/{made['id']}", headers=other), 404)
    assert client.post("/dataSources", json=BODY, headers=other).status_code == 200  # its own, no clash


@pytest.mark.parametrize("change,reason", [
    ({"schemaId": "nope"}, "schemaId"), ({"url": "http://plain.example"}, "url"),
    ({"tokenLifetimeMinutes": 1441}, "tokenLifetimeMinutes"), ({"tokenLifetimeMinutes": "60"}, "tokenLifetimeMinutes"),
    ({"audience": None}, "audience"), ({"colour": "red"}, "colour"), ({"nonce": 5}, "nonce"),
])
def test_bad_registrations_are_400_naming_the_field(ds, change, reason):
    body = {k: v for k, v in {**BODY, **change}.items() if v is not None}
    assert_webex_error(ds("POST", "", body), 400, reason)
    assert ds("GET").get_json() == {"items": []}


def test_duplicates_and_bad_changes(ds):
    made = ds("POST", "", BODY).get_json()
    assert_webex_error(ds("POST", "", BODY), 409, BODY["url"])
    assert_webex_error(ds("PUT", f"/{made['id']}", {"status": "paused"}), 400, "status")
    assert_webex_error(ds("PUT", "/ghost", {"status": "active"}), 404)
    assert_webex_error(ds("DELETE", "/ghost"), 404)
    assert_webex_error(ds("POST", "", [1, 2]), 400)
