"""One contract, every resource: lists, filters, get, create, replace, delete, errors and bulk behave alike."""
from __future__ import annotations

import pytest

from ..conftest import assert_webex_error
from .conftest import SPECS

ALL = sorted(SPECS)
CREATABLE = [k for k in ALL if SPECS[k].can_create]
DELETABLE = [k for k in ALL if SPECS[k].can_delete]
UNIQUE = [k for k in CREATABLE if SPECS[k].unique]
PAGED = [(k, p) for k in ALL for p in SPECS[k].paged]
V1 = [k for k in ALL if SPECS[k].v1_list]
REFERENCES = [k for k in ALL if SPECS[k].references_path]
ITEM_PATHS = [(k, p, m) for k in ALL for p, m in SPECS[k].items.items()]
BULK = [(k, p, m) for k in ALL for p, ms in SPECS[k].bulk.items() for m in ms.split()]


def put_path(spec) -> str | None:
    """The first item path that takes PUT (settings objects such as ai-feature are only patched)."""
    return next((p for p, ms in spec.items.items() if "PUT" in ms.split()), None)


def has_required(spec) -> bool:
    return any(f.required for f in spec.schema._declared_fields.values())


REPLACEABLE = [k for k in ALL if put_path(SPECS[k])]
VALIDATED = [k for k in REPLACEABLE if has_required(SPECS[k])]
SEARCHABLE = [(k, p) for k, p in PAGED if SPECS[k].search]
GUARDED = [k for k in ALL if put_path(SPECS[k]) or SPECS[k].can_delete]
SERVER = {"organizationId", "id", "version", "createdTime", "lastUpdatedTime"}


def required_field(spec) -> str:
    """A required field of the resource's schema."""
    return next(n for n, f in spec.schema._declared_fields.items() if f.required)


def without_child_ids(value):
    """A stored value with the ids the server gives sub-entities removed (to compare with what was sent)."""
    if isinstance(value, list):
        return [without_child_ids(v) for v in value]
    if isinstance(value, dict):
        return {k: without_child_ids(v) for k, v in value.items() if k != "id"}
    return value


def item(cfg, kind, doc, parent=None, path=None):
    return cfg.url(path or put_path(SPECS[kind]) or SPECS[kind].item_path, doc["id"], parent)


def new(cfg, kind):
    """``(document, parent id)`` of a fresh object."""
    spec = SPECS[kind]
    parent = cfg.parent_of(spec)
    return cfg.create(kind, parent=parent), parent


# -- create ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", CREATABLE)
def test_create_is_201_with_server_fields(cfg, kind):
    spec = SPECS[kind]
    parent = cfg.parent_of(spec)
    body = cfg.payload(kind)
    resp = cfg.post(cfg.url(spec.create[0], parent=parent), body)
    assert resp.status_code == 201
    doc = resp.get_json()
    assert doc["organizationId"] == cfg.org and doc["version"] == 0 and len(doc["id"]) == 36
    assert doc["createdTime"] == doc["lastUpdatedTime"] == 1_800_000_000_000
    for key, value in body.items():
        assert without_child_ids(doc[key]) == value, key
    assert None not in doc.values()


@pytest.mark.parametrize("kind", CREATABLE)
def test_create_omits_nulls_and_ignores_client_ids(cfg, kind):
    spec = SPECS[kind]
    body = cfg.payload(kind, id="client-chosen", version=7)
    optional = next((n for n, f in spec.schema._declared_fields.items() if not f.required and n not in SERVER
                     and n not in body and n not in spec.readonly and n != "links"), None)
    if optional:
        body[optional] = None
    doc = cfg.post(cfg.url(spec.create[0], parent=cfg.parent_of(spec)), body).get_json()
    assert doc["id"] != "client-chosen" and doc["version"] == 0
    assert optional is None or optional not in doc


@pytest.mark.parametrize("kind", CREATABLE)
def test_create_missing_required_field_is_400_naming_it(cfg, kind):
    spec = SPECS[kind]
    field = required_field(spec)
    body = cfg.payload(kind)
    body.pop(field, None)
    resp = cfg.post(cfg.url(spec.create[0], parent=cfg.parent_of(spec)), body)
    assert_webex_error(resp, 400, f"{field}:")


