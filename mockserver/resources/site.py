"""Site (``site``): a physical or logical location that teams belong to."""
from __future__ import annotations

from .spec import DTO, Bool, Ref, Resource, Str, tag


class SiteDTO(DTO):
    """A site."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z\d\-_\s]+$")
    active = Bool(required=True)
    multimediaProfileId = Str(required=True)  # lower-case m here and on user; team spells it multiMediaProfileId
    description = Str(max=255)
    systemDefault = Bool()


def example(make) -> dict:
    """A minimal valid site."""
    return {"name": f"Site {tag()}", "active": True, "multimediaProfileId": make("multimedia-profile")}


def export_row(doc: dict, ctx) -> dict:
    """SiteBulkExportDTO: the name and the multimedia profile by name."""
    return {"name": doc["name"],
            "multimediaProfileName": ctx.name("multimedia-profile", doc.get("multimediaProfileId"))}


SPEC = Resource("site", "Site", SiteDTO, example,
                refs=(Ref("multimediaProfileId", "multimedia-profile"),),
                search=("name",), export=export_row, purge=True)
