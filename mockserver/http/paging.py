"""One paging helper for every paged list of the mock: arguments, the int32 bound, the clamp, meta and links.

The vendor uses a few shapes, each configured here rather than rewritten per list:
- the configuration API's ``{meta, data}`` envelope (``page`` from 0, ``pageSize``; webex-cc-facts.md 3.2), also
  used by the simulated Control Hub;
- the flow store's ``page``/``size`` and its ``includePagination`` envelope.
"""
from __future__ import annotations

import math
from urllib.parse import quote

import marshmallow as ma
from flask import has_request_context, request

from .errors import ApiError

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000  # the vendor clamps silently; its maximum is undocumented (webex-cc-facts.md 3.3)
INT32_MAX = 2 ** 31 - 1  # the vendor's paging parameters are int32


def int_arg(args, name: str, default: int, low: int) -> int:
    """An integer query argument in ``[low, INT32_MAX]`` (400 naming it otherwise)."""
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"{name}: must be an integer, got {raw[:50]!r}.") from None
    if value < low:
        raise ApiError(400, f"{name}: must be at least {low}.")
    if value > INT32_MAX:
        raise ApiError(400, f"{name}: must be at most {INT32_MAX}.")
    return value


def clamp(size: int) -> int:
    """A page size as the vendor serves it (silently at most ``MAX_PAGE_SIZE``)."""
    return min(size, MAX_PAGE_SIZE)


def paging(args, size_name: str = "pageSize", default_size: int = DEFAULT_PAGE_SIZE) -> tuple[int, int]:
    """``(page, size)`` from raw query arguments: page 0-based, size clamped."""
    return int_arg(args, "page", 0, 0), clamp(int_arg(args, size_name, default_size, 1))


def page_fields(size_name: str = "pageSize", default_size: int = DEFAULT_PAGE_SIZE) -> dict:
    """The same arguments as marshmallow fields, for views that declare their query with a schema."""
    bound = ma.validate.Range(min=0, max=INT32_MAX)
    return {"page": ma.fields.Integer(load_default=0, validate=bound),
            size_name: ma.fields.Integer(load_default=default_size, validate=ma.validate.Range(min=1, max=INT32_MAX))}


def window(items, page: int, size: int) -> list:
    """The items of one page (``size`` already clamped)."""
    start = page * size
    return list(items[start:start + size])


def total_pages(total: int, size: int) -> int:
    """How many pages ``total`` items fill."""
    return math.ceil(total / size) if total else 0


def query_extra(args=None) -> str:
    """``&name=value...`` of every query parameter but ``page``/``pageSize``, in the order sent (default: the
    current request's): paging links keep ``type``, ``filter``, ``attributes``... (a client follows links.next)."""
    if args is None:
        args = request.args if has_request_context() else {}
    items = args.items(multi=True) if hasattr(args, "getlist") else args.items()
    return "".join(f"&{quote(k, safe='')}={quote(v, safe='')}" for k, v in items if k not in ("page", "pageSize"))


def paged_meta(org: str, base: str, page: int, size: int, total: int, extra: str | None = None) -> dict:
    """``meta`` of the configuration envelope under the path ``base``: counts and relative links (``next``/``prev``
    only when they exist); ``extra`` carries the request's other query parameters into every link (default: every
    parameter of the current request, ``query_extra``)."""
    extra = query_extra() if extra is None else extra
    pages = total_pages(total, size)
    link = lambda n: f"{base}?page={n}&pageSize={size}{extra}"  # noqa: E731
    links = {"self": link(page), "first": link(0), "last": link(max(pages - 1, 0))}
    if page + 1 < pages:
        links["next"] = link(page + 1)
    if page > 0:
        links["prev"] = link(min(page - 1, max(pages - 1, 0)))
    return {"orgid": org, "page": page, "pageSize": size, "totalPages": pages, "totalRecords": total,
            "links": links}


def flow_store_meta(org: str, page: int, size: int, total: int) -> dict:
    """``meta`` of the flow store's ``includePagination`` envelope, named as the parameter's text says
    (currentPage, totalRecords, pageSize, totalPages)."""
    return {"orgId": org, "currentPage": page, "pageSize": size, "totalRecords": total,
            "totalPages": total_pages(total, size)}
