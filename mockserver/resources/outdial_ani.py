"""Outdial ANI (``outdial-ani``): caller ids agents may present on outbound calls, with their entries inline."""
from __future__ import annotations

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


SPEC = Resource("outdial-ani", "Outdial ANI", OutdialANIDTO, example,
                list_drop=("outdialANIEntries",), search=("name", "description"))
