"""The live view in a real browser: agents log in and take contacts through the vendor's APIs, the page shows the
queue counts and agent states the runtime APIs answer, refreshes itself, and follows the mock clock."""
from __future__ import annotations

import re
import time

import pytest
import requests

from ..activity.drive import NOW_S, SUPPORT_QUEUE
from .conftest import DEMO_ORG, shot, sign_in

pytestmark = pytest.mark.browser

AGENT, SUPERVISOR = "agent@acme.example", "supervisor@acme.example"
BREAK = "888755af-cbff-4a30-bf28-cd0e5937f102"  # an idle code of the demo tenant
REFRESH_S = 3  # the page's polling period (live_pages.REFRESH_MS)


class Runtime:
    """The vendor's runtime APIs over HTTP, with one person's token."""

    def __init__(self, server, user: str):
        resp = requests.post(f"{server.url}/_mock/tokens", timeout=10, json={
            "user": user, "scopes": ["cjp:config", "cjp:config_read", "cjp:user"]})
        assert resp.status_code == 201, resp.text
        self.url, self.headers = server.url, {"Authorization": f"Bearer {resp.json()['access_token']}"}

    def call(self, method: str, path: str, **kw) -> requests.Response:
        return requests.request(method, self.url + path, headers=self.headers, timeout=10, **kw)

    def login(self, dn: str, state: str) -> None:
        assert self.call("POST", "/v1/agents/login", json={"dialNumber": dn, "roles": ["agent"]}).status_code == 202
        aux = "0" if state == "Available" else BREAK
        resp = self.call("PUT", "/v1/agents/session/state", json={"state": state, "auxCodeId": aux})
        assert resp.status_code == 202, resp.text

    def waiting(self, now_ms: int) -> dict:
        """Search API: unanswered contacts per queue -> (count, oldest createdTime)."""
        from mockserver.console.live_pages import WAITING

        resp = self.call("POST", "/search", json={"query": WAITING, "variables": {"from": now_ms - 86_400_000,
                                                                                   "to": now_ms + 1}})
        assert resp.status_code == 200, resp.text
        out = {}
        for group in resp.json()["data"]["task"]["tasks"]:
            values = {a["name"]: a["value"] for a in group["aggregation"]}
            out[group["lastQueue"]["id"]] = (int(values["waiting"]), int(values["oldest"]))
        return out

    def queue_stats(self, start_ms: int) -> dict:
        """Queue statistics of the 15-minute interval from ``start_ms``: queue -> summed counts."""
        resp = self.call("GET", "/v1/queues/statistics", params={"from": start_ms, "to": start_ms + 900_000})
        assert resp.status_code == 200, resp.text
        out: dict = {}
        for row in resp.json()["data"]:
            q = out.setdefault(row["queueId"], {"enqueued": 0, "handled": 0, "abandoned": 0})
            q["enqueued"] += row["totalEnqueuedTasks"]
            q["handled"] += row["totalAcceptedTasks"]
            q["abandoned"] += row["totalAbandonedTasks"]
        return out

    def open_spans(self, now_ms: int) -> dict:
        """Agent activities: agent login -> {channel: (state, taskId, teamName)} of the open spans."""
        resp = self.call("GET", "/v1/agents/activities", params={"from": now_ms, "to": now_ms + 1,
                                                                 "pageSize": 1000})
        assert resp.status_code == 200, resp.text
        out: dict = {}
        for row in resp.json()["data"]:
            if row["active"]:
                out.setdefault(row["agentLogin"], {})[row["channelType"]] = (row["currentState"], row["taskId"],
                                                                           row["teamName"])
        return out


def _queue_row(page, qid: str) -> dict:
    row = page.locator(f"#queues-table tr[data-queue='{qid}']")
    return {k: row.locator(f"td.{k}").inner_text() for k in ("waiting", "longest", "enqueued", "handled", "abandoned")}


def _agent_row(page, login: str) -> dict:
    exact = re.compile(f"^{re.escape(login)}$")
    row = page.locator("#agents-table tbody tr", has=page.locator("th.aname .login", has_text=exact))
    return {"state": row.locator("[data-state]").get_attribute("data-state"),
            "shown": row.locator("[data-state]").inner_text(), "team": row.locator("td.team").inner_text(),
            "task": row.locator("td.task").inner_text(), "channels": row.locator("td.channels").inner_text()}


