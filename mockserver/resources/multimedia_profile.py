"""Multimedia profile (``multimedia-profile``): how many contacts per channel an agent handles."""
from __future__ import annotations

from .export import copy
from .spec import DTO, Bool, Int, Nest, Resource, Str, tag


class MultimediaProfileChannelDTO(DTO):
    """Manually assignable contacts per channel."""

    telephony = Int(required=True)
    chat = Int(required=True)
    email = Int(required=True)
    social = Int(required=True)


class MultimediaProfileDTO(DTO):
    """A multimedia profile."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9._\-\s]*$")
    description = Str(max=255)
    chat = Int(required=True)
    email = Int(required=True)
    telephony = Int(required=True)
    social = Int(required=True)
    active = Bool(required=True)
    blendingModeEnabled = Bool(required=True)
    blendingMode = Str(required=True)
    systemDefault = Bool()
    manuallyAssignable = Nest(MultimediaProfileChannelDTO)


def example(make) -> dict:
    """A minimal valid multimedia profile."""
    return {"name": f"MMP {tag()}", "chat": 1, "email": 1, "telephony": 1, "social": 1, "active": True,
            "blendingModeEnabled": False, "blendingMode": "FULL"}


def export_row(doc: dict, ctx) -> dict:
    """MultimediaProfileExportDTO: the profile's channel counts."""
    return copy(doc, "name", "description", "chat", "email", "fax", "telephony", "video", "social", "others",
                "active", "blendingModeEnabled", "blendingMode", "manuallyAssignable")


SPEC = Resource("multimedia-profile", "Multimedia Profile", MultimediaProfileDTO, example,
                search=("name", "description"), export=export_row, purge=True)
