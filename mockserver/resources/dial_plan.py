"""Dial plan (``dial-plan``, deprecated but served): how dialled outdial numbers are checked and rewritten."""
from __future__ import annotations

from .export import copy
from .spec import DTO, Bool, Resource, Str, tag


class DialPlanDTO(DTO):
    """A dial plan."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9,_\-\s]*$")
    description = Str(max=255)
    regularExpression = Str(required=True, max=255)
    prefix = Str(max=50)
    strippedChars = Str(max=128)
    active = Bool(required=True)
    systemDefault = Bool()


def example(make) -> dict:
    """A minimal valid dial plan (North American numbers)."""
    return {"name": f"Plan {tag()}", "regularExpression": r"([0-9a-zA-Z]+[-._])*[0-9a-zA-Z]+", "active": True}


def export_row(doc: dict, ctx) -> dict:
    """DialPlanBulkExportDTO."""
    return copy(doc, "name", "regularExpression", "prefix", "strippedChars")


SPEC = Resource(
    "dial-plan", "Dial Plan", DialPlanDTO, example,
    search=("name", "description"),
    export=export_row,
)
