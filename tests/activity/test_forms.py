"""An ended task's list item kept as a shared form and its own bytes (``activity/forms.py``) gives back exactly the
bytes ``orjson.dumps`` gave, for generated rows, restored rows and items whose strings hold ``%``, quotes or
non-ASCII; an item of another shape is kept whole."""
from __future__ import annotations

import orjson
import pytest

from mockserver import create_app
from mockserver.activity import forms

from .drive import DEMO_ORG, fresh
from .test_generator import TRAFFIC


def _item(**attrs) -> dict:
    base = {"channelType": "telephony", "status": "completed", "captureRequested": False,
            "createdTime": 1767132257206, "lastUpdatedTime": 1767132464292, "origin": "+19195557424",
            "destination": "+19195550103", "direction": "inbound",
            "owner": {"id": "00d60148-3403-496e-9adf-f786a372c339", "name": "Uma Suzuki"},
            "queue": {"id": "b7fa6c1e-80d0-40f0-beb2-c09c3c81a9b2", "name": "Support"}, "reasonCode": "normal"}
    return {"id": "044251db-d0d4-4a67-b992-8faa4cbf131d", "attributes": {**base, **attrs}}


@pytest.mark.parametrize("attrs", [
    {}, {"origin": '100% "sure" \\ é\n'}, {"queue": {"id": "q", "name": "50%d off %s %%"}},
    {"owner": {"id": "a", "name": "Zoë %b"}, "reasonCode": "%"}, {"destination": ""},
])
def test_a_form_gives_back_the_items_bytes(attrs):
    d = _item(**attrs)
    if "reasonCode" not in attrs:
        del d["attributes"]["reasonCode"]
    form, own = forms.split(d, 1767132257206)
    assert form is not None and len(own) < 120 and b"captureRequested" not in own
    assert form % (d["id"].encode(), own) == orjson.dumps(d)
    assert forms.created(own) == 1767132257206
    assert forms.parse(orjson.dumps(d), 1767132257206) == (form, own)


@pytest.mark.parametrize("d", [
    {**_item(), "extra": 1},  # another field beside id and attributes
    {"id": 'with "quote"', "attributes": _item()["attributes"]},  # an id JSON escapes
    {"id": "x", "attributes": {**_item()["attributes"], "captureRequested": True}},
    {"attributes": _item()["attributes"], "id": "x"},  # another order
])
def test_an_item_of_another_shape_is_kept_whole(d):
    kept = b"1767132257206," + orjson.dumps(d)  # behind the creation time the row reads
    assert forms.split(d, 1767132257206) == (None, kept)
    assert forms.parse(orjson.dumps(d), 1767132257206) == (None, kept)
    assert forms.created(kept) == 1767132257206


def test_a_created_time_unlike_the_rows_keeps_the_item_whole():
    raw = orjson.dumps(_item())
    assert forms.parse(raw, 1) == (None, b"1," + raw)
    assert forms.parse(b"not json", -5) == (None, b"-5,not json")
    with pytest.raises(TypeError):
        forms.split(_item(), 1.5)


def test_generated_and_restored_rows_share_forms_and_list_the_same_bytes():
    d = fresh(create_app({"access_log": False}))
    assert d.client.post(f"/_mock/activity/{DEMO_ORG}", json=TRAFFIC).status_code == 200
    url = f"/v1/tasks?from={TRAFFIC['from']}&to={TRAFFIC['to']}&pageSize=1000"
    before = d.client.get(url, headers=d.admin)
    assert before.status_code == 200 and len(before.get_json()["data"]) > 100

    def rows():
        with d.rt.activity.center(DEMO_ORG) as c:
            return [t for t in c.tasks.values() if type(t).__name__ == "Ended"]
    generated = rows()
    assert generated and all(r.form is not None for r in generated)
    assert len({id(r.form) for r in generated}) < len(generated) // 2  # shared, not one per row
    snap = d.client.get("/_mock/snapshot", query_string={"orgId": DEMO_ORG}).get_data()
    assert d.client.put("/_mock/snapshot", data=snap, content_type="application/json").status_code == 200
    restored = rows()
    assert len(restored) == len(generated) and all(r.form is not None for r in restored)
    after = d.client.get(url, headers=d.admin)
    assert after.status_code == 200 and after.get_data() == before.get_data()


