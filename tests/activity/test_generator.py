"""A whole day of the demo tenant through the traffic generator: conservation, limits, statistics and
activities that agree with the task list, and the same history from the same seed."""
from __future__ import annotations

import pytest

from mockserver import create_app

from .drive import DEMO_ORG, NOW_S, fresh

DAY, HOUR = 86_400_000, 3_600_000
END = NOW_S * 1000 - 2 * HOUR  # the day ends two hours before the clock: everything has drained
START = END - DAY
TRAFFIC = {"from": START, "to": END, "seed": 42, "rate": 12,
           "curve": [0.2] * 7 + [1.0] * 12 + [0.5] * 5, "patience": {"mean": 90, "distribution": "exponential"},
           "handleTime": {"telephony": {"mean": 240, "sd": 120}, "chat": {"mean": 400}}}


@pytest.fixture(scope="module")
def day():
    app = create_app({"access_log": False})
    d = fresh(app)
    over = []

    def check_limits(event):  # every offer: the agent holds no more than its channel's maxActiveContacts
        if event.type == "task:connect":
            c = d.rt.activity.peek(DEMO_ORG)
            s = c.sessions[event.data["agentId"]]
            channel = event.data["channelType"]
            if s.load(c.tasks, channel) > s.agent.limits[channel]:
                over.append(event.data)
    d.rt.bus.subscribe(check_limits)
    resp = d.client.post(f"/_mock/activity/{DEMO_ORG}", json=TRAFFIC)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return d, resp.get_json(), over


def _tasks(d):
    out, start = [], START
    while True:
        resp = d.client.get(f"/v1/tasks?from={start}&to={END + 4 * HOUR}&pageSize=1000", headers=d.admin)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        page = resp.get_json()["data"]
        out += [t for t in page if not out or t["id"] not in {x["id"] for x in out[-1000:]}]
        if len(page) < 1000:
            return out
        start = page[-1]["attributes"]["createdTime"]


def test_every_contact_is_handled_abandoned_or_overflowed(day):
    d, summary, _ = day
    tasks = _tasks(d)
    assert summary["scheduledContacts"] == len(tasks) > 1000 and summary["live"] is False
    statuses = {}
    for t in tasks:
        statuses[t["attributes"]["status"]] = statuses.get(t["attributes"]["status"], 0) + 1
    assert set(statuses) <= {"completed", "abandoned"} and statuses["abandoned"] > 0
    for t in tasks:
        rec = d.record(t["id"])
        if t["attributes"]["status"] == "completed" and rec["isContactHandled"]:
            assert rec["lastWrapUpCodeId"] and "owner" in t["attributes"]
        else:
            assert rec["terminationType"] in ("abandoned", "overflow") and not rec["isContactHandled"]
            assert "owner" not in t["attributes"]


def test_durations_add_up_to_the_total(day):
    d, _, _ = day
    parts = ("selfserviceDuration", "queueDuration", "ringingDuration", "connectedDuration", "holdDuration",
             "consultDuration", "conferenceDuration", "wrapupDuration")
    for rec in d.rt.history.tasks(DEMO_ORG, START, END):
        assert rec["totalDuration"] == sum(rec[p] for p in parts) > 0, rec["id"]
        assert rec["endedTime"] - rec["createdTime"] <= rec["totalDuration"]


def test_no_agent_holds_more_than_its_limit(day):
    _, _, over = day
    assert over == []


def _sum(rows, field, channels=False):
    if channels:
        return sum(ch[field] for r in rows for ch in r["channels"])
    return sum(r[field] for r in rows)


def _stats(d, path, windows):
    rows = []
    for a, b in windows:
        resp = d.client.get(f"{path}?from={a}&to={b}&interval=60", headers=d.admin)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        rows += resp.get_json()["data"]
    return rows


WINDOWS = [(START, START + 12 * HOUR), (START + 12 * HOUR, END), (END, END + 4 * HOUR)]


def test_queue_statistics_agree_with_the_tasks(day):
    d, _, _ = day
    recs = d.rt.history.tasks(DEMO_ORG, START, END)
    rows = _stats(d, "/v1/queues/statistics", WINDOWS)
    assert _sum(rows, "totalAbandonedTasks") == sum(1 for r in recs if r["terminationType"] == "abandoned")
    assert _sum(rows, "totalAcceptedTasks") == sum(1 for r in recs if r["isContactHandled"])
    assert _sum(rows, "totalEnqueuedTasks") == sum(r["queueCount"] for r in recs)
    assert all(r["totalAssignedTasks"] == 0 for r in rows)
    handled = [r for r in rows if r["averageHandledTime"]]
    assert handled and all(0 <= r["serviceLevelThresholdPercentage"] <= 100 for r in rows)


