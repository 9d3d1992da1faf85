"""The bulk contract, every resource: 207 with one outcome per item; one bad item never stops the others."""
from __future__ import annotations

import pytest

from ..conftest import assert_webex_error
from .conftest import SPECS
from .test_contract import BULK, item, required_field


@pytest.mark.parametrize("kind,path,method", BULK)
def test_bulk_is_207_per_item(cfg, kind, path, method):
    spec = SPECS[kind]
    parent = cfg.parent_of(spec)
    url = cfg.url(path, parent=parent)
    existing = cfg.create(kind, parent=parent)
    broken = {k: v for k, v in cfg.payload(kind).items() if k != required_field(spec)}
    if method == "PATCH":
        items = [{"itemIdentifier": 1, "requestAction": "SAVE", "item": {"id": existing["id"], "version": 0}},
                 {"itemIdentifier": 2, "requestAction": "SAVE", "item": cfg.payload(kind)},
                 {"itemIdentifier": 3, "requestAction": "DELETE", "item": existing}]
        expected = [(1, 200, "UPDATE"), (2, 400, "UPDATE"), (3, 400, "DELETE")]
    else:
        items = [{"itemIdentifier": 1, "requestAction": "SAVE", "item": cfg.payload(kind)},
                 {"itemIdentifier": 2, "requestAction": "SAVE", "item": broken},
                 {"itemIdentifier": 3, "requestAction": "DELETE", "item": existing},
                 {"itemIdentifier": 4, "requestAction": "DELETE", "item": {"id": existing["id"]}},
                 {"itemIdentifier": 5, "requestAction": "SAVE", "item": {**cfg.payload(kind), "id": "x"}}]
        expected = [(1, 201, "CREATE"), (2, 400, "CREATE"), (3, 204, "DELETE"), (4, 400, "DELETE"),
                    (5, 400, "CREATE")]
    resp = cfg.call(method, url, {"items": items})
    assert resp.status_code == 207
    out = resp.get_json()["items"]
    assert [(i["itemIdentifier"], i["status"], i["operationType"]) for i in out] == expected
    for result in out:
        if result["status"] >= 400:
            assert result["apiError"]["error"]["key"] == str(result["status"]) and "href" not in result
        else:
            assert result["href"].startswith(f"/organization/{cfg.org}/") and "apiError" not in result
    if method == "PATCH":
        assert cfg.get(item(cfg, kind, existing, parent)).get_json()["version"] == 1
    else:
        assert_webex_error(cfg.get(item(cfg, kind, existing, parent)), 404)
        assert cfg.get(out[0]["href"]).status_code == 200


@pytest.mark.parametrize("kind,path,method", BULK)
def test_bulk_without_items_is_400(cfg, kind, path, method):
    url = cfg.url(path, parent=cfg.parent_of(SPECS[kind]))
    assert_webex_error(cfg.call(method, url, {"things": []}), 400, "items")
