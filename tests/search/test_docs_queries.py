"""Every query of docs/search.md runs against a generated day and its answer is checked against the records."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ..conftest import DEMO_ORG
from .conftest import DEMO_FLOW

DOC = Path(__file__).resolve().parents[2] / "docs" / "search.md"
QUERIES = {int(n): q for n, q in re.findall(r"^### (\d+)\..*?```graphql\n(.*?)```", DOC.read_text(), re.S | re.M)}


def agg(row) -> dict:
    return {a["name"]: a["value"] for a in row["aggregation"]}


def avg(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def test_the_page_has_the_queries():
    assert sorted(QUERIES) == list(range(1, 19))


def test_1_wallboard_waiting_per_queue(world):
    parked = [t for t in world.tasks if t["isActive"] and t["status"] == "parked"]
    assert parked, "the day at noon has waiting contacts"
    want = {}
    for t in parked:
        key = (t["lastQueue"]["id"], t["lastQueue"]["name"])
        n, oldest = want.get(key, (0, None))
        want[key] = (n + 1, min(oldest or t["createdTime"], t["createdTime"]))
    rows = world.data(QUERIES[1])["tasks"]
    got = {(r["lastQueue"]["id"], r["lastQueue"]["name"]): (agg(r)["queued"], agg(r)["oldest"]) for r in rows}
    assert got == {k: (float(n), float(o)) for k, (n, o) in want.items()}


def test_2_agent_last_interaction(world):
    by_agent = Counter(t["lastAgent"]["id"] for t in world.tasks if t.get("lastAgent"))
    agent = by_agent.most_common(1)[0][0]
    mine = sorted((t for t in world.tasks if (t.get("lastAgent") or {}).get("id") == agent),
                  key=lambda t: -t["createdTime"])
    rows = world.data(QUERIES[2], agent=agent)["tasks"]
    assert [r["id"] for r in rows] == [t["id"] for t in mine]
    assert rows[0]["createdTime"] == max(t["createdTime"] for t in mine)
    assert rows[0]["lastWrapupCodeName"] == mine[0]["lastWrapupCodeName"]


def test_3_contacts_by_channel_per_hour_in_berlin(world):
    berlin = ZoneInfo("Europe/Berlin")

    def hour(ms):
        local = dt.datetime.fromtimestamp(ms / 1000, berlin).replace(minute=0, second=0, microsecond=0)
        return int(local.timestamp() * 1000)
    want = Counter((hour(t["createdTime"]), t["channelType"]) for t in world.tasks)
    body = world.data(QUERIES[3])
    got = {(r["intervalStartTime"], r["channelType"]): agg(r)["contacts"] for r in body["tasks"]}
    assert got == {k: float(v) for k, v in want.items()}
    assert body["pageInfo"] == {"hasNextPage": False, "endCursor": None}
    assert [r["intervalStartTime"] for r in body["tasks"]] == sorted(r["intervalStartTime"] for r in body["tasks"])


def test_4_abandoned_calls_per_queue(world):
    lost = [t for t in world.tasks if t["channelType"] == "telephony" and t["terminationType"] == "abandoned"]
    assert lost
    groups = defaultdict(list)
    for t in lost:
        groups[(t["lastQueue"]["id"], t["lastQueue"]["name"])].append(t["queueDuration"])
    rows = world.data(QUERIES[4])["tasks"]
    got = {(r["lastQueue"]["id"], r["lastQueue"]["name"]): agg(r) for r in rows}
    assert got == {k: {"abandoned": float(len(v)), "avgWaitMs": pytest.approx(avg(v))} for k, v in groups.items()}


def test_5_average_handle_time_per_team(world):
    groups = defaultdict(list)
    for t in world.tasks:
        if t["isContactHandled"]:
            groups[(t["lastTeam"]["id"], t["lastTeam"]["name"])].append(t)
    rows = world.data(QUERIES[5])["tasks"]
    assert len(rows) == len(groups) == 2
    for r in rows:
        mine = groups[(r["lastTeam"]["id"], r["lastTeam"]["name"])]
        assert agg(r) == {"handled": float(len(mine)),
                          "avgTalk": pytest.approx(avg(t["connectedDuration"] for t in mine)),
                          "avgHold": pytest.approx(avg(t["holdDuration"] for t in mine)),
                          "avgWrapup": pytest.approx(avg(t["wrapupDuration"] for t in mine))}


def test_6_service_level_per_queue(world):
    offered, within = Counter(), Counter()
    for t in world.tasks:
        offered[t["lastQueue"]["name"]] += 1
        within[t["lastQueue"]["name"]] += t["isWithInServiceLevel"]
    rows = world.data(QUERIES[6])["tasks"]
    got = {r["lastQueue"]["name"]: agg(r) for r in rows}
    assert got == {q: {"offered": float(n), "withinSL": float(within[q])} for q, n in offered.items()}
    assert all(0 < v["withinSL"] < v["offered"] for v in got.values())


def test_7_contacts_per_queue_and_average_queue_time(world):
    groups = defaultdict(list)
    for t in world.tasks:
        groups[t["lastQueue"]["id"]].append(t["lastQueue"]["duration"])
    body = world.data(QUERIES[7])
    got = {r["lastQueue"]["id"]: agg(r) for r in body["tasks"]}
    assert got == {q: {"contacts": float(len(v)), "avgQueueMs": pytest.approx(avg(v))} for q, v in groups.items()}
    assert sum(v["contacts"] for v in got.values()) == len(world.tasks)  # the groups add up to the total


def test_8_long_calls_of_a_team(world):
    want = [t for t in world.tasks if t["channelType"] == "telephony" and (t.get("lastTeam") or {}).get("id") ==
            "team-a" and t["totalDuration"] is not None and 600_000 <= t["totalDuration"] <= 1_200_000]
    assert want
    rows = world.data(QUERIES[8], team="team-a")["tasks"]
    assert [r["id"] for r in rows] == [t["id"] for t in want]
    assert [r["handledBy"]["name"] for r in rows] == [t["lastAgent"]["name"] for t in want]
    assert all(r["lastTeam"] == {"id": "team-a", "name": "Team Alpha"} for r in rows)


def test_9_every_contact_page_by_page(world):
    seen, cursor, pages = [], None, 0
    while pages < 20:
        body = world.data(QUERIES[9], cursor=cursor)
        pages += 1
        assert len(body["tasks"]) <= 250
        seen += body["tasks"]
        if not body["pageInfo"]["hasNextPage"]:
            assert body["pageInfo"]["endCursor"] is None
            break
        cursor = body["pageInfo"]["endCursor"]
    assert pages == -(-len(world.tasks) // 250) >= 2
    assert [r["id"] for r in seen] == [t["id"] for t in world.tasks]
    live = {t["id"] for t in world.tasks if t["isActive"]}
    assert {r["id"] for r in seen if r["isActive"]} == live
    assert all(r["endedTime"] is None for r in seen if r["isActive"])


def test_10_agents_logged_in_now(world):
    live = {s["agentSessionId"]: s for s in world.sessions if s["isActive"]}
    assert live
    rows = world.data(QUERIES[10])["agentSessions"]
    assert {r["agentSessionId"] for r in rows} == set(live)
    for r in rows:
        s = live[r["agentSessionId"]]
        assert r["agentName"] == s["agentName"] and r["isActive"] is True
        assert [c["connectedCount"] for c in r["channelInfo"]] == [c["connectedCount"] for c in s["channelInfo"]]


def test_11_distinct_agents(world):
    agents = {s["agentId"] for s in world.sessions}
    chat = {s["agentId"] for s in world.sessions for c in s["channelInfo"]
            if c["channelType"] == "chat" and c["currentState"] == "connected"}
    rows = world.data(QUERIES[11])["agentSessions"]
    assert len(rows) == 1 and agg(rows[0]) == {"agents": float(len(agents)), "chatConnected": float(len(chat))}
    assert 0 < len(chat) < len(agents)


def test_12_queue_legs(world):
    want = [t for t in world.tasks if t["lastQueue"]["id"] == "q-sales"]
    body = world.data(QUERIES[12], queue="q-sales")
    assert [r["taskId"] for r in body["taskLegs"]] == [t["id"] for t in want]
    assert all(r["id"] == f"{t['id']}-callLeg-{t['createdTime']}" and r["queue"]["name"] == "Sales"
               and (r["owner"] or {}).get("id") == (t.get("owner") or {}).get("id")
               for r, t in zip(body["taskLegs"], want))


def test_13_global_variables_by_alias(world):
    want = [t for t in world.tasks if t["globalVariables"]["Language"] == "fr"]
    rows = world.data(QUERIES[13])["tasks"]
    assert [r["id"] for r in rows] == [t["id"] for t in want]
    for r, t in zip(rows, want):
        assert r["Lang"] == {"name": "Language", "value": "fr"}
        assert r["integerGlobalVariables"] == {"name": "Score", "value": t["globalVariables"]["Score"]}
        assert r["Missing"] == {"name": None, "value": None}


def test_14_activities_of_one_contact(world):
    task = next(t for t in world.tasks if len(t["activities"]) > 3)
    rows = world.data(QUERIES[14], task=task["id"])["tasks"]
    assert len(rows) == 1 and rows[0]["id"] == task["id"]
    acts = rows[0]["activities"]
    assert acts["totalCount"] == len(task["activities"])
    assert [n["id"] for n in acts["nodes"]] == [a["id"] for a in task["activities"][:3]]
    assert acts["pageInfo"] == {"hasNextPage": True, "endCursor": str(task["activities"][2]["createdTime"])}


def test_15_quarter_hours_per_queue(world):
    groups = defaultdict(list)
    for t in world.tasks:
        groups[(t["createdTime"] - t["createdTime"] % 900_000, t["lastQueue"]["id"])].append(t["connectedDuration"])
    rows = world.data(QUERIES[15])["tasks"]
    got = {(r["intervalStartTime"], r["lastQueue"]["id"]): agg(r) for r in rows}
    assert got == {k: {"contacts": float(len(v)), "aht": pytest.approx(avg(v))} for k, v in groups.items()}


#: The bundled flow from its start along the first link of each activity (fixtures/orgs/demo/flow.json).
DEMO_PATH = ["NewPhoneContact", "GetSites", "GetTeamsOfSite", "TeamsFound", "CreateOverflowTeam", "PlayResult",
             "DisconnectContact"]


def flow_of(t) -> dict:
    """What the flow roots derive from a contact (docs/search.md, flow roots)."""
    held = t["isActive"] and t["status"] in ("created", "parked")
    end = None if held else t["createdTime"] + t["selfserviceDuration"] + t["queueDuration"] + t["ringingDuration"]
    return {"interactionId": t["id"], "flowId": DEMO_FLOW, "entryPointName": t["lastEntryPoint"]["name"],
            "lastExecutedActivity": DEMO_PATH[-1], "mainFlowActivities": len(DEMO_PATH), "eventFlowActivities": 0,
            "flowStartTime": t["createdTime"], "flowEndTime": end,
            "status": "active" if held else "abandoned" if t["terminationType"] == "abandoned" else "completed"}


def test_16_flow_interactions_page_by_page(world):
    version = world.rt.store.get(DEMO_ORG, "flow", DEMO_FLOW)["flowVersion"]["id"]
    got, page = [], 1
    while True:
        body = world.data(QUERIES[16], page=page)
        got += body["flowInteractions"]
        pages = -(-len(world.tasks) // 500)
        assert body["pageInfo"] == {"hasNextPage": page < pages, "totalPages": pages, "totalHits": len(world.tasks)}
        if not body["pageInfo"]["hasNextPage"]:
            break
        page += 1
    assert page == pages > 1
    assert got == [{**flow_of(t), "flowVersionId": version} for t in world.tasks]
    assert {r["status"] for r in got} == {"active", "abandoned", "completed"}


def test_17_contacts_per_entry_point_and_flow_outcome(world):
    groups = defaultdict(list)
    for t in world.tasks:
        f = flow_of(t)
        groups[(f["entryPointName"], f["status"])].append(f["flowEndTime"])
    body = world.data(QUERIES[17])
    got = {(r["entryPointName"], r["status"]): agg(r) for r in body["flowInteractions"]}
    assert got == {k: {"contacts": float(len(v)), "lastEnd": float(max((e for e in v if e is not None), default=0))}
                   for k, v in groups.items()}
    assert body["pageInfo"] == {"hasNextPage": False, "totalPages": 1, "totalHits": len(groups)}


def test_18_trace_events_of_an_http_request_activity(world):
    flow = world.rt.store.get(DEMO_ORG, "flow", DEMO_FLOW)["flowVersion"]["process"]["activities"]
    post_id, post = next((k, a) for k, a in flow.items() if a["properties"].get("httpRequestMethod") == "POST")
    body = world.data(QUERIES[18], flow=DEMO_FLOW)
    newest = sorted(world.tasks, key=lambda t: -t["createdTime"])
    assert body["pageInfo"] == {"hasNextPage": True, "totalPages": -(-len(newest) // 50), "totalHits": len(newest)}
    rows = body["flowTraceEvents"]
    assert [(r["interactionId"], r["flowStartTime"]) for r in rows] == [(t["id"], t["createdTime"])
                                                                        for t in newest[:50]]
    inputs = {i["name"]: i["value"] for i in rows[0]["activityInputs"]}
    assert rows[0]["activityName"] == post["name"] and rows[0]["activityProcessId"] == post_id
    assert rows[0]["outcome"] == "out"
    assert inputs["httpRequestMethod"] == "POST" and inputs["httpRequestPath"] == post["properties"]["httpRequestPath"]
