"""The bundled demo tenant and the tenant generator: coherent, vendor-shaped, reproducible, and able to scale."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from mockserver.tenantgen import KINDS, generate

from .. import vendor_spec
from ..conftest import DEMO_ORG

DEMO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "orgs" / "demo"

#: (kind, path to the id(s) in a document, kind the ids belong to). ``[]`` walks a list.
REFERENCES = [
    ("site", "multimediaProfileId", "multimedia-profile"),
    ("team", "siteId", "site"), ("team", "skillProfileId", "skill-profile"),
    ("team", "multiMediaProfileId", "multimedia-profile"), ("team", "desktopLayoutId", "desktop-layout"),
    ("team", "userIds[]", "user"), ("team", "queueRankings[].queueId", "contact-service-queue"),
    ("user", "teamIds[]", "team"), ("user", "skillProfileId", "skill-profile"),
    ("user", "agentProfileId", "agent-profile"), ("user", "siteId", "site"), ("user", "userProfileId", "user-profile"),
    ("user", "multimediaProfileId", "multimedia-profile"), ("user", "preferredSupervisorTeamId", "team"),
    ("user", "dynamicSkills[].skillId", "skill"),
    ("skill", "enumSkillValues[].skillId", "skill"),
    ("skill-profile", "activeSkills[].skillId", "skill"), ("skill-profile", "activeEnumSkills[].enumSkillId", "skill"),
    ("skill-profile", "activeEnumSkills[].enumSkillValueId", "enum-skill-value"),
    ("contact-service-queue", "callDistributionGroups[].agentGroups[].teamId", "team"),
    ("contact-service-queue", "agents[].id", "user"),
    ("contact-service-queue", "queueSkillRequirements[].skillId", "skill"),
    ("entry-point", "outdialQueueId", "contact-service-queue"),
    ("dial-number", "entryPointId", "entry-point"),
    ("auxiliary-code", "workTypeId", "work-type"),
    ("business-hours", "holidaysId", "holiday-list"), ("business-hours", "overridesId", "overrides"),
    ("desktop-layout", "teamIds[]", "team"),
    ("address-book", "siteId", "site"), ("address-book-entry", "addressBookId", "address-book"),
    ("agent-profile", "siteId", "site"), ("agent-profile", "wrapUpCodes[]", "auxiliary-code"),
    ("agent-profile", "idleCodes[]", "auxiliary-code"), ("agent-profile", "queues[]", "contact-service-queue"),
    ("agent-profile", "entryPoints[]", "entry-point"), ("agent-profile", "buddyTeams[]", "team"),
    ("agent-profile", "outdialEntryPointId", "entry-point"), ("agent-profile", "outdialANIId", "outdial-ani"),
    ("agent-profile", "addressBookId", "address-book"),
    ("agent-profile", "viewableStatistics.contactServiceQueues[]", "contact-service-queue"),
    ("agent-profile", "viewableStatistics.teams[]", "team"),
    ("entry-point", "musicOnHoldId", "audio-file"),
    ("contact-service-queue", "defaultMusicInQueueMediaFileId", "audio-file"),
    ("agent-personal-greeting", "agentId", "user"),
    ("user-profile", "defaultResourceCollectionId", "resource-collection"),
    ("resource-collection", "resources[].ids[]", "site|contact-service-queue|team"),
    ("ai-feature", "autoCSAT.selectedGlobalVariableId", "cad-variable"),
    ("auto-csat", "selectedGlobalVariableId", "cad-variable"),
    ("auto-csat-question", "autoCsatId", "auto-csat"),
]

#: Where the vendor documents the item view of each kind (its GET by id), for schema checks.
ITEM_PATHS = {"user-profile": "v3/user-profile", "address-book": "v3/address-book",
              "address-book-entry": "address-book/{addressBookId}/entry",
              "ai-feature-question": "ai-feature/auto-csat/question",
              "auto-csat-question": "auto-csat/{autoCsatId}/question"}


def values(doc: dict, path: str) -> list:
    """Every value at ``path`` (``a.b[]``-style) in a document."""
    nodes = [doc]
    for step in path.split("."):
        name, many = step.removesuffix("[]"), step.endswith("[]")
        found = []
        for node in nodes:
            value = node.get(name) if isinstance(node, dict) else None
            if value is not None:
                found.extend(value if many else [value])
        nodes = found
    return nodes


def dangling(tenant: dict[str, list[dict]]) -> list[str]:
    """Every reference that does not resolve, as ``kind id: path -> missing id``."""
    ids = {kind: {d["id"] for d in docs} for kind, docs in tenant.items()}
    ids["enum-skill-value"] = {v["id"] for s in tenant["skill"] for v in s.get("enumSkillValues", [])}
    bad = []
    for kind, path, target in REFERENCES:
        known = set().union(*(ids[t] for t in target.split("|")))  # a|b: ids of either kind
        for doc in tenant[kind]:
            bad += [f"{kind} {doc['id']}: {path} -> {v}" for v in values(doc, path) if v not in known]
    return bad


def load_demo() -> dict[str, list[dict]]:
    """The bundled demo tenant's configuration kinds (the generator's), as the fixture loader reads them.

    Other fixture kinds in the folder (Control Hub connectors, flows) are not the generator's.
    """
    return {p.stem: json.loads(p.read_text()) for p in DEMO_DIR.glob("*.json") if p.stem in KINDS}


@pytest.fixture(scope="module")
def demo():
    return load_demo()


@pytest.fixture(scope="module")
def people():
    return json.loads((DEMO_DIR / "people.json").read_text())


def test_demo_has_every_kind_and_about_200_users(demo):
    assert set(demo) == set(KINDS)
    assert len(demo["user"]) == 200
    roles = Counter(values(u, "userProfileId")[0] for u in demo["user"])
    assert len(roles) >= 3  # administrators, supervisors and agents


def test_every_reference_in_the_demo_resolves(demo):
    assert dangling(demo) == []
    assert len(values({"x": demo["team"]}, "x[].userIds[]")) > 150  # references are there to check


def test_the_reference_check_catches_a_dangling_id(demo):
    broken = {**demo, "team": [{**demo["team"][0], "siteId": "no-such-site"}, *demo["team"][1:]]}
    assert dangling(broken) == [f"team {demo['team'][0]['id']}: siteId -> no-such-site"]


def test_links_agree_in_both_directions(demo):
    teams = {t["id"]: t for t in demo["team"]}
    for user in demo["user"]:
        for tid in user["teamIds"]:
            assert user["id"] in teams[tid]["userIds"]
    members = sum(len(t.get("userIds", [])) for t in demo["team"])
    assert members == sum(len(u["teamIds"]) for u in demo["user"])
    eps = {e["id"]: e for e in demo["entry-point"]}
    assert all(dn["entryPointName"] == eps[dn["entryPointId"]]["name"] for dn in demo["dial-number"])
    users = {u["id"]: u for u in demo["user"]}
    for queue in demo["contact-service-queue"]:
        assert all(a["ciUserId"] == users[a["id"]]["ciUserId"] for a in queue.get("agents", []))
    for user in demo["user"]:  # an agent sits at the site of their team
        assert all(teams[tid]["siteId"] == user["siteId"] for tid in user["teamIds"][:1] if user.get("skillProfileId"))


def test_every_person_who_can_log_in_is_a_contact_center_user(demo, people):
    by_ci = {u["ciUserId"]: u for u in demo["user"]}
    profiles = {p["id"]: p["profileType"] for p in demo["user-profile"]}
    expected = {"administrator": "ADMINISTRATOR", "supervisor": "SUPERVISOR", "agent": "PREMIUM_AGENT"}
    for person in people:
        user = by_ci[person["id"]]
        assert (user["email"], user["firstName"], user["lastName"]) == \
            (person["email"], person["firstName"], person["lastName"])
        assert profiles[user["userProfileId"]] == expected[person["ccRole"]]
    agent = by_ci[next(p["id"] for p in people if p["ccRole"] == "agent")]
    assert agent["teamIds"] and agent["skillProfileId"] and agent["agentProfileId"]


@pytest.mark.parametrize("kind", KINDS)
def test_demo_documents_match_the_vendor_item_schema(demo, kind):
    """Field names, types, enums, required fields, lengths and patterns as the vendor's GET-by-id documents."""
    item = vendor_spec.item_schema(ITEM_PATHS.get(kind, kind))
    assert item is not None, f"no GET-by-id for {kind} in the vendor spec"
    assert demo[kind]
    for doc in demo[kind]:
        assert vendor_spec.errors(item, doc) == [], (kind, doc["id"])


