"""Generated summaries (``generated-summaries``, deprecated but served): AI call summary settings."""
from __future__ import annotations

from .spec import DTO, Bool, Resource, Str


class GeneratedSummariesDTO(DTO):
    """Summary settings."""

    callDropSummariesEnabled = Bool()
    virtualAgentTransferSummariesEnabled = Bool()
    consultTransferSummariesEnabled = Bool()
    agentInclusionType = Str(enum=("ALL", "SPECIFIC"))


def example(make) -> dict:
    """Summaries on for every agent."""
    return {"callDropSummariesEnabled": True, "virtualAgentTransferSummariesEnabled": False,
            "consultTransferSummariesEnabled": True, "agentInclusionType": "ALL"}


SPEC = Resource(
    "generated-summaries", "Generated Summaries", GeneratedSummariesDTO, example,
    can_create=False, can_delete=False,
    v1_list=None,
    items={"generated-summaries/<id>": "GET PUT"},
    references_path=None,
    bulk={},
    unique=(),
    search=(),
)