@pytest.mark.parametrize("kind", CREATABLE)
def test_create_unknown_field_is_400_naming_it(cfg, kind):
    spec = SPECS[kind]
    resp = cfg.post(cfg.url(spec.create[0], parent=cfg.parent_of(spec)), cfg.payload(kind, colour="blue"))
    assert_webex_error(resp, 400, "colour: Unknown field")


@pytest.mark.parametrize("kind", CREATABLE)
def test_create_wrong_type_and_bad_json_are_400(cfg, kind):
    spec = SPECS[kind]
    url = cfg.url(spec.create[0], parent=cfg.parent_of(spec))
    field = required_field(spec)
    assert_webex_error(cfg.post(url, cfg.payload(kind, **{field: {"nested": True}})), 400, field)
    assert_webex_error(cfg.post(url, [cfg.payload(kind)]), 400, "JSON object")
    assert_webex_error(cfg.client.post(url, data=b"{not json", headers={**cfg.headers,
                                                                       "Content-Type": "application/json"}), 400)
    assert_webex_error(cfg.client.post(url, data=b"name=x", headers={**cfg.headers, "Content-Type": "text/plain"}),
                       415)


@pytest.mark.parametrize("kind", UNIQUE)
def test_duplicate_is_409(cfg, kind):
    spec = SPECS[kind]
    parent = cfg.parent_of(spec)
    url = cfg.url(spec.create[0], parent=parent)
    body = cfg.payload(kind)
    assert cfg.post(url, body).status_code == 201
    assert_webex_error(cfg.post(url, body), 409, "Similar entity is already present")


# -- read ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind,path,methods", ITEM_PATHS)
def test_get_by_id_and_404(cfg, kind, path, methods):
    doc, parent = new(cfg, kind)
    resp = cfg.get(cfg.url(path, doc["id"], parent))
    assert resp.status_code == 200 and resp.get_json() == doc
    body = assert_webex_error(cfg.get(cfg.url(path, "no-such-id", parent)), 404, "not found")
    assert "no-such-id" in body["error"]["reason"]


@pytest.mark.parametrize("kind,path", PAGED)
def test_paged_list_envelope_and_links(cfg, kind, path):
    spec = SPECS[kind]
    parent = cfg.parent_of(spec)
    made = [cfg.create(kind, parent=parent)["id"] for _ in range(3)]
    url = cfg.url(path, parent=parent)
    relative = url.split("?")[0]
    page0 = cfg.get(url + "?pageSize=2").get_json()
    meta = page0["meta"]
    assert {k: meta[k] for k in ("orgid", "page", "pageSize", "totalPages", "totalRecords")} == \
        {"orgid": cfg.org, "page": 0, "pageSize": 2, "totalPages": 2, "totalRecords": 3}
    assert meta["links"] == {"self": f"{relative}?page=0&pageSize=2", "first": f"{relative}?page=0&pageSize=2",
                             "last": f"{relative}?page=1&pageSize=2", "next": f"{relative}?page=1&pageSize=2"}
    page1 = cfg.get(meta["links"]["next"]).get_json()
    assert page1["meta"]["links"]["prev"] == f"{relative}?page=0&pageSize=2" and "next" not in page1["meta"]["links"]
    assert [d["id"] for d in page0["data"] + page1["data"]] == made
    default = cfg.get(url).get_json()["meta"]
    assert default["pageSize"] == 100 and default["page"] == 0
    assert cfg.get(url + "?pageSize=100000").get_json()["meta"]["pageSize"] == 1000
    assert_webex_error(cfg.get(url + "?pageSize=0"), 400, "pageSize")
    assert_webex_error(cfg.get(url + "?page=abc"), 400, "page")
    assert_webex_error(cfg.get(url + "?page=99999999999999999999"), 400, "page: must be at most")


@pytest.mark.parametrize("kind,path", PAGED)
def test_list_drops_array_fields_and_nulls(cfg, kind, path):
    spec = SPECS[kind]
    doc, parent = new(cfg, kind)
    listed = cfg.get(cfg.url(path, parent=parent)).get_json()["data"]
    assert len(listed) == 1
    expected = {k: v for k, v in doc.items() if k not in spec.list_drop}
    assert listed[0] == expected
    assert None not in listed[0].values()