def test_a_shape_is_shared_by_equal_rows_and_bounded(monkeypatch):
    monkeypatch.setattr(forms, "_shapes", {})
    a = forms.shape("completed", "telephony", "q1", None, ("a1",))
    b = forms.shape("completed", "telephony", "q1", None, tuple(["a1"]))  # an equal tuple of another row
    assert a is b and a == ("completed", "telephony", "q1", None, ("a1",))
    assert forms.shape("completed", "telephony", "q1", None, ()) is not a  # no agents: a shape of its own
    monkeypatch.setattr(forms, "MAX_SHAPES", 2)
    over = forms.shape("abandoned", "chat", None, "w1", ())
    assert over == ("abandoned", "chat", None, "w1", ()) and len(forms._shapes) == 2  # past the bound: not kept
    assert forms.shape("abandoned", "chat", None, "w1", ()) is not over  # a tuple of its own, as readable


def test_rows_read_their_shape_and_a_restored_row_shares_it():
    d = fresh(create_app({"access_log": False}))
    assert d.client.post(f"/_mock/activity/{DEMO_ORG}", json=TRAFFIC).status_code == 200

    def rows():
        with d.rt.activity.center(DEMO_ORG) as c:
            return {t.id: t for t in c.tasks.values() if type(t).__name__ == "Ended"}
    generated = rows()
    assert len({id(r.shape) for r in generated.values()}) < len(generated) // 4  # shared, not one per row
    for r in generated.values():
        assert (r.state, r.channel, r.queue, r.wrapup_code, r.agents) == r.shape
        assert not hasattr(r, "__dict__")  # the five slots alone
    assert {r.state for r in generated.values()} <= {"completed", "abandoned", "overflowed"}
    assert any(r.wrapup_code for r in generated.values()) and all(r.agents is not None for r in generated.values())
    snap = d.client.get("/_mock/snapshot", query_string={"orgId": DEMO_ORG}).get_data()
    assert d.client.put("/_mock/snapshot", data=snap, content_type="application/json").status_code == 200
    restored = rows()
    assert restored.keys() == generated.keys()
    for tid, r in restored.items():
        assert r.shape == generated[tid].shape and r.created == generated[tid].created
    by_value = {}
    for r in restored.values():
        assert by_value.setdefault(r.shape, r.shape) is r.shape  # equal shapes are the one tuple after a restore


def test_a_row_reads_its_creation_time_from_its_own_bytes_and_keeps_no_int_for_it():
    d = fresh(create_app({"access_log": False}))
    assert d.client.post(f"/_mock/activity/{DEMO_ORG}", json=TRAFFIC).status_code == 200
    with d.rt.activity.center(DEMO_ORG) as c:
        rows = [t for t in c.tasks.values() if type(t).__name__ == "Ended"]
        records = {r["id"]: r for r in d.rt.history.tasks(DEMO_ORG, 0, 1 << 62)}
        created = dict(zip(c.order.ids, c.order.times))
    assert rows and "created" not in type(rows[0]).__slots__
    for r in rows:
        assert r.created == records[r.id]["createdTime"] == created[r.id]
        assert orjson.loads(r.plain_item())["attributes"]["createdTime"] == r.created


def test_a_row_written_before_the_item_order_changed_restores_with_its_bytes():
    """A snapshot written while ``captureRequested`` came after the times (before 2026-12-02): its rows are kept
    whole, list the bytes they were written with, and read their creation time; a capture flag still shows."""
    from mockserver.activity import ended

    old = {"channelType": "telephony", "status": "completed", "createdTime": 1767132257206,
           "lastUpdatedTime": 1767132464292, "captureRequested": False, "origin": "+19195557424",
           "destination": "+19195550103", "direction": "inbound"}
    raw = orjson.dumps({"id": "044251db-d0d4-4a67-b992-8faa4cbf131d", "attributes": old})
    row = ended.load(["044251db-d0d4-4a67-b992-8faa4cbf131d", "completed", "telephony", 1767132257206, None, None,
                      [], False, raw.decode()])
    assert row.form is None and row.plain_item() == raw and row.created == 1767132257206
    row.capture = True
    assert orjson.loads(row.item_bytes())["attributes"] == {**old, "captureRequested": True}
    assert ended.dump(row)[3] == 1767132257206 and ended.dump(row)[8] == raw.decode()
    with pytest.raises(TypeError):  # a creation time that is not an integer is refused (the restore's BadState)
        ended.load(["x", "completed", "telephony", "1767132257206", None, None, [], False, raw.decode()])
