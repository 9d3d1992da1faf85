"""The list page cache: bounded in entries and bytes, and never serving a page older than the table."""
from __future__ import annotations

from mockserver.resources.listing import PageCache, envelope_meta


def test_cache_serves_only_the_current_table_version():
    cache = PageCache(size=4, max_bytes=1000)
    cache.put("k", 1, b"page")
    assert cache.get("k", 1) == b"page" and cache.get("k", 2) is None


def test_cache_evicts_least_recently_used_by_count_and_bytes():
    cache = PageCache(size=2, max_bytes=800)
    cache.put("a", 1, b"x" * 10)
    cache.put("b", 1, b"x" * 10)
    cache.get("a", 1)
    cache.put("c", 1, b"x" * 10)
    assert cache.get("b", 1) is None and cache.get("a", 1) and cache.get("c", 1)
    cache.put("big", 1, b"x" * 100)
    cache.put("big", 1, b"y" * 100)  # replacing a key does not count its bytes twice
    assert cache.bytes == 110 and cache.get("big", 1) == b"y" * 100 and cache.get("a", 1) is None
    cache.put("huge", 1, b"x" * 200)  # over an eighth of the budget: not cached
    assert cache.get("huge", 1) is None and cache.bytes <= 800


def test_envelope_links_exist_only_where_pages_do():
    empty = envelope_meta("o", "v2/site", 0, 100, 0)
    assert empty["totalPages"] == 0 and set(empty["links"]) == {"self", "first", "last"}
    assert empty["links"]["last"] == "/organization/o/v2/site?page=0&pageSize=100"
    middle = envelope_meta("o", "v2/site", 1, 10, 25, "&filter=x")
    assert middle["links"] == {
        "self": "/organization/o/v2/site?page=1&pageSize=10&filter=x",
        "first": "/organization/o/v2/site?page=0&pageSize=10&filter=x",
        "last": "/organization/o/v2/site?page=2&pageSize=10&filter=x",
        "next": "/organization/o/v2/site?page=2&pageSize=10&filter=x",
        "prev": "/organization/o/v2/site?page=0&pageSize=10&filter=x"}