@pytest.mark.parametrize("kind", V1)
def test_v1_list_is_a_bare_array(cfg, kind):
    spec = SPECS[kind]
    ids = {cfg.create(kind)["id"] for _ in range(2)}
    body = cfg.get(cfg.url(spec.v1_list)).get_json()
    assert isinstance(body, list) and {d["id"] for d in body} == ids
    assert len(cfg.get(cfg.url(spec.v1_list, pageSize=1)).get_json()) == 1


@pytest.mark.parametrize("kind,path", PAGED)
def test_filter_and_attributes(cfg, kind, path):
    spec = SPECS[kind]
    parent = cfg.parent_of(spec)
    a, b, c = (cfg.create(kind, parent=parent) for _ in range(3))
    url = cfg.url(path, parent=parent)
    ids = lambda **q: [d["id"] for d in cfg.get(url, query_string=q).get_json()["data"]]  # noqa: E731
    assert ids(filter=f'id=="{a["id"]}"') == [a["id"]]
    assert ids(filter=f"id!={a['id']}") == [b["id"], c["id"]]
    assert ids(filter=f"id=in=({a['id']},{c['id']})") == [a["id"], c["id"]]
    assert ids(filter=f"id=out=({a['id']},{c['id']})") == [b["id"]]
    assert ids(filter=f"id=={a['id']},(id=={b['id']};id!={b['id']})") == [a["id"]]
    assert ids(filter=f"id=={a['id'][:8]}*") == [a["id"]]
    data = cfg.get(url, query_string={"attributes": "id", "filter": f"id=={b['id']}"}).get_json()["data"]
    assert data == [{"id": b["id"]}]
    assert_webex_error(cfg.get(url, query_string={"filter": "nosuchfield==1"}), 400, "nosuchfield")
    assert_webex_error(cfg.get(url, query_string={"filter": "createdTime==1"}), 400, "createdTime")
    assert_webex_error(cfg.get(url, query_string={"filter": "id=="}), 400, "filter")
    assert_webex_error(cfg.get(url, query_string={"attributes": "id,nosuchfield"}), 400, "nosuchfield")


@pytest.mark.parametrize("kind,path", SEARCHABLE)
def test_search_matches_the_vendor_columns(cfg, kind, path):
    spec = SPECS[kind]
    parent = cfg.parent_of(spec)
    docs = [cfg.create(kind, parent=parent) for _ in range(2)]
    column = next(c for c in spec.search if isinstance(docs[0].get(c), str) and docs[0][c] != docs[1].get(c))
    term = docs[0][column][-6:].upper()
    url = cfg.url(path, parent=parent)
    found = cfg.get(url, query_string={"search": term}).get_json()["data"]
    assert [d["id"] for d in found] == [docs[0]["id"]]
    structured = cfg.get(url, query_string={"search": f'field=="{column}";value=="{term}"'}).get_json()["data"]
    assert [d["id"] for d in structured] == [docs[0]["id"]]
    assert_webex_error(cfg.get(url, query_string={"search": 'field=="id";value=="x"'}), 400, "search")


# -- replace ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", REPLACEABLE)
def test_replace_bumps_version_and_time(cfg, kind):
    doc, parent = new(cfg, kind)
    cfg.rt.clock.advance(5)
    resp = cfg.put(item(cfg, kind, doc, parent), doc)
    assert resp.status_code == 200
    after = resp.get_json()
    assert after["version"] == 1 and after["lastUpdatedTime"] == doc["lastUpdatedTime"] + 5000
    assert after["createdTime"] == doc["createdTime"]
    assert cfg.get(item(cfg, kind, doc, parent)).get_json() == after


@pytest.mark.parametrize("kind", REPLACEABLE)
def test_stale_version_is_409_and_missing_version_succeeds(cfg, kind):
    doc, parent = new(cfg, kind)
    url = item(cfg, kind, doc, parent)
    assert cfg.put(url, doc).status_code == 200  # version 0 -> 1
    assert_webex_error(cfg.put(url, doc), 409, "version: 0 is stale")
    unversioned = {k: v for k, v in doc.items() if k != "version"}
    assert cfg.put(url, unversioned).get_json()["version"] == 2