def _now(server) -> int:
    return server.mock("GET", "/clock").json()["nowMs"]


def test_the_live_view_shows_what_the_runtime_apis_hold_and_follows_the_clock(page, server):
    assert server.mock("POST", "/clock/freeze", json={"at": NOW_S}).status_code == 200
    agent, supervisor = Runtime(server, AGENT), Runtime(server, SUPERVISOR)
    admin = Runtime(server, "full.admin@acme.example")
    agent.login("+15551001", "Available")
    supervisor.login("+15551002", "Idle")
    sign_in(page, server, "full.admin@acme.example")
    page.click("nav[aria-label=Console] >> text=Live")
    page.wait_for_url(f"{server.url}/console/live")
    assert _agent_row(page, AGENT)["state"] == "available"
    assert _agent_row(page, SUPERVISOR)["shown"] == "idle (Break)"

    # Three contacts through the page's own form (the control API); the third hangs up after 60 s.
    for patience in ("", "", "60"):
        page.select_option("#c-entry", label="Customer Support Line")
        page.fill("#c-patience", patience)
        page.click("#c-add")
        assert "arrived" in page.inner_text(".messages")
    offered = _agent_row(page, AGENT)
    assert offered["state"] == "ringing"
    tid = offered["task"].split()[0]
    assert agent.call("POST", f"/v1/tasks/{tid}/accept").status_code == 202

    # The page refreshes itself: the agent is connected without a reload.
    page.wait_for_selector("#agents-table [data-state='connected']", timeout=REFRESH_S * 4000)
    now = _now(server)
    spans, waiting, stats = admin.open_spans(now), admin.waiting(now), admin.queue_stats(now - now % 900_000)
    assert spans[AGENT]["telephony"][:2] == ("connected", tid)
    shown = _agent_row(page, AGENT)
    assert shown["state"] == "connected" and tid in shown["task"] and shown["team"] == spans[AGENT]["telephony"][2]
    assert shown["channels"] == ", ".join(f"{ch}: {st[0]}" for ch, st in sorted(spans[AGENT].items()))
    assert _agent_row(page, SUPERVISOR)["state"] == spans[SUPERVISOR]["telephony"][0] == "idle"
    assert waiting[SUPPORT_QUEUE][0] == 2 and stats[SUPPORT_QUEUE] == {"enqueued": 3, "handled": 1, "abandoned": 0}
    assert _queue_row(page, SUPPORT_QUEUE) == {"waiting": "2", "longest": "0:00", "enqueued": "3", "handled": "1",
                                               "abandoned": "0"}
    assert page.locator("#agents-table tr[data-agent]").count() == len(spans) == 2

    # Advance the clock from the page: the impatient contact hangs up, the other has waited 1:30.
    page.fill("#lc-seconds", "90")
    page.click("#lc-advance")
    assert "Clock advanced by 90 s." in page.inner_text(".messages")
    now = _now(server)
    assert now == NOW_S * 1000 + 90_000
    waiting, stats = admin.waiting(now), admin.queue_stats(now - now % 900_000)
    assert waiting[SUPPORT_QUEUE] == (1, NOW_S * 1000)
    assert stats[SUPPORT_QUEUE] == {"enqueued": 3, "handled": 1, "abandoned": 1}
    assert _queue_row(page, SUPPORT_QUEUE) == {"waiting": "1", "longest": "1:30", "enqueued": "3", "handled": "1",
                                               "abandoned": "1"}
    assert "00:01:30 UTC on the mock clock (frozen)" in page.inner_text("#live-asof")
    shot(page, "live")

    # The agent ends the call: wrap-up, shown by the next refresh.
    assert agent.call("POST", f"/v1/tasks/{tid}/end").status_code == 202
    page.wait_for_selector("#agents-table [data-state='wrapup']", timeout=REFRESH_S * 4000)
    assert admin.open_spans(_now(server))[AGENT]["telephony"][:2] == ("wrapup", tid)


