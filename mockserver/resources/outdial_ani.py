"""Outdial ANI (``outdial-ani``): caller ids agents may present on outbound calls, with their entries inline."""
from __future__ import annotations

from .export import copy
from .spec import DTO, Bool, Nest, Resource, Str, tag


class OutdialANIEntryDTO(DTO):
    """One caller id."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9._\-\s]*$")
    number = Str(required=True)
    defaultANIEntry = Bool()


class OutdialANIDTO(DTO):
    """An outdial ANI list (PUT replaces the entries: omitted entries are removed)."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9._\-\s]*$")
    description = Str(max=255)
    outdialANIEntries = Nest(OutdialANIEntryDTO, many=True)


def example(make) -> dict:
    """A minimal valid outdial ANI with one entry."""
    return {"name": f"ANI {tag()}", "outdialANIEntries": [{"name": "Main", "number": "+14085550199"}]}


def export_row(doc: dict, ctx) -> dict:
    """OutdialANIBulkExportDTO: the list with its entries as name/number pairs."""
    return {**copy(doc, "name", "description"),
            "entryDetails": [{"entryName": e.get("name"), "entryNumber": e.get("number")}
                             for e in doc.get("outdialANIEntries") or ()]}


SPEC = Resource("outdial-ani", "Outdial ANI", OutdialANIDTO, example,
                list_drop=("outdialANIEntries",), search=("name", "description"),
                export=export_row, extras=("outdial_ani_entry",))