def test_vendor_schema_check_rejects_a_wrong_document(demo):
    item = vendor_spec.item_schema("site")
    wrong = {**demo["site"][0], "name": "Bad/Name!", "active": "yes"}
    wrong.pop("multimediaProfileId")
    found = "\n".join(vendor_spec.errors(item, wrong))
    assert "multimediaProfileId" in found and "'yes' is not of type 'boolean'" in found and "Bad/Name!" in found


def test_server_fields_and_uniqueness(demo):
    for kind, docs in demo.items():
        ids = [d["id"] for d in docs]
        assert len(set(ids)) == len(ids), kind
        for doc in docs:
            assert doc["organizationId"] == DEMO_ORG and doc["version"] == 0, (kind, doc["id"])
            assert 1_700_000_000_000 < doc["createdTime"] <= doc["lastUpdatedTime"] < 1_800_000_000_000
            assert None not in doc.values()
        names = [d.get("name") for d in docs if "name" in d and kind != "address-book-entry"]
        assert len({n.lower() for n in names}) == len(names), kind
    emails = [u["email"].lower() for u in demo["user"]]
    assert len(set(emails)) == len(emails)


def test_system_defaults_exist_as_in_real_tenants(demo):
    system = {kind for kind, docs in demo.items() for d in docs if d.get("systemDefault") is True}
    assert {"multimedia-profile", "user-profile", "desktop-layout", "auxiliary-code", "cad-variable"} <= system


