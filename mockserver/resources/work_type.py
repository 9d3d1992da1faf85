"""Work type (``work-type``, deprecated but served): the families of auxiliary codes (idle, wrap-up)."""
from __future__ import annotations

from .export import copy
from .spec import DTO, Bool, Resource, Str, tag


class WorkTypeDTO(DTO):
    """A work type."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9._\-\s]*$")
    description = Str(max=255)
    workTypeCode = Str(required=True, enum=("WRAP_UP_CODE", "IDLE_CODE"))  # "Can be 'WRAP_UP_CODE' or 'IDLE_CODE'"
    active = Bool(required=True)
    systemDefault = Bool()


def example(make) -> dict:
    """A minimal valid work type."""
    return {"name": f"Work type {tag()}", "workTypeCode": "IDLE_CODE", "active": True}


def export_row(doc: dict, ctx) -> dict:
    """WorkTypeBulkExportDTO."""
    return copy(doc, "name", "description", "workTypeCode")


SPEC = Resource(
    "work-type", "Work Type", WorkTypeDTO, example,
    v1_list=None,
    search=("name", "description"),
    export=export_row,
    purge=True,
)
