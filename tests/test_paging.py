"""The one paging helper: arguments, int32 bounds, the clamp, meta and links of every paged shape."""
from __future__ import annotations

import pytest

from mockserver.http import paging
from mockserver.http.errors import ApiError


def test_arguments_default_clamp_and_bounds():
    assert paging.paging({}) == (0, paging.DEFAULT_PAGE_SIZE)
    assert paging.paging({"page": "3", "pageSize": "5000"}) == (3, paging.MAX_PAGE_SIZE)
    assert paging.paging({"page": "0", "size": "7"}, size_name="size", default_size=10) == (0, 7)
    for args, reason in [({"page": "-1"}, "page: must be at least 0"), ({"pageSize": "0"}, "at least 1"),
                         ({"page": str(2 ** 31)}, "at most 2147483647"), ({"pageSize": "ten"}, "must be an integer")]:
        with pytest.raises(ApiError) as err:
            paging.paging(args)
        assert err.value.status == 400 and reason in err.value.reason


def test_window_and_pages():
    items = list(range(25))
    assert paging.window(items, 2, 10) == [20, 21, 22, 23, 24]
    assert paging.window(items, 3, 10) == []
    assert [paging.total_pages(n, 10) for n in (0, 1, 10, 11)] == [0, 1, 1, 2]


def test_configuration_meta_links_keep_the_other_parameters():
    meta = paging.paged_meta("o", "/organization/o/site", 1, 10, 25, "&filter=name%3D%3Da")
    assert meta["totalPages"] == 3 and meta["totalRecords"] == 25 and meta["orgid"] == "o"
    assert meta["links"] == {"self": "/organization/o/site?page=1&pageSize=10&filter=name%3D%3Da",
                             "first": "/organization/o/site?page=0&pageSize=10&filter=name%3D%3Da",
                             "last": "/organization/o/site?page=2&pageSize=10&filter=name%3D%3Da",
                             "next": "/organization/o/site?page=2&pageSize=10&filter=name%3D%3Da",
                             "prev": "/organization/o/site?page=0&pageSize=10&filter=name%3D%3Da"}
    assert "next" not in paging.paged_meta("o", "/x", 2, 10, 25)["links"]


def test_flow_store_meta():
    # Named as the includePagination parameter's text says: currentPage, totalRecords, pageSize, totalPages.
    assert paging.flow_store_meta("o", 0, 10, 11) == {"orgId": "o", "currentPage": 0, "pageSize": 10,
                                                      "totalRecords": 11, "totalPages": 2}


def test_links_keep_every_query_parameter_of_the_request():
    from flask import Flask

    with Flask("t").test_request_context("/x?type=team&page=1&pageSize=10&attributes=id,name&type=user"):
        links = paging.paged_meta("o", "/x", 1, 10, 25)["links"]
    assert links["self"] == "/x?page=1&pageSize=10&type=team&type=user&attributes=id%2Cname"
    assert links["next"] == "/x?page=2&pageSize=10&type=team&type=user&attributes=id%2Cname"
