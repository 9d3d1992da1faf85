"""Desktop layout (``desktop-layout``): the agent desktop's JSON layout, for teams or global (v2 list only)."""
from __future__ import annotations

from .export import copy
from .spec import DTO, Bool, Ids, Long, Ref, Resource, Str, tag


class DesktopLayoutDTO(DTO):
    """A desktop layout."""

    name = Str(required=True, max=255)
    description = Str(max=255)
    editedBy = Str(required=True, max=255)
    jsonFileName = Str(required=True, max=255)
    jsonFileContent = Str(required=True)
    locals()["global"] = Bool(required=True)  # a Python keyword, the vendor's field name
    status = Bool(required=True)
    defaultJsonModified = Bool(required=True)
    validated = Bool(required=True)
    validatedTime = Long()
    defaultJsonModifiedTime = Long()
    modifiedTime = Long()
    teamIds = Ids()
    systemDefault = Bool()


def example(make) -> dict:
    """A minimal valid layout."""
    return {"name": f"Layout {tag()}", "editedBy": "admin@example.com", "jsonFileName": "layout.json",
            "jsonFileContent": "{\"version\": \"0.0.6\"}", "global": False, "status": True,
            "defaultJsonModified": False, "validated": True}


def export_row(doc: dict, ctx) -> dict:
    """DesktopLayoutBulkExportDTO: the layout and its teams by name."""
    return {**copy(doc, "id", "name", "description", "jsonFileName"),
            "teamNames": ctx.names("team", doc.get("teamIds"))}


SPEC = Resource(
    "desktop-layout", "Desktop Layout", DesktopLayoutDTO, example, v1_list=None,
    refs=(Ref("teamIds[]", "team"),),
    list_drop=("jsonFileContent", "teamIds"),  # live list omits jsonFileContent (webex-cc-facts.md 3.2)
    filter_excluded=("organizationId", "validatedTime", "defaultJsonModifiedTime", "modifiedTime", "teamIds",
                     "jsonFileContent", "createdTime", "lastUpdatedTime"),
    search=("name",), export=export_row, purge=True, inactive=lambda doc: doc.get("status") is False)
