"""User (``user``): a Contact Center agent, supervisor or admin. Created and removed in Control Hub only:
the API reads, replaces and patches users (webex-cc-facts.md 3.1)."""
from __future__ import annotations

import marshmallow as ma

from .spec import DTO, Bool, Ids, Int, Nest, Ref, Resource, Str, tag


class AssignedDynamicSkillsDTO(DTO):
    """A dynamic skill assigned to the user."""

    skillId = Str(required=True)
    textValue = Str(max=100)
    booleanValue = Bool()
    proficiencyValue = Int(min=0, max=10)
    enumSkillValues = Str()
    skillName = Str()


class UserDTO(DTO):
    """A Contact Center user."""

    firstName = Str(required=True)
    lastName = Str(required=True)
    email = Str(required=True)
    workPhone = Str(max=20)
    mobile = Str(max=20)
    ciUserId = Str(required=True)
    broadCloudUserId = Str()
    userProfileId = Str(required=True)
    contactCenterEnabled = Bool(required=True)
    timezone = Str()
    xspVersion = Str(max=80)
    subscriptionId = Str(max=80)
    siteId = Str()
    teamIds = Ids()
    skillProfileId = Str()
    agentProfileId = Str()
    multimediaProfileId = Str()
    deafultDialledNumber = Str()  # sic: the vendor's spelling
    externalIdentifier = Str()
    active = Bool(required=True)
    imiUserCreated = Bool()
    preferredSupervisorTeamId = Str()
    systemDefault = Bool()
    userLevelBurnoutInclusion = Str(enum=("INCLUDED", "EXCLUDED"))
    userLevelAutoCSATInclusion = Str(enum=("INCLUDED", "EXCLUDED"))
    userLevelWellnessBreakReminders = Str(enum=("DISABLED", "ENABLED"))
    userLevelSummariesInclusion = Str(enum=("INCLUDED", "EXCLUDED"))
    dynamicSkills = Nest(AssignedDynamicSkillsDTO, many=True)
    # Response-only fields (UserResponseDTO): accepted back on PUT, never changed by the client.
    siteName = Str()
    userProfileType = Str()
    dbId = Str()
    queuesCount = ma.fields.Dict(allow_none=True)
    userProfileData = ma.fields.Dict(allow_none=True)
    userProfileGranularAccessData = ma.fields.Dict(allow_none=True)
    skillProfileUpdatedBy = Str()
    skillProfileUpdatedTime = Int(min=0, max=2 ** 63 - 1)
    dynamicSkillsLimitReached = Bool()
    dynamicSkillsUpdatedBy = Str()
    dynamicSkillsUpdatedTime = Int(min=0, max=2 ** 63 - 1)
    dynamicSkillAssigned = Bool()


def example(make) -> dict:
    """A minimal valid user (users come from Control Hub: the mock's fixtures or the store, not POST)."""
    t = tag()
    return {"firstName": "Alex", "lastName": f"Agent{t}", "email": f"alex.{t}@example.com", "ciUserId": f"ci-{t}",
            "userProfileId": make("user-profile"), "contactCenterEnabled": True, "active": True}


def _display(doc: dict) -> str:
    return " ".join(p for p in (doc.get("firstName"), doc.get("lastName")) if p) or doc.get("email", "")


SPEC = Resource(
    "user", "User", UserDTO, example,
    can_create=False, can_delete=False,
    items={"user/<id>": "GET PUT PATCH"},
    bulk={"user/bulk": "PATCH"},
    unique=("email",),
    refs=(Ref("teamIds[]", "team"), Ref("skillProfileId", "skill-profile"), Ref("agentProfileId", "agent-profile"),
          Ref("siteId", "site"), Ref("userProfileId", "user-profile"),
          Ref("multimediaProfileId", "multimedia-profile"), Ref("preferredSupervisorTeamId", "team"),
          Ref("dynamicSkills[].skillId", "skill")),
    immutable=("firstName", "lastName", "email"),
    list_drop=("teamIds", "dynamicSkills"),
    filter_excluded=("organizationId", "xspVersion", "createdTime", "lastUpdatedTime", "teamIds", "dynamicSkills"),
    search=("firstName", "lastName", "email"),
    readonly=("siteName", "userProfileType", "dbId", "queuesCount", "userProfileData",
              "userProfileGranularAccessData", "skillProfileUpdatedBy", "skillProfileUpdatedTime",
              "dynamicSkillsLimitReached", "dynamicSkillsUpdatedBy", "dynamicSkillsUpdatedTime",
              "dynamicSkillAssigned"),
    display=_display,
    derived=(("siteId", "site", "siteName"),), extras=("user_lookup",))