def test_updates_pause_and_resume(page, server):
    supervisor = Runtime(server, SUPERVISOR)
    supervisor.login("+15551002", "Idle")
    sign_in(page, server, "full.admin@acme.example")
    page.goto(f"{server.url}/console/live")
    assert _agent_row(page, SUPERVISOR)["state"] == "idle"
    page.click("#live-pause")
    assert page.get_attribute("#live-pause", "aria-pressed") == "true"
    assert page.inner_text("#live-status") == "Updates paused."
    resp = supervisor.call("PUT", "/v1/agents/session/state", json={"state": "Available", "auxCodeId": "0"})
    assert resp.status_code == 202
    time.sleep(REFRESH_S * 2 + 0.5)  # two polling periods pass while paused (bounded, and not a speed check)
    assert _agent_row(page, SUPERVISOR)["state"] == "idle"
    page.focus("#live-pause")  # the control works from the keyboard too
    page.keyboard.press("Enter")
    assert page.get_attribute("#live-pause", "aria-pressed") == "false"
    page.wait_for_selector("#agents-table [data-state='available']", timeout=REFRESH_S * 4000)


def test_the_generator_plays_as_the_clock_advances(page, server):
    assert server.mock("POST", "/clock/freeze", json={"at": NOW_S}).status_code == 200
    admin = Runtime(server, "full.admin@acme.example")
    sign_in(page, server, "full.admin@acme.example")
    page.goto(f"{server.url}/console/live")
    assert page.inner_text("#agents-table tbody") == "No agent is logged in."
    page.fill("#g-minutes", "30")
    page.fill("#g-rate", "120")
    page.fill("#g-seed", "7")
    page.click("#g-run")
    assert "Traffic generated for the next 30 minutes" in page.inner_text(".messages")
    state = server.mock("GET", f"/activity/{DEMO_ORG}").json()
    assert state["pendingEvents"] > 0 and state["sessions"] > 0
    page.fill("#lc-seconds", "600")
    page.click("#lc-advance")
    now = _now(server)
    stats, spans = admin.queue_stats(now - now % 900_000), admin.open_spans(now)
    assert sum(q["enqueued"] for q in stats.values()) > 0
    for qid, counts in stats.items():
        row = _queue_row(page, qid)
        assert {k: int(row[k]) for k in counts} == counts, qid
    waiting = admin.waiting(now)
    for qid, (count, oldest) in waiting.items():
        row = _queue_row(page, qid)
        assert int(row["waiting"]) == count
        minutes, seconds = divmod((now - oldest) // 1000, 60)
        assert row["longest"] == f"{minutes}:{seconds:02d}"
    assert page.locator("#agents-table tr[data-agent]").count() == len(spans) == state["sessions"]
    for login in sorted(spans)[:10]:
        shown = _agent_row(page, login)
        assert shown["channels"] == ", ".join(f"{ch}: {st[0]}" for ch, st in sorted(spans[login].items())), login
    # A bad form changes nothing and says why.
    before = server.mock("GET", f"/activity/{DEMO_ORG}").json()
    page.fill("#g-minutes", "lots")
    page.click("#g-run")
    assert "Minutes: 'lots' is not a whole number. Nothing was changed." in page.inner_text(".messages")
    after = server.mock("GET", f"/activity/{DEMO_ORG}").json()
    assert (after["time"], after["pendingEvents"], after["tasks"]) == (now, before["pendingEvents"], before["tasks"])


def test_when_the_gate_closes_the_tables_stay_and_the_page_says_why(page, locked_server):
    server = locked_server
    page.goto(f"{server.url}/console/unlock?next=/console/")
    page.fill("#token", "console-admin-secret")
    page.click("text=Open the console")
    sign_in(page, server, "full.admin@acme.example")
    page.goto(f"{server.url}/console/live")
    tables = page.inner_text("#queues-table")
    page.context.clear_cookies()  # the session (and its admin token) is gone: the next poll meets the gate
    page.wait_for_function("() => document.getElementById('live-status').textContent.includes('Updates stopped')",
                           timeout=REFRESH_S * 4000)
    assert page.inner_text("#queues-table") == tables and page.get_attribute("#live-pause", "aria-pressed") == "true"
    assert "admin token" not in page.inner_text("#live-data").lower()  # the unlock page was not pasted in