def test_all_skill_types_and_queue_routing_types(demo):
    assert {s["skillType"] for s in demo["skill"]} == {"Proficiency", "Boolean", "Text", "enum"}
    assert {q["queueRoutingType"] for q in demo["contact-service-queue"]} == {"TEAM_BASED", "SKILL_BASED",
                                                                             "AGENT_BASED"}
    assert {c["workTypeCode"] for c in demo["auxiliary-code"]} == {"IDLE_CODE", "WRAP_UP_CODE"}
    assert all(q["callDistributionGroups"] for q in demo["contact-service-queue"])


def test_the_bundled_demo_is_what_the_documented_command_writes(demo, people):
    org = json.loads((DEMO_DIR / "org.json").read_text())
    assert generate(DEMO_ORG, 200, 1, name=org["name"], people=people) == demo


def test_generation_is_deterministic_and_seeded():
    a = generate("0a1b2c3d-0000-4000-8000-000000000001", users=50, seed=7)
    assert a == generate("0a1b2c3d-0000-4000-8000-000000000001", users=50, seed=7)
    other = generate("0a1b2c3d-0000-4000-8000-000000000001", users=50, seed=8)
    assert {u["id"] for u in a["user"]}.isdisjoint({u["id"] for u in other["user"]})
    assert all(d["organizationId"] == "0a1b2c3d-0000-4000-8000-000000000001" for docs in a.values() for d in docs)


@pytest.mark.parametrize("users", [0, 1, 10])
def test_tiny_tenants_are_coherent(users):
    tenant = generate("0a1b2c3d-0000-4000-8000-000000000002", users=users)
    assert len(tenant["user"]) == users and dangling(tenant) == []


def test_a_ten_thousand_user_tenant_is_coherent():
    tenant = generate("0a1b2c3d-0000-4000-8000-000000000003", users=10_000, seed=3)
    assert len(tenant["user"]) == 10_000
    assert len(tenant["team"]) > 500 and len(tenant["contact-service-queue"]) > 400
    assert dangling(tenant) == []
    all_ids = [d["id"] for docs in tenant.values() for d in docs]
    assert len(set(all_ids)) == len(all_ids)
    emails = {u["email"] for u in tenant["user"]}
    assert len(emails) == 10_000


