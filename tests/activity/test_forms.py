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
    base = {"channelType": "telephony", "status": "completed", "createdTime": 1767132257206,
            "lastUpdatedTime": 1767132464292, "captureRequested": False, "origin": "+19195557424",
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
    assert form is not None and len(own) < 120
    assert form % (d["id"].encode(), 1767132257206, own) == orjson.dumps(d)
    assert forms.parse(orjson.dumps(d), 1767132257206) == (form, own)


@pytest.mark.parametrize("d", [
    {**_item(), "extra": 1},  # another field beside id and attributes
    {"id": 'with "quote"', "attributes": _item()["attributes"]},  # an id JSON escapes
    {"id": "x", "attributes": {**_item()["attributes"], "captureRequested": True}},
    {"attributes": _item()["attributes"], "id": "x"},  # another order
])
def test_an_item_of_another_shape_is_kept_whole(d):
    assert forms.split(d, 1767132257206) == (None, orjson.dumps(d))
    assert forms.parse(orjson.dumps(d), 1767132257206) == (None, orjson.dumps(d))


def test_a_created_time_unlike_the_rows_keeps_the_item_whole():
    raw = orjson.dumps(_item())
    assert forms.parse(raw, 1) == (None, raw)
    assert forms.parse(b"not json", 1) == (None, b"not json")


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
