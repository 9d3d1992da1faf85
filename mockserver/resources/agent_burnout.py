"""Agent burnout (``agent-burnout``, deprecated but served): the agent wellbeing settings, read and replaced."""
from __future__ import annotations

from .spec import DTO, Bool, Resource, Str


class AgentBurnoutDTO(DTO):
    """Agent wellbeing settings."""

    enabled = Bool(required=True)
    agentInclusionType = Str(required=True, enum=("ALL", "SPECIFIC"))
    wellnessBreakReminders = Str(enum=("DISABLED", "ENABLED"))


def example(make) -> dict:
    """Wellbeing on for every agent."""
    return {"enabled": True, "agentInclusionType": "ALL", "wellnessBreakReminders": "ENABLED"}


SPEC = Resource(
    "agent-burnout", "Agent Burnout", AgentBurnoutDTO, example,
    can_create=False, can_delete=False,
    v1_list=None,
    items={"agent-burnout/<id>": "GET PUT"},
    references_path=None,
    bulk={},
    unique=(),
    search=(),
)
