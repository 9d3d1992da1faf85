"""Global variable (``cad-variable``): call-associated data shown to agents and reported (v2 list only)."""
from __future__ import annotations

from .export import copy
from .spec import DTO, Bool, Resource, Str, tag

TYPES = ("STRING", "INTEGER", "DATE_TIME", "BOOLEAN", "DECIMAL", "String", "Integer", "DateTime", "Boolean", "Decimal")


class CadVariableDTO(DTO):
    """A global variable."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z\d_]+$")
    description = Str(max=256)
    active = Bool(required=True)
    agentEditable = Bool(required=True)
    variableType = Str(required=True, enum=TYPES)
    defaultValue = Str(required=True, max=256)
    reportable = Bool(required=True)
    agentViewable = Bool(required=True)
    sensitive = Bool()
    desktopLabel = Str(max=50)
    systemDefault = Bool()


def example(make) -> dict:
    """A minimal valid string variable."""
    return {"name": f"var_{tag()}", "active": True, "agentEditable": False, "variableType": "STRING",
            "defaultValue": "none", "reportable": False, "agentViewable": False}


def export_row(doc: dict, ctx) -> dict:
    """CadVariableBulkExportDTO: the variable's own columns."""
    return copy(doc, "name", "description", "agentEditable", "variableType", "defaultValue", "reportable",
                "sensitive", "agentViewable", "desktopLabel")


SPEC = Resource("cad-variable", "Global Variable", CadVariableDTO, example, v1_list=None, search=("name",),
                export=export_row, purge=True, extras=("lookups",))