def test_agent_statistics_and_activities_agree_with_the_tasks(day):
    d, _, _ = day
    recs = d.rt.history.tasks(DEMO_ORG, START, END)
    rows = _stats(d, "/v1/agents/statistics", WINDOWS)
    assert _sum(rows, "totalAcceptedTasks", True) == sum(1 for r in recs if r["isContactHandled"])
    def channel_sum(field, channel):
        return sum(ch[field] for r in rows for ch in r["channels"] if ch["channelType"] == channel)

    def task_sum(field, channel):
        return sum(r[field] for r in recs if r["channelType"] == channel)
    # One voice call at a time: the agent's engaged and wrap-up time is its calls' time, to the millisecond.
    assert channel_sum("totalEngagedDuration", "telephony") == task_sum("connectedDuration", "telephony") > 0
    assert channel_sum("totalWrapUpDuration", "telephony") == task_sum("wrapupDuration", "telephony") > 0
    # Several chats at once: an agent's engaged time is at most the sum of its chats' (they overlap).
    assert 0 < channel_sum("totalEngagedDuration", "chat") <= task_sum("connectedDuration", "chat")
    connected, ringing = set(), 0
    for start in range(START, END + 4 * HOUR, 2 * HOUR):
        page = 0
        while True:
            resp = d.client.get(f"/v1/agents/activities?from={start}&to={start + 2 * HOUR}&pageSize=1000"
                                f"&page={page}", headers=d.admin)
            assert resp.status_code == 200, resp.get_data(as_text=True)
            data = resp.get_json()["data"]
            for a in (a for a in data if a["channelType"] == "telephony"):  # one call at a time: one task a span
                if a["currentState"] == "connected" and a["startTime"] >= start:
                    connected.add(a["taskId"])
                ringing += a["currentState"] == "ringing" and a["startTime"] >= start
            if len(data) < 1000:
                break
            page += 1
    assert connected == {r["id"] for r in recs if r["isContactHandled"] and r["channelType"] == "telephony"}
    assert ringing == channel_sum("totalOfferedTasks", "telephony") > 0


def test_the_same_seed_gives_the_same_history():
    def run():
        d = fresh(create_app({"access_log": False}))
        spec = {**TRAFFIC, "from": END - 3 * HOUR, "to": END, "rate": 8}
        assert d.client.post(f"/_mock/activity/{DEMO_ORG}", json=spec).status_code == 200
        return d.rt.history.tasks(DEMO_ORG, 0, END * 2), [(e.type, e.time, e.data) for e in d.events]
    first, second = run(), run()
    assert first[0] and first == second
    other = fresh(create_app({"access_log": False}))
    spec = {**TRAFFIC, "from": END - 3 * HOUR, "to": END, "rate": 8, "seed": 43}
    assert other.client.post(f"/_mock/activity/{DEMO_ORG}", json=spec).status_code == 200
    assert other.rt.history.tasks(DEMO_ORG, 0, END * 2) != first[0]


def test_a_large_run_gives_the_freed_memory_back_at_its_end(monkeypatch):
    """A run that scheduled many contacts ends with the allocator's free pages handed back (search/release.py: the
    arrivals, events and records it freed since the history's last trim); a small one does not walk the heap."""
    import sys

    from mockserver.search import release

    calls = []  # who asked: the history's flushes trim after their own large batches too (search/index.py)
    monkeypatch.setattr(release, "release", lambda: calls.append(sys._getframe(1).f_globals["__name__"]) or True)
    monkeypatch.setattr(release, "AFTER_RECORDS", 50)
    d = fresh(create_app({"access_log": False}))
    small = d.client.post(f"/_mock/activity/{DEMO_ORG}", json={**TRAFFIC, "rate": 1, "to": START + HOUR})
    assert small.status_code == 200 and small.get_json()["scheduledContacts"] < 50
    assert "mockserver.ccapi.mockviews" not in calls
    d = fresh(create_app({"access_log": False}))
    big = d.client.post(f"/_mock/activity/{DEMO_ORG}", json=TRAFFIC)
    assert big.status_code == 200 and big.get_json()["scheduledContacts"] >= 50
    assert calls[-1] == "mockserver.ccapi.mockviews"  # after the run's last flush


def test_a_windows_marks_are_those_the_whole_history_filtered_by_time_gives(day):
    """Statistics and EWT read only their window's marks (found by bisecting the time column): exactly the marks a
    scan of every mark keeps, for windows inside, across and outside the history, empty and to now."""
    from mockserver.ccapi.reports import marks_between

    d = day[0]
    with d.rt.activity.center(DEMO_ORG) as c:
        every = list(c.marks)
        assert len(every) > 1000
        times = [m[0] for m in every]
        assert times == sorted(times)  # appended at the center's time, which never goes back
        edges = [START - DAY, START, START + 1, times[0], times[len(times) // 2], times[len(times) // 2] + 1,
                 times[-1], times[-1] + 1, END, END + DAY]
        for a in edges:
            for b in [*edges, None]:
                want = [m for m in every if a <= m[0] and (b is None or m[0] < b)]
                assert marks_between(c, a, b) == want, (a, b)


def test_a_windows_spans_are_those_the_whole_history_filtered_by_time_gives(day):
    """The activities and agent statistics read the closed spans from the first that ends after the window's start
    (their ends ascend): exactly the spans a scan of every span keeps."""
    from mockserver.activity.records import ACTIVITY, activity_rows

    d = day[0]
    with d.rt.activity.center(DEMO_ORG) as c:
        every = list(c.activities)
        assert len(every) > 1000
        ends = [s[5] for s in every]
        assert ends == sorted(ends)
        edges = [START - DAY, START, START + 1, ends[0], ends[len(ends) // 2], ends[len(ends) // 2] + 1, ends[-1],
                 ends[-1] + 1, END, END + DAY]
        for a in edges:
            for b in edges:
                want = [dict(zip(ACTIVITY, s)) for s in every if s[5] > a and s[4] < b]
                got = [row for row, live in activity_rows(c, a, b) if not live]
                assert got == want, (a, b)
