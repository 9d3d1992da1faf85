"""Auxiliary code (``auxiliary-code``): idle and wrap-up codes agents pick."""
from __future__ import annotations

from .export import copy
from .spec import DTO, Bool, Resource, Str, tag

# Work type ids the vendor uses for its two code families (copied from existing codes, webex-cc-facts.md 4).
IDLE_WORK_TYPE = "idle-work-type"
WRAP_UP_WORK_TYPE = "wrap-up-work-type"


class AuxiliaryCodeDTO(DTO):
    """An idle or wrap-up code."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9._)\/(\-\s]*$")
    description = Str(max=255)
    defaultCode = Bool(required=True)
    active = Bool(required=True)
    isSystemCode = Bool()
    workTypeId = Str(required=True)
    workTypeCode = Str(required=True, enum=("IDLE_CODE", "WRAP_UP_CODE"))
    burnoutInclusion = Str(enum=("NOT_APPLICABLE", "EXCLUDED", "INCLUDED"))
    systemDefault = Bool()


def example(make) -> dict:
    """A minimal valid idle code."""
    return {"name": f"Break {tag()}", "defaultCode": False, "active": True, "workTypeId": IDLE_WORK_TYPE,
            "workTypeCode": "IDLE_CODE"}


def export_row(doc: dict, ctx) -> dict:
    """AuxCodeBulkExportDTO: the code, ``defaultCode`` as text and the work type by its code."""
    return {**copy(doc, "name", "description"), "defaultCode": str(doc.get("defaultCode", False)).lower(),
            "workTypeName": doc.get("workTypeCode")}


SPEC = Resource(
    "auxiliary-code", "Auxiliary Code", AuxiliaryCodeDTO, example,
    bulk={"auxiliary-code/bulk": "POST PATCH"},
    filter_excluded=("organizationId", "createdTime", "lastUpdatedTime"),
    search=("name", "description"), export=export_row, purge=True)