@pytest.mark.parametrize("kind", VALIDATED)
def test_replace_validates_like_create(cfg, kind):
    spec = SPECS[kind]
    doc, parent = new(cfg, kind)
    url = item(cfg, kind, doc, parent)
    field = required_field(spec)
    broken = {k: v for k, v in doc.items() if k != field}
    assert_webex_error(cfg.put(url, broken), 400, f"{field}:")
    assert_webex_error(cfg.put(url, {**doc, "colour": "blue"}), 400, "colour")
    assert_webex_error(cfg.put(url, {**doc, "id": "another-id"}), 400, "id:")
    assert_webex_error(cfg.put(cfg.url(put_path(spec), "no-such-id", parent), doc), 404)
    assert cfg.get(url).get_json() == doc


@pytest.mark.parametrize("kind", GUARDED)
def test_system_default_objects_refuse_change_and_deletion(cfg, kind):
    spec = SPECS[kind]
    parent = cfg.parent_of(spec)
    extra = {spec.parent[1]: parent} if spec.parent else {}
    doc = cfg.seed(kind, cfg.payload(kind), systemDefault=True, **extra)
    url = cfg.url(put_path(spec) or spec.item_path, doc["id"], parent)
    if put_path(spec):
        assert_webex_error(cfg.put(url, {k: v for k, v in doc.items() if k not in extra}), 400, "systemDefault")
    if spec.can_delete:
        assert_webex_error(cfg.delete(url), 400, "systemDefault")
    assert cfg.rt.store.get(cfg.org, kind, doc["id"])["version"] == 0


# -- delete -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", DELETABLE)
def test_delete_is_204_then_404(cfg, kind):
    doc, parent = new(cfg, kind)
    url = item(cfg, kind, doc, parent)
    resp = cfg.delete(url)
    assert resp.status_code == 204 and resp.data == b""
    assert_webex_error(cfg.get(url), 404)
    assert_webex_error(cfg.delete(url), 404)


def referrer_of(kind):
    """A resource with a plain (top-level) reference to ``kind``, and that reference."""
    for spec in SPECS.values():
        for ref in spec.refs:
            if ref.kind == kind and ref.indexed:
                return spec, ref
    return None, None


REFERENCED = [k for k in ALL if referrer_of(k)[0] is not None]


@pytest.mark.parametrize("kind", REFERENCED)
def test_referenced_object_refuses_deletion_with_412(cfg, kind):
    target, parent = new(cfg, kind)
    spec, ref = referrer_of(kind)
    value = [target["id"]] if ref.path.endswith("[]") else target["id"]
    if spec.can_create:
        other = cfg.create(spec.kind, **{ref.top: value})
    else:
        other = cfg.seed(spec.kind, cfg.payload(spec.kind, **{ref.top: value}))
    url = item(cfg, kind, target, parent)
    if SPECS[kind].can_delete:
        body = assert_webex_error(cfg.delete(url), 412, "Resource referred in other entity")
        assert body["error"]["referencedEntities"] == [spec.kind]
        assert cfg.get(url).status_code == 200
    refs = cfg.get(cfg.url(SPECS[kind].references_path, target["id"])).get_json()
    assert refs["meta"]["referencedEntities"] == [spec.kind] and refs["meta"]["currentEntity"] == kind
    assert [d["id"] for d in refs["data"]] == [other["id"]]
    assert refs["data"][0]["additionalAttributes"] == {"type": spec.kind}


@pytest.mark.parametrize("kind", REFERENCES)
def test_incoming_references_of_a_fresh_object_are_empty(cfg, kind):
    spec = SPECS[kind]
    doc, _ = new(cfg, kind)
    body = cfg.get(cfg.url(spec.references_path, doc["id"])).get_json()
    assert body["data"] == [] and body["meta"]["totalRecords"] == 0 and body["meta"]["referencedEntities"] == []
    assert_webex_error(cfg.get(cfg.url(spec.references_path, "no-such-id")), 404)
