"""Flow store (the vendor's endpoints): import, list, export, publish; the bundled flow round trip."""
from __future__ import annotations

import json

import pytest

from ..conftest import DEMO_ORG, NOLICENSE_ORG, assert_webex_error
from .helpers import CONNECTORS, FLOW_ID, INACTIVE_ID, RW_ID, STORE, http_activity, outputs, upload


def exported(client, h, flow_id=FLOW_ID):
    resp = client.get(f"{STORE}/flows/{flow_id}:export", headers=h)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def with_activity(client, h, props, name="With one activity"):
    doc = exported(client, h)
    doc["name"] = name
    doc["process"]["activities"]["x"] = {"id": "x", "name": props.get("name", "X"), "group": "action",
                                         "properties": {"activityName": "http-request-v2", **props}}
    return doc


def test_bundled_flow_is_listed(client, auth):
    body = client.get(f"{STORE}/flows", headers=auth()).get_json()
    assert [f["name"] for f in body] == ["Demo site and team lookup"]
    assert body[0]["id"] == FLOW_ID and "flowVersion" not in body[0] and body[0]["status"] == "Draft"


def test_import_export_round_trip_of_the_bundled_flow(client, auth, rt):
    h = auth()
    original = exported(client, h)
    copy = {**original, "name": "Round trip"}
    resp = client.post(f"{STORE}/flows:import", data=upload(copy), headers=h)
    assert resp.status_code == 201, resp.get_json()
    new = resp.get_json()
    assert new["name"] == "Round trip" and new["id"] != FLOW_ID and new["version"] == 1
    again = exported(client, h, new["id"])
    for key in ("process", "variables", "description", "flowType"):
        assert again[key] == original[key]
    assert again["flowId"] == new["id"] and again["orgId"] == DEMO_ORG


def test_import_keeps_other_activity_types_as_they_are(client, auth):
    h = auth()
    doc = exported(client, h)
    acts = doc["process"]["activities"]
    play = next(a for a in acts.values() if a["properties"].get("activityName") == "play-message")
    play["properties"]["customThing"] = {"nested": [1, 2, 3]}
    doc["name"] = "Other types"
    new = client.post(f"{STORE}/flows:import", data=upload(doc), headers=h).get_json()
    assert exported(client, h, new["id"])["process"]["activities"][play["id"]] == play


def test_import_duplicate_name_is_409_and_overwrite_replaces(client, auth):
    h = auth()
    doc = exported(client, h)
    assert_webex_error(client.post(f"{STORE}/flows:import", data=upload(doc), headers=h), 409, "same name")
    doc["description"] = "Second version"
    resp = client.post(f"{STORE}/flows:import?overwrite=true", data=upload(doc), headers=h)
    assert resp.status_code == 201
    assert (resp.get_json()["id"], resp.get_json()["version"]) == (FLOW_ID, 2)
    assert exported(client, h)["description"] == "Second version"


@pytest.mark.parametrize("raw, reason", [
    (b"{not json", "parse error"),
    (b"[1, 2]", "parse error"),
    (json.dumps({"name": "  "}).encode(), "name is empty"),
    (json.dumps({"name": "X", "flowType": "WORKFLOW"}).encode(), "Invalid flow type"),
    (json.dumps({"name": "X", "process": {"activities": []}}).encode(), "process.activities"),
])
def test_import_bad_file_is_400(client, auth, rt, raw, reason):
    assert_webex_error(client.post(f"{STORE}/flows:import", data=upload(raw), headers=auth()), 400, reason)
    assert rt.store.count(DEMO_ORG, "flow") == 1


def test_import_without_file_is_400(client, auth):
    assert_webex_error(client.post(f"{STORE}/flows:import", data={}, headers=auth()), 400, "file")


