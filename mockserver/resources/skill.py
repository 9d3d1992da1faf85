"""Skill (``skill``): what agents are good at and queues ask for."""
from __future__ import annotations

from .spec import DTO, Bool, Int, Nest, Resource, Str, tag


class EnumSkillValueDTO(DTO):
    """One value of an enum skill."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9._\-\s]*$")
    description = Str(max=255)
    skillId = Str()


class SkillDTO(DTO):
    """A skill."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9,@_.\-\s]*$")
    description = Str(max=255)
    serviceLevelThreshold = Int(required=True)
    enumSkillValues = Nest(EnumSkillValueDTO, many=True)
    active = Bool(required=True)
    dynamicSkill = Bool()
    skillType = Str(required=True, enum=("Proficiency", "Boolean", "Text", "enum"))


def example(make) -> dict:
    """A minimal valid proficiency skill."""
    return {"name": f"Skill {tag()}", "serviceLevelThreshold": 30, "active": True, "skillType": "Proficiency"}


SPEC = Resource("skill", "Skill", SkillDTO, example, list_drop=("enumSkillValues",), search=("name",),
                purge=True, extras=("lookups",))
