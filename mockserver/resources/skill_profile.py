"""Skill profile (``skill-profile``): a set of skills with values, assigned to agents and teams."""
from __future__ import annotations

from marshmallow import validate

from .spec import DTO, Bool, Int, Nest, Ref, Resource, Str, tag


class ActiveSkillDTO(DTO):
    """A skill and its value in the profile."""

    textValue = Str(max=100)
    booleanValue = Bool(required=True)
    proficiencyValue = Int(min=0, max=10)
    skillId = Str(required=True)
    skillName = Str()


class ActiveEnumSkillDTO(DTO):
    """An enum skill value in the profile."""

    enumSkillValueId = Str(required=True)
    enumSkillName = Str()
    enumSkillValue = Str()
    enumSkillId = Str()


class SkillProfileDTO(DTO):
    """A skill profile."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9,@_.\-\s]*$")
    description = Str(max=255)
    activeSkills = Nest(ActiveSkillDTO, many=True, required=True,
                        validate=validate.Length(min=1, error="Atleast one skill is mandatory."))
    activeEnumSkills = Nest(ActiveEnumSkillDTO, many=True)


def example(make) -> dict:
    """A minimal valid skill profile (at least one skill is mandatory)."""
    return {"name": f"Profile {tag()}",
            "activeSkills": [{"skillId": make("skill"), "booleanValue": False, "proficiencyValue": 5}]}


SPEC = Resource("skill-profile", "Skill Profile", SkillProfileDTO, example,
                refs=(Ref("activeSkills[].skillId", "skill"),),
                list_drop=("activeSkills", "activeEnumSkills"),
                search=("name", "description"))
