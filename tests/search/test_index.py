"""The search view of the history: current on every write, its own copy, no activity lists, reset with the org."""
from __future__ import annotations

from mockserver.search.index import IndexedHistory


def test_the_view_follows_every_write_without_activities():
    h = IndexedHistory()
    rec = {"id": "a", "createdTime": 200, "status": "new", "activities": [{"eventName": "new"}]}
    h.put_task("org", rec)
    h.put_task("org", {"id": "b", "createdTime": 100, "status": "new"})
    rec["status"] = "changed by the writer afterwards"
    assert [(t["id"], t["status"]) for t in h.view_tasks("org", 0, 1000)] == [("b", "new"), ("a", "new")]
    assert "activities" not in h.view_tasks("org", 150, 1000)[0]
    assert h.task("org", "a")["activities"] == [{"eventName": "new"}]  # the history keeps the whole record
    h.put_task("org", {"id": "a", "createdTime": 50, "status": "ended"})  # replaced, and moved in time
    assert [(t["id"], t["status"]) for t in h.view_tasks("org", 0, 1000)] == [("a", "ended"), ("b", "new")]
    assert h.view_tasks("other", 0, 1000) == []
    h.put_agent_session("org", {"agentSessionId": "s", "startTime": 10,
                                "channelInfo": [{"channelType": "chat", "activities": [{"state": "idle"}]}]})
    assert h.view_agent_sessions("org", 0, 100) == [{"agentSessionId": "s", "startTime": 10,
                                                     "channelInfo": [{"channelType": "chat"}]}]
    assert h.agent_sessions("org", 0, 100)[0]["channelInfo"][0]["activities"] == [{"state": "idle"}]
    h.reset("org")
    assert h.view_tasks("org", 0, 1000) == [] and h.tasks("org", 0, 1000) == []