@pytest.mark.parametrize("props, reason", [
    ({"outputVariableArray": outputs(x="$.data[")}, "$.data["),
    ({"outputVariableArray": outputs(x="$[?match(@.a, '(a+)+$')]")}, "match"),
    ({"outputVariableArray": outputs(x="$." + "a." * 300 + "b")}, "longer than"),
    ({"connectorId": None}, "connectorId"),
    ({"httpRequestPath": "no-slash"}, "httpRequestPath"),
    ({"httpRequestMethod": "FETCH"}, "httpRequestMethod"),
    ({"httpResponseTimeout": "soon"}, "httpResponseTimeout"),
    ({"retryAttempts": 50}, "retryAttempts"),
    ({"authenticated": False, "httpRequestUrl": ""}, "httpRequestUrl"),
    ({"httpQueryParameters": ["a"]}, "httpQueryParameters"),
])
def test_import_invalid_http_activity_is_400_naming_it(client, auth, rt, props, reason):
    doc = with_activity(client, auth(), http_activity(name="BadOne", **props))
    body = assert_webex_error(client.post(f"{STORE}/flows:import", data=upload(doc), headers=auth()), 400, reason)
    assert "BadOne" in body["error"]["reason"]
    assert rt.store.count(DEMO_ORG, "flow") == 1


def test_import_accepts_exported_number_strings_and_empty_parse_rows(client, auth):
    props = http_activity(httpResponseTimeout="5000", outputVariableArray=[{"outputVariable": "S", "jsonPathExp": ""}])
    doc = with_activity(client, auth(), props)
    assert client.post(f"{STORE}/flows:import", data=upload(doc), headers=auth()).status_code == 201


def test_import_needs_config_write_scope_and_an_admin(client, auth):
    read_only = auth(scopes=["cjp:config_read"])
    assert_webex_error(client.post(f"{STORE}/flows:import", data=upload({"name": "x"}), headers=read_only), 403,
                       "cjp:config_write")
    agent = auth(user="agent@acme.example")
    assert_webex_error(client.get(f"{STORE}/flows", headers=agent), 403, "roles")


def test_other_orgs_flows_are_403(client, auth):
    assert_webex_error(client.get(f"{STORE}/flows", headers=auth(user="full.admin@globex.example")), 403,
                       "organization")
    other = f"/flow-store/{NOLICENSE_ORG}/project/p/flows"
    assert client.get(other, headers=auth(user="full.admin@globex.example")).get_json() == []


def test_list_parameters(client, auth):
    h = auth()
    doc = exported(client, h)
    for name, ftype in (("Alpha", "FLOW"), ("Beta", "FLOW"), ("Sub one", "SUBFLOW")):
        client.post(f"{STORE}/flows:import?flowType={ftype}", data=upload({**doc, "name": name}), headers=h)
    names = lambda q: [f["name"] for f in client.get(f"{STORE}/flows{q}", headers=h).get_json()]  # noqa: E731
    assert names("") == ["Demo site and team lookup", "Alpha", "Beta"]
    assert names("?flowType=SUBFLOW") == ["Sub one"]
    assert names("?partialNameSearch=ALP") == ["Alpha"]
    assert names("?size=2&page=1") == ["Beta"]
    assert names(f"?ids={FLOW_ID}") == ["Demo site and team lookup"]
    paged = client.get(f"{STORE}/flows?includePagination=true&size=2", headers=h).get_json()
    assert paged["meta"]["totalRecords"] == 3 and len(paged["data"]) == 2
    # Named as the vendor's includePagination text says: currentPage, totalRecords, pageSize, totalPages.
    assert {k: paged["meta"][k] for k in ("currentPage", "totalRecords", "pageSize", "totalPages")} == \
        {"currentPage": 0, "totalRecords": 3, "pageSize": 2, "totalPages": 2}
    assert "page" not in paged["meta"]
    assert_webex_error(client.get(f"{STORE}/flows?size=0", headers=h), 400, "size")
    assert_webex_error(client.get(f"{STORE}/flows?page=2147483648", headers=h), 400, "page")


