"""Contact number (``contact-number``): a customised ANI number agents may show on outdial calls."""
from __future__ import annotations

from ..http.jsonutil import json_response
from .export import copy
from .spec import DTO, Resource, Str, tag

MAX_ALL_NUMBERS = 10000  # all-numbers is unpaged in the spec; the mock bounds the answer


class ContactNumberDTO(DTO):
    """One number."""

    number = Str(required=True, max=20, pattern=r"^[0-9]*$")


def example(make) -> dict:
    """A fresh number each time."""
    return {"number": "1" + str(int(tag(), 16))[:10].rjust(10, "5")}


def export_row(doc: dict, ctx) -> dict:
    """ContactNumberBulkExportDTO: the number alone."""
    return copy(doc, "number")


def _all_numbers(orgid):
    """Every number of the organisation, as a bare array of strings (no paging, as the spec says)."""
    from .crud import engine_of
    store = engine_of("contact-number").store
    return json_response([d["number"] for d in store.list(orgid, "contact-number", 0, MAX_ALL_NUMBERS)])


def routes(spec, add) -> None:
    """``GET contact-number/all-numbers``."""
    add("contact-number/all-numbers", "GET", _all_numbers, "List every contact number (numbers only)", 200,
        {"type": "array", "items": {"type": "string"}})


SPEC = Resource(
    "contact-number", "Contact Number", ContactNumberDTO, example,
    v1_list=None,
    unique=("number",),
    references_path=None,
    search=("number",),
    display=lambda doc: doc.get("number"),
    export=export_row,
    extras=("contact_number",),
)
