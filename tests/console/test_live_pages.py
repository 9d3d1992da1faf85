"""The live view without a browser: what it reads through the runtime APIs, its fragment, and its forms."""
from __future__ import annotations

import html
import re

import pytest

from ..activity.drive import NOW_S, SUPPORT_LINE, SUPPORT_QUEUE, Driver
from ..conftest import DEMO_ORG
from .test_console_pages import sign_in


@pytest.fixture
def drive(app):
    return Driver(app)  # freezes the clock at NOW_S


def _text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def test_the_fragment_is_the_pages_tables_from_the_apis(client, drive):
    sign_in(client)
    drive.login(drive.b, "+15551002", available=False)
    tid = drive.contact()
    page, fragment = client.get("/console/live"), client.get("/console/live/data")
    assert page.status_code == fragment.status_code == 200
    assert "<html" in _text(page) and "<html" not in _text(fragment)
    for body in (_text(page), _text(fragment)):
        assert f'data-queue="{SUPPORT_QUEUE}"' in body and 'class="waiting num">1<' in body
        assert 'data-state="idle">idle (Break)' in body and "Sam Supervisor" in body
    assert drive.record(tid)["status"] == "parked"  # what the Search API groups as waiting
    calls = client.get("/_mock/journal", query_string={"path": "/v1/**", "limit": 50}).get_json()["items"]
    assert {e["path"] for e in calls if e["clientId"] == "mock-console"} >= {
        "/v1/queues/statistics", "/v1/agents/activities", "/v1/agents/statistics"}


def test_signed_out_the_fragment_says_so_and_the_page_asks_to_sign_in(client):
    fragment = client.get("/console/live/data")
    assert fragment.status_code == 401 and "Signed out: sign in again" in _text(fragment)
    assert client.get("/console/live").status_code == 302


@pytest.mark.parametrize("query", ["interval=7", "interval=", "interval=15&interval=60", "interval=%00", "x=1"])
def test_an_odd_interval_shows_the_default(client, drive, query):
    sign_in(client)
    resp = client.get(f"/console/live?{query}")
    assert resp.status_code == 200 and '<option value="15" selected>' in _text(resp)


def test_a_contact_and_the_clock_from_the_forms(client, drive):
    csrf = sign_in(client)
    resp = client.post("/console/live/contact", data={"csrf": csrf, "entryPointId": SUPPORT_LINE, "patience": "30",
                                                      "interval": "30"})
    assert resp.status_code == 303 and resp.headers["Location"] == "/console/live?interval=30"
    state = client.get(f"/_mock/activity/{DEMO_ORG}").get_json()
    assert state["tasks"] == {"queued": 1}
    resp = client.post("/console/live/clock", data={"csrf": csrf, "seconds": "45"})
    assert resp.status_code == 303
    assert client.get("/_mock/clock").get_json()["nowMs"] == NOW_S * 1000 + 45_000
    assert client.get(f"/_mock/activity/{DEMO_ORG}").get_json()["tasks"] == {"abandoned": 1}
    assert "Clock advanced by 45 s." in _text(client.get("/console/live"))


@pytest.mark.parametrize("path,form,message", [
    ("/console/live/clock", {"seconds": "nan"}, "Seconds: 'nan' is not a number. Nothing was changed."),
    ("/console/live/clock", {}, "Seconds: required. Nothing was changed."),
    ("/console/live/generate", {"minutes": "0", "rate": "5"}, "Minutes: from 1 to 480. Nothing was changed."),
    ("/console/live/generate", {"minutes": "10", "rate": "601"}, "Contacts per hour: more than 0, at most 600."),
    ("/console/live/generate", {"minutes": "10", "rate": "inf"}, "Contacts per hour: 'inf' is not a number."),
    ("/console/live/contact", {"entryPointId": SUPPORT_LINE, "patience": "9" * 5000}, "Patience: '999"),
])
def test_a_bad_form_changes_nothing_and_says_why(client, drive, path, form, message):
    csrf = sign_in(client)
    before = client.get(f"/_mock/activity/{DEMO_ORG}").get_json()
    assert client.post(path, data={"csrf": csrf, **form}).status_code == 303
    assert message in _text(client.get("/console/live"))
    after = client.get(f"/_mock/activity/{DEMO_ORG}").get_json()
    assert (after["time"], after["tasks"], after["pendingEvents"]) == (before["time"], before["tasks"],
                                                                       before["pendingEvents"])


def test_the_apis_refusal_is_shown_as_its_reason(client, drive):
    csrf = sign_in(client)
    client.post("/console/live/contact", data={"csrf": csrf, "entryPointId": "no-such-entry-point"})
    assert "entryPointId: not an inbound entry point that leads to a queue." in _text(client.get("/console/live"))
    client.post("/console/live/clock", data={"csrf": csrf, "seconds": str(86_400 * 3651)})
    assert "seconds" in _text(client.get("/console/live")).split('class="messages"')[1].split("</div>")[0]
    assert client.get("/_mock/clock").get_json()["nowMs"] == NOW_S * 1000
    assert client.get(f"/_mock/activity/{DEMO_ORG}").get_json()["tasks"] == {}


def test_an_agent_sees_each_refusal_as_its_reason_and_what_the_api_allows(client, drive):
    sign_in(client, "agent@acme.example")
    body = _text(client.get("/console/live"))
    refused = dict(r.split(": ", 1) for r in re.findall(r'class="msg error refusal">([^<]+)</p>', body))
    assert set(refused) == {"Contacts waiting", "Queues"}  # Search and configuration: administrators, supervisors
    token = client.post("/_mock/tokens", json={"user": "agent@acme.example", "scopes": ["cjp:config_read"]})
    search = client.post("/search", json={"query": "{ task(from: 1, to: 2) { tasks { id } } }"},
                         headers={"Authorization": f"Bearer {token.get_json()['access_token']}"})
    assert search.status_code == 403 and refused["Contacts waiting"] == search.get_json()["error"]["reason"]
    assert "No agent is logged in." in body  # agent activities answer an agent's token


def test_the_forms_need_the_csrf_token(client, drive):
    sign_in(client)
    resp = client.post("/console/live/clock", data={"seconds": "60"})
    assert resp.status_code == 400 and "could not be verified" in _text(resp)
    assert client.get("/_mock/clock").get_json()["nowMs"] == NOW_S * 1000
