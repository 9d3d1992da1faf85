"""Auto CSAT (``auto-csat``, deprecated but served): the older auto-CSAT settings object, read and replaced."""
from __future__ import annotations

from .spec import DTO, Bool, Ref, Resource, Str


class AutoCSATDTO(DTO):
    """Auto-CSAT settings."""

    enabled = Bool(required=True)
    agentInclusionType = Str(required=True, enum=("ALL", "SPECIFIC"))
    surveyDataSource = Str(required=True, enum=("EXPERIENCE_MANAGEMENT", "GLOBAL_VARIABLE"))
    selectedGlobalVariableId = Str(required=True)


def example(make) -> dict:
    """Settings reading the score from a global variable."""
    return {"enabled": False, "agentInclusionType": "ALL", "surveyDataSource": "GLOBAL_VARIABLE",
            "selectedGlobalVariableId": make("cad-variable")}


SPEC = Resource(
    "auto-csat", "Auto CSAT", AutoCSATDTO, example,
    can_create=False, can_delete=False,
    v1_list=None,
    items={"auto-csat/<id>": "GET PUT"},
    references_path=None,
    bulk={},
    unique=(),
    refs=(Ref("selectedGlobalVariableId", "cad-variable"),),
    search=(),
)
