"""Every transition of the task and agent-session tables, through HTTP: each allowed one answers 202 and moves
the state as the table says; each refused one answers the vendor's 400 body and changes nothing."""
from __future__ import annotations

import pytest

from mockserver import create_app
from mockserver.activity import machine

from .drive import BODIES, DEMO_ORG, SUPPORT_QUEUE, fresh


@pytest.fixture(scope="module")
def app():
    return create_app({"access_log": False})


@pytest.fixture
def d(app):
    driver = fresh(app)
    yield driver
    driver.stop()


def _offered(d):
    d.login(d.a, "+15551001")
    return d.contact()


def _connected(d):
    tid = _offered(d)
    d.ok(d.a, tid, "accept")
    return tid


def _consult_b(d, accepted=False, queue=False):
    tid = _connected(d)
    d.login(d.b, "+15551002")
    body = {"to": SUPPORT_QUEUE, "destinationType": "queue"} if queue else {"to": _b_id(d), "destinationType": "agent"}
    d.ok(d.a, tid, "consult", body)
    if accepted:
        d.ok(d.b, tid, "consult/accept")
    return tid


def _b_id(d):
    with d.rt.activity.center(DEMO_ORG) as c:
        return c.agent_of("07f1330e-172d-5f38-a2a2-586ea315d6f3").id


def _new(d):
    d.login(d.a, "+15551001")
    return d.contact(ivr=60)


def _queued(d):
    d.login(d.a, "+15551001", available=False)
    return d.contact()


def _then(setup, *steps):
    def run(d):
        tid = setup(d)
        for action in steps:
            d.ok(d.a, tid, action)
        return tid
    return run


def _overflowed(d):
    tid = _queued(d)
    d.rt.clock.advance(601)  # Customer Support Voice: maxTimeInQueue 600 s
    return tid


SETUPS = {
    "new": _new, "queued": _queued, "offered": _offered, "connected": _connected,
    "held": _then(_connected, "hold"), "consulting": _consult_b,
    "conferencing": lambda d: _then(lambda d: _consult_b(d, True), "consult/conference")(d),
    "wrapup": _then(_connected, "end"), "completed": _then(_connected, "end", "wrapup"),
    "abandoned": _then(_offered, "end"), "overflowed": _overflowed,
}

# (state, action, destination type or None, setup, actor "a"/"b", body, expected state)
ALLOWED = [
    ("queued", "assign", None, _queued, "a", None, "connected"),
    ("offered", "accept", None, _offered, "a", None, "connected"),
    ("offered", "reject", None, _offered, "a", None, "queued"),
    ("offered", "end", None, _offered, "a", None, "abandoned"),
    ("connected", "hold", None, _connected, "a", None, "held"),
    ("connected", "end", None, _connected, "a", None, "wrapup"),
    ("connected", "consult", None, _connected, "a", None, "consulting"),
    ("connected", "record/pause", None, _connected, "a", None, "connected"),
    ("connected", "record/resume", None, _connected, "a", None, "connected"),
    ("held", "unhold", None, SETUPS["held"], "a", None, "connected"),
    ("held", "end", None, SETUPS["held"], "a", None, "wrapup"),
    ("held", "consult", None, SETUPS["held"], "a", None, "consulting"),
    ("held", "record/pause", None, SETUPS["held"], "a", None, "held"),
    ("held", "record/resume", None, SETUPS["held"], "a", None, "held"),
    ("consulting", "consult/accept", None, _consult_b, "b", None, "consulting"),
    ("consulting", "consult/end", None, _consult_b, "a", None, "held"),
    ("consulting", "consult/conference", None, lambda d: _consult_b(d, True), "a", None, "conferencing"),
    ("consulting", "end", None, _consult_b, "a", None, "wrapup"),
    ("conferencing", "conference/exit", None, SETUPS["conferencing"], "a", None, "connected"),
    ("conferencing", "end", None, SETUPS["conferencing"], "a", None, "wrapup"),
    ("wrapup", "wrapup", None, SETUPS["wrapup"], "a", None, "completed"),
]
for _state in ("connected", "held"):
    ALLOWED += [
        (_state, "transfer", "queue", SETUPS[_state], "a", {"to": SUPPORT_QUEUE, "destinationType": "queue"},
         "queued"),
        (_state, "transfer", "dialNumber", SETUPS[_state], "a", BODIES["transfer"], "wrapup"),
        (_state, "transfer", "entrypointDialNumber", SETUPS[_state], "a",
         {"to": "+15550003", "destinationType": "entrypointDialNumber"}, "wrapup"),
        (_state, "transfer", "agent", lambda d, s=SETUPS[_state]: _login_b(d, s(d)), "a", "to-b", "offered"),
    ]
ALLOWED += [
    ("consulting", "consult/transfer", "agent", lambda d: _consult_b(d, True), "a",
     {"to": "b", "destinationType": "agent"}, "connected"),
    ("consulting", "consult/transfer", "queue", lambda d: _consult_b(d, True, queue=True), "a",
     {"to": SUPPORT_QUEUE, "destinationType": "queue"}, "connected"),
    ("consulting", "consult/transfer", "dialNumber", _then(_connected, "consult"), "a",
     BODIES["consult/transfer"], "wrapup"),
    ("consulting", "consult/transfer", "entryPoint",
     lambda d: _consult_external(d, "entryPoint"), "a", {"to": "+15550004", "destinationType": "entryPoint"},
     "wrapup"),
]


def _login_b(d, tid):
    d.login(d.b, "+15551002")
    return tid


