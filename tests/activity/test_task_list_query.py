"""``GET /v1/tasks`` reads its query by hand (``tasks.list_query``) and falls back to its schema for anything
else: every query, taken or refused, gets the status, headers and body the schema's path gives."""
from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from werkzeug.datastructures import MultiDict

from mockserver import create_app
from mockserver.ccapi import tasks

from .drive import DEMO_ORG, NOW_S, fresh

DAY, HOUR = 86_400_000, 3_600_000
END = NOW_S * 1000 - 2 * HOUR
START = END - DAY
T = START + 9 * HOUR
WINDOW = f"from={T}&to={T + HOUR}"

TAKEN = [
    WINDOW, f"from={T}", f"{WINDOW}&pageSize=1", f"{WINDOW}&pageSize=1000", f"{WINDOW}&pageSize=0007",
    f"{WINDOW}&channelTypes=telephony", f"{WINDOW}&channelTypes=chat,email", f"{WINDOW}&channelTypes= chat , social,",
    f"{WINDOW}&channelTypes=", f"{WINDOW}&channelTypes=,,", f"{WINDOW}&orgId={DEMO_ORG}", f"{WINDOW}&orgId=",
    f"{WINDOW}&unknown=1&unknown=2", f"from=0{T}&to=00{T + HOUR}", f"from={START}&to={END}&pageSize=1000",
    f"from={T}&to={T + 1}",
]
# Handed to the schema, which takes them: a sign or spaces around a number, a parameter given twice.
ODD = [
    f"from=+{T}", f"from=%20{T}", f"from={T}%20", f"{WINDOW}&channelTypes=chat&channelTypes=email",
    f"{WINDOW}&from={T}", f"{WINDOW}&to={T + 2 * HOUR}", f"{WINDOW}&pageSize=5&pageSize=6",
    f"{WINDOW}&orgId={DEMO_ORG}&orgId=other", f"from={T}&from=x",
]
REFUSED = [
    "", "to=1", "from=", "from=abc", f"from={T}.0", f"from=-{T}", "from=0&to=1",
    "from=1_000", "from=\u0661\u0662", "from=\u00b2", f"from={'9' * 19}", f"from={'9' * 40}", "from=1e5",
    "from=true", f"from={T}&to=", f"from={T}&to=x", f"from={T}&to=-1", f"from={T}&to={T}", f"from={T}&to={T - 1}",
    f"from={T}&to={T + 185 * DAY}", f"from={END - 400 * DAY}&to={END - 399 * DAY}", f"{WINDOW}&pageSize=0",
    f"{WINDOW}&pageSize=1001", f"{WINDOW}&pageSize=-5", f"{WINDOW}&pageSize=", f"{WINDOW}&pageSize=ten",
    f"{WINDOW}&pageSize=10.5", f"{WINDOW}&channelTypes=fax", f"{WINDOW}&channelTypes=chat,fax",
    f"{WINDOW}&channelTypes=CHAT", f"{WINDOW}&channelTypes=chat,,fax", f"{WINDOW}&orgId=other",
    f"{WINDOW}&orgId={'x' * 65}", f"{WINDOW}&pageSize=1001&pageSize=5", f"from=x&from={T}",
]


@pytest.fixture(scope="module")
def day():
    d = fresh(create_app({"access_log": False}))
    resp = d.client.post(f"/_mock/activity/{DEMO_ORG}", json={"from": START, "to": END, "seed": 3, "rate": 8})
    assert resp.status_code == 200
    yield d
    d.stop()


def _answer(d, query: str):
    resp = d.client.get(f"/v1/tasks?{query}", headers={**d.admin, "TrackingId": "t-1"})
    return resp.status_code, sorted(resp.headers.items()), resp.get_data()


def _schema_answer(d, query: str, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(tasks, "list_query", lambda args: None)
        return _answer(d, query)


def _args(query: str) -> MultiDict:
    return MultiDict(parse_qsl(query, keep_blank_values=True))


def _parsed(query: str):
    return tasks.list_query(_args(query))


@pytest.mark.parametrize("query", TAKEN)
def test_a_query_read_by_hand_lists_what_the_schema_lists(day, query, monkeypatch):
    assert _parsed(query) is not None  # read by hand, not handed to the schema
    fast = _answer(day, query)
    assert fast[0] == 200
    assert fast == _schema_answer(day, query, monkeypatch)


@pytest.mark.parametrize("query", ODD)
def test_an_odd_query_is_left_to_the_schema(day, query, monkeypatch):
    assert _parsed(query) is None
    fast = _answer(day, query)
    assert fast[0] == 200
    assert fast == _schema_answer(day, query, monkeypatch)


def test_the_window_lists_tasks(day):
    status, _, body = _answer(day, f"{WINDOW}&pageSize=1000")
    assert status == 200 and body.count(b'"createdTime"') > 5


@pytest.mark.parametrize("query", REFUSED)
def test_a_refused_query_gets_the_schemas_answer(day, query, monkeypatch):
    fast = _answer(day, query)
    assert fast[0] in (400, 403), query
    assert b'"trackingId":"t-1"' in fast[2]
    assert fast == _schema_answer(day, query, monkeypatch)


def test_what_is_read_by_hand_is_what_the_schema_loads():
    """Every query read by hand loads the same through the schema (a refused one only later: its window or its
    organisation), so the view's arguments are the same on either path."""
    schema = tasks.TaskListQuery()
    for query in TAKEN + ODD + REFUSED:
        args = _parsed(query)
        if args is not None:
            assert schema.load(_args(query).to_dict()) == args, query