def test_the_script_writes_one_file_per_kind(tmp_path, capsys):
    sys.path.insert(0, str(DEMO_DIR.parents[1]))
    try:
        import generate as script  # fixtures/generate.py
    finally:
        sys.path.pop(0)
    org_id = "0a1b2c3d-0000-4000-8000-000000000004"
    assert script.main(["--org-id", org_id, "--users", "25", "--seed", "2", "--out", str(tmp_path),
                        "--name", "Globex"]) == 0
    written = {p.stem: json.loads(p.read_text()) for p in tmp_path.glob("*.json")}
    assert written.pop("org") == {"id": org_id, "name": "Globex", "licenses": ["FLEX3"], "cluster": "PF84",
                                  "region": "us1"}
    assert written == generate(org_id, 25, 2, name="Globex")
    assert written["user"][0]["email"].endswith("@globex.example")
    assert "user.json: 25" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        script.main(["--org-id", "not-a-uuid", "--out", str(tmp_path)])


def test_every_reference_the_engine_declares_resolves_in_the_demo(demo):
    """The resource modules' own reference declarations agree: nothing in the demo would fail their checks."""
    from .. import app_routes

    catalog = app_routes.shared_app().extensions["wxcc"].resources
    ids = {kind: {d["id"] for d in docs} for kind, docs in demo.items()}
    checked = 0
    for spec in catalog.specs.values():
        for ref in spec.refs:
            for doc in demo[spec.kind]:
                missing = [v for v in ref.values(doc) if v not in ids.get(ref.kind, ())]
                assert missing == [], (spec.kind, doc["id"], ref.path)
                checked += len(ref.values(doc))
    assert checked > 500


def test_the_script_turns_people_into_users(tmp_path, people, capsys):
    sys.path.insert(0, str(DEMO_DIR.parents[1]))
    try:
        import generate as script  # fixtures/generate.py
    finally:
        sys.path.pop(0)
    (tmp_path / "people.json").write_text(json.dumps(people[:3]))
    (tmp_path / "org.json").write_text('{"id": "kept"}')
    assert script.main(["--org-id", DEMO_ORG, "--users", "5", "--out", str(tmp_path)]) == 0
    users = json.loads((tmp_path / "user.json").read_text())
    assert [u["ciUserId"] for u in users[:3]] == [p["id"] for p in people[:3]]
    assert users[3]["email"].endswith("@acme.example") and len(users) == 5
    assert (tmp_path / "org.json").read_text() == '{"id": "kept"}'
    assert "people.json" not in capsys.readouterr().out


def test_prompts_and_greetings_are_real_audio_the_tenant_plays(demo, people):
    """Entry points and queues play prompts that exist and decode as WAV; the agent who logs in has a greeting."""
    import io
    import wave

    from mockserver.storage.audio import builtin

    prompts = {d["id"]: d for d in demo["audio-file"]}
    played = {ep["musicOnHoldId"] for ep in demo["entry-point"] if ep.get("musicOnHoldId")}
    played |= {q["defaultMusicInQueueMediaFileId"] for q in demo["contact-service-queue"]
               if q.get("defaultMusicInQueueMediaFileId")}
    assert played and played <= set(prompts)
    for doc in [*demo["audio-file"], *demo["agent-personal-greeting"]]:
        assert doc["name"].endswith(".wav") and doc["contentType"] == "AUDIO_WAV"
        with wave.open(io.BytesIO(builtin(doc["blobId"]))) as wav:
            assert wav.getnframes() > 0
    agent = next(u for u in demo["user"] if u["ciUserId"] == next(p["id"] for p in people if p["ccRole"] == "agent"))
    greeting = [g for g in demo["agent-personal-greeting"] if g["agentId"] == agent["id"]]
    assert len(greeting) == 1 and greeting[0]["email"] == agent["email"]


def test_the_organisation_settings_exist_once(demo):
    for kind in ("ai-feature", "auto-csat", "agent-burnout", "generated-summaries"):
        assert len(demo[kind]) == 1, kind
    assert {q["autoCsatId"] for q in demo["auto-csat-question"]} == {demo["auto-csat"][0]["id"]}