def test_export_unknown_flow_or_version_is_404(client, auth):
    assert_webex_error(client.get(f"{STORE}/flows/nope:export", headers=auth()), 404, "nope")
    assert_webex_error(client.get(f"{STORE}/flows/{FLOW_ID}:export?version=7", headers=auth()), 404, "version")
    assert client.get(f"{STORE}/flows/{FLOW_ID}:export?version=1", headers=auth()).status_code == 200


def test_publish_marks_published_with_tags(client, auth):
    resp = client.post(f"{STORE}/flows/{FLOW_ID}:publish", json={"comment": "go", "tagIds": ["Live"]}, headers=auth())
    body = resp.get_json()
    assert resp.status_code == 200 and body["status"] == "Published"
    assert {t["id"] for t in body["tags"]} == {"Live", "Latest"}
    assert body["latestVersion"]["comment"] == "go" and body["flowVersions"] == [body["latestVersion"]["id"]]
    assert client.get(f"{STORE}/flows", headers=auth()).get_json()[0]["status"] == "Published"


def test_publish_unknown_tag_is_400(client, auth):
    assert_webex_error(client.post(f"{STORE}/flows/{FLOW_ID}:publish", json={"tagIds": ["Prod"]}, headers=auth()),
                       400, "Prod")


def test_r15_publish_refused_while_a_connector_is_deleted(client, auth):
    h = auth()
    client.post(f"{CONNECTORS}/{RW_ID}/deactivate", headers=h)
    assert client.delete(f"{CONNECTORS}/{RW_ID}", headers=h).status_code == 204
    body = assert_webex_error(client.post(f"{STORE}/flows/{FLOW_ID}:publish", json={}, headers=h), 400,
                              "no longer exists")
    assert "CreateOverflowTeam" in body["error"]["reason"]


def test_bundled_flow_uses_the_demo_connectors(rt):
    from mockserver.flows.activity import activities

    http, other = activities(rt.store.get(DEMO_ORG, "flow", FLOW_ID)["flowVersion"])
    assert [a.name for a in http] == ["GetSites", "GetTeamsOfSite", "CreateOverflowTeam"]
    assert {a.connector_id for a in http} == {"c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a21", RW_ID}
    assert INACTIVE_ID not in {a.connector_id for a in http}
    assert [a["type"] for a in other] == ["NewPhoneContact", "condition-activity", "play-message",
                                         "disconnect-contact"]


def test_activity_without_the_toggle_is_authenticated_unless_it_only_has_a_url(rt):
    from mockserver.flows.activity import parse

    assert parse("a", "A", {"connectorId": RW_ID, "httpRequestPath": "/x"}).authenticated is True
    assert parse("b", "B", {"httpRequestUrl": "https://example.com/x"}).authenticated is False


def test_flows_calling_external_urls_import_and_report_no_connector(client, auth):
    props = {"name": "External", "authenticated": False, "httpRequestUrl": "https://api.example.com/v1/{{id}}",
             "connectorId": None, "httpRequestMethod": "GET", "httpResponseTimeout": "5000", "retryAttempts": 1}
    doc = with_activity(client, auth(), props, name="Calls elsewhere")
    flow = client.post(f"{STORE}/flows:import", data=upload(doc), headers=auth()).get_json()["id"]
    rows = client.get(f"/_mock/flows/{DEMO_ORG}/{flow}/status").get_json()["activities"]
    external = next(r for r in rows if r["name"] == "External")
    assert external["connectorId"] is None and external["requestUrl"] == "https://api.example.com/v1/{{id}}"
    assert "outside the mock" in external["note"]


def test_publish_body_that_is_not_valid_unicode_is_400(client, auth):
    resp = client.post(f"{STORE}/flows/{FLOW_ID}:publish", data='{"comment": "\\udc00"}',
                       content_type="application/json", headers=auth())
    assert_webex_error(resp, 400, "not valid JSON")
    assert_webex_error(client.post(f"{STORE}/flows:import", data=upload(b'{"name": "\\ud800"}'), headers=auth()),
                       400, "parse error")
