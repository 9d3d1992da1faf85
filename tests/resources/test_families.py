"""The operations of the newer configuration families beyond the shared contract: numbers, exports, purge,
resource collections, the AI settings and auto-CSAT questions."""
from __future__ import annotations

from ..conftest import assert_webex_error


def test_all_numbers_is_a_bare_array_of_every_number(cfg):
    made = [cfg.create("contact-number")["number"] for _ in range(3)]
    resp = cfg.get(cfg.url("contact-number/all-numbers"))
    assert resp.status_code == 200 and resp.get_json() == made
    assert_webex_error(cfg.post(cfg.url("contact-number"), {"number": "+1 555"}), 400, "number")


def test_bulk_export_holds_what_the_list_holds_page_by_page(cfg):
    plans = [cfg.create("dial-plan", prefix="9", strippedChars="-") for _ in range(3)]
    page0 = cfg.get(cfg.url("dial-plan/bulk-export", page=0, pageSize=2)).get_json()
    assert (page0["totalResources"], page0["pageNumber"], page0["pageSize"], page0["rel"]) == (3, 0, 2, "next")
    assert page0["resources"] == [{"name": p["name"], "regularExpression": p["regularExpression"], "prefix": "9",
                                   "strippedChars": "-"} for p in plans[:2]]
    page1 = cfg.get(cfg.url("dial-plan/bulk-export", page=1, pageSize=2)).get_json()
    assert page1["rel"] == "last" and [r["name"] for r in page1["resources"]] == [plans[2]["name"]]
    number = cfg.create("contact-number")
    assert cfg.get(cfg.url("contact-number/bulk-export")).get_json()["resources"] == [{"number": number["number"]}]
    wt = cfg.create("work-type", description="Back office")
    rows = cfg.get(cfg.url("work-type/bulk-export")).get_json()["resources"]
    assert rows == [{"name": wt["name"], "description": "Back office", "workTypeCode": "IDLE_CODE"}]


def test_purge_removes_inactive_work_types_nothing_references(cfg):
    keep = cfg.create("work-type")
    gone = cfg.create("work-type", active=False)
    resp = cfg.post(cfg.url("work-type/purge-inactive-entities"), None)
    assert resp.status_code == 200
    assert resp.get_json()["details"]["purgedIds"] == [gone["id"]]
    assert cfg.get(cfg.url("work-type/<id>", keep["id"])).status_code == 200
    assert_webex_error(cfg.get(cfg.url("work-type/<id>", gone["id"])), 404)


def test_a_collection_counts_its_resources_and_files_new_ones(cfg):
    coll = cfg.create("resource-collection")
    assert coll["resourceCount"] == 1
    site = cfg.create("site")
    queue = cfg.create("contact-service-queue")
    for rtype, rid in (("site", site["id"]), ("contact-service-queue", queue["id"])):
        resp = cfg.post(cfg.url("resource-collection/update-resource"),
                        {"resourceType": rtype, "resourceId": rid, "resourceCollections": [{"id": coll["id"]}]})
        assert resp.status_code == 201 and resp.get_json() == {
            "response": [{"id": coll["id"], "resourceType": rtype, "status": 200}]}
    after = cfg.get(cfg.url("resource-collection/<id>", coll["id"])).get_json()
    assert after["resourceCount"] == 3 and after["version"] == 2
    assert {r["name"]: len(r["ids"]) for r in after["resources"]} == {"site": 2, "contact-service-queue": 1}
    missing = cfg.post(cfg.url("resource-collection/update-resource"),
                       {"resourceType": "site", "resourceId": site["id"], "resourceCollections": [{"id": "nope"}]})
    assert missing.get_json()["response"][0]["status"] == 404
    assert_webex_error(cfg.post(cfg.url("resource-collection/update-resource"),
                                {"resourceType": "site", "resourceId": "no-such-site"}), 400, "resourceId")
    assert_webex_error(cfg.post(cfg.url("resource-collection/update-resource"), {"resourceId": "x"}), 400,
                       "resourceType")


def test_a_collection_in_use_by_a_profile_refuses_deletion(cfg):
    coll = cfg.create("resource-collection")
    profile = cfg.create("user-profile", defaultResourceCollectionId=coll["id"])
    body = assert_webex_error(cfg.delete(cfg.url("resource-collection/<id>", coll["id"])), 412)
    assert body["error"]["referencedEntities"] == ["user-profile"]
    assert profile["defaultResourceCollectionId"] == coll["id"]


def test_ai_features_are_patched_one_sub_feature_at_a_time(cfg):
    doc = cfg.seed("ai-feature", cfg.payload("ai-feature"))
    url = cfg.url("ai-feature/<id>", doc["id"])
    resp = cfg.patch(url, {"suggestedResponses": {"enable": True}})
    assert resp.status_code == 200
    after = resp.get_json()
    assert after["suggestedResponses"] == {"enable": True} and after["agentWellbeing"] == doc["agentWellbeing"]
    assert after["version"] == 1
    assert_webex_error(cfg.patch(url, {"agentWellbeing": {"enable": True}}), 400, "agentInclusionType")
    assert_webex_error(cfg.patch(url, {"autoCSAT": {"enable": True, "selectedGlobalVariableId": "nope"}}), 400,
                       "autoCSAT.selectedGlobalVariableId")
    assert_webex_error(cfg.put(url, doc), 405)


def test_auto_csat_questions_live_under_their_settings(cfg):
    csat = cfg.seed("auto-csat", cfg.payload("auto-csat"))
    url = cfg.url("auto-csat/<autoCsatId>/question", parent=csat["id"])
    question = cfg.post(url, {"questionId": "q1", "questionnaireId": "survey"})
    assert question.status_code == 201
    assert_webex_error(cfg.post(url, {"questionId": "q1", "questionnaireId": "survey"}), 409)
    listed = cfg.get(cfg.url("v2/auto-csat/<autoCsatId>/question", parent=csat["id"])).get_json()["data"]
    assert [q["id"] for q in listed] == [question.get_json()["id"]]
    assert_webex_error(cfg.post(cfg.url("auto-csat/<autoCsatId>/question", parent="nope"),
                                {"questionId": "q2", "questionnaireId": "survey"}), 404, "autoCsatId")
    assert_webex_error(cfg.post(cfg.url("ai-feature/auto-csat/question"), {"questionId": ""}), 400, "questionId")