def _consult_external(d, dtype):
    tid = _connected(d)
    d.ok(d.a, tid, "consult", {"to": "+15550004", "destinationType": dtype})
    return tid


def _expanded_table():
    out = set()
    for (state, action), nxt in machine.TASK.items():
        if action.startswith("~"):
            continue
        for dest in (nxt if isinstance(nxt, dict) else {None: nxt}):
            out.add((state, action, dest))
    return out


def test_the_walk_covers_every_allowed_http_transition():
    walked = {(s, a, dest) for s, a, dest, *_ in ALLOWED}
    assert walked == _expanded_table()


@pytest.mark.parametrize("state,action,dest,setup,actor,body,expected", ALLOWED,
                         ids=[f"{s}-{a}-{dst or ''}" for s, a, dst, *_ in ALLOWED])
def test_allowed_transition(d, state, action, dest, setup, actor, body, expected):
    tid = setup(d)
    assert d.task(tid).state == state
    if body == "to-b":
        body = {"to": _b_id(d), "destinationType": "agent"}
    elif isinstance(body, dict) and body.get("to") == "b":
        body = {**body, "to": _b_id(d)}
    d.ok(d.b if actor == "b" else d.a, tid, action, body if body is not None else BODIES.get(action))
    assert d.task(tid).state == expected
    assert machine.task_next(state, action, dest) == expected
    record = d.record(tid)
    assert record["id"] == tid and record["lastQueue"]["id"] == SUPPORT_QUEUE


REFUSED = [(s, a) for s in machine.TASK_STATES for a in machine.TASK_ACTIONS if (s, a) not in machine.TASK]


@pytest.mark.parametrize("state,action", REFUSED, ids=[f"{s}-{a}" for s, a in REFUSED])
def test_refused_transition_changes_nothing(d, state, action):
    tid = SETUPS[state](d)
    assert d.task(tid).state == state
    before, events = d.record(tid), len(d.events)
    resp = d.act(d.a, tid, action, BODIES.get(action))
    assert resp.status_code == 400, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["error"]["key"] == "400" and body["errorType"] == "Bad Request"
    assert body["errorData"] == {"reason": "INVALID_STATE"} and body["reasonCode"] == 1001
    assert f"{action} is not allowed on a task in state {state}" in body["error"]["message"][0]["description"]
    assert resp.headers["TrackingID"] == body["trackingId"]
    assert d.task(tid).state == state and d.record(tid) == before and len(d.events) == events


AGENT_SETUP = {"LoggedOut": lambda d: None, "Idle": lambda d: d.login(d.a, "+15551001", available=False),
               "Available": lambda d: d.login(d.a, "+15551001")}


def _agent_call(d, action):
    c = d.client
    if action == "login":
        return c.post("/v1/agents/login", json={"dialNumber": "+15551001", "roles": ["agent"]}, headers=d.a)
    if action == "logout":
        return c.put("/v1/agents/logout", json={"logoutReason": "done"}, headers=d.a)
    if action.startswith("state:"):
        st = action.split(":")[1]
        return c.put("/v1/agents/session/state", json={"state": st, "auxCodeId": "0" if st == "Available"
                                                        else "888755af-cbff-4a30-bf28-cd0e5937f102"}, headers=d.a)
    if action == "reload":
        return c.post("/v1/agents/reload", headers=d.a)
    return c.post("/v1/agents/buddyList", json={"agentProfileId": "p", "mediaType": "telephony"}, headers=d.a)


def _agent_state(d):
    with d.rt.activity.center(DEMO_ORG) as c:
        s = c.sessions.get(c.agent_of("2550b86f-d2de-5f7b-9bf1-154f2c15b19f").id)
        return s.state if s else "LoggedOut"


AGENT_CASES = [(s, a) for s in machine.AGENT_STATES for a in machine.AGENT_ACTIONS]


@pytest.mark.parametrize("state,action", AGENT_CASES, ids=[f"{s}-{a}" for s, a in AGENT_CASES])
def test_agent_transition(d, state, action):
    AGENT_SETUP[state](d)
    assert _agent_state(d) == state
    events = len(d.events)
    resp = _agent_call(d, action)
    nxt = machine.AGENT.get((state, action))
    if nxt is not None:
        assert resp.status_code == 202 and resp.get_data() == b""
        assert _agent_state(d) == nxt
        return
    assert resp.status_code == 400
    body = resp.get_json()
    reason = "AGENT_NOT_LOGGED_IN" if state == "LoggedOut" else "DUPLICATE_LOCATION"
    assert body["errorData"] == {"reason": reason} and body["error"]["key"] == "400"
    assert _agent_state(d) == state and len(d.events) == events


def test_deleting_a_queue_keeps_history_and_overflows_new_contacts(d):
    tid = _connected(d)
    d.ok(d.a, tid, "end")
    d.ok(d.a, tid, "wrapup")
    with d.rt.activity.center(DEMO_ORG):
        pass
    d.rt.store.delete(DEMO_ORG, "contact-service-queue", SUPPORT_QUEUE)
    now = d.rt.clock.now_ms()
    listed = d.client.get(f"/v1/tasks?from={now - 1000}&to={now + 1}", headers=d.admin).get_json()["data"]
    assert listed[0]["attributes"]["queue"] == {"id": SUPPORT_QUEUE, "name": "Customer Support Voice"}
    assert d.record(tid)["lastQueue"]["name"] == "Customer Support Voice"
    late = d.contact()
    assert d.task(late).state == "overflowed" and d.record(late)["terminationType"] == "overflow"
