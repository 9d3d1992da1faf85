"""Dialed number (``dial-number``): maps a phone number to an entry point."""
from __future__ import annotations

from .export import copy
from .spec import DTO, Bool, Ref, Resource, Str, tag


class DialledNumberEntryPointDTO(DTO):
    """A dialed number -> entry point mapping (the vendor spells it dialledNumber, double L)."""

    dialledNumber = Str(max=20, pattern=r"^\+{0,1}\d+[\d.\-]*$")
    extension = Str(max=10, pattern=r"^\d{2,10}$")
    routingPrefix = Str(max=7, pattern=r"^\d{2,7}$")
    esn = Str(max=17, pattern=r"^\d{2,17}$")
    routePointId = Str()
    entryPointId = Str(required=True)
    entryPointName = Str(required=True)
    defaultAni = Bool()
    location = Str()
    regionId = Str()
    dialledNumberDigits = Str()


def example(make) -> dict:
    """A minimal valid mapping (a fresh number each time)."""
    return {"dialledNumber": "+1" + str(int(tag(), 16))[:10].rjust(10, "5"), "entryPointId": make("entry-point"),
            "entryPointName": "Example entry point"}


def export_row(doc: dict, ctx) -> dict:
    """DialledNumberEntryPointExportDTO: the number and its entry point by name."""
    return {**copy(doc, "dialledNumber", "extension", "location"), "region": doc.get("regionId"),
            "entryPointName": ctx.name("entry-point", doc.get("entryPointId")) or doc.get("entryPointName")}


SPEC = Resource(
    "dial-number", "Dialed Number", DialledNumberEntryPointDTO, example,
    paged=("v2/dial-number", "v3/dial-number"),
    unique=("dialledNumber",),
    refs=(Ref("entryPointId", "entry-point"),),
    search=("dialledNumber",),
    display=lambda doc: doc.get("dialledNumber"), export=export_row, extras=("lookups",))
