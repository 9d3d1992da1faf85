"""Desktop profile (``agent-profile``): what an agent's desktop allows (codes, queues, outdial, statistics)."""
from __future__ import annotations

from .spec import DTO, Bool, Ids, Int, Nest, Ref, Resource, Str, tag

ACCESS = ("SPECIFIC", "ALL", "PROVISIONED_VALUE", "NONE")


class ViewableStatisticsDTO(DTO):
    """Which statistics the agent sees."""

    agentStats = Bool()
    accessQueueStats = Str(required=True, enum=ACCESS)
    contactServiceQueues = Ids()
    loggedInTeamStats = Bool()
    accessTeamStats = Str(required=True, enum=ACCESS)
    teams = Ids()


class AgentProfileDTO(DTO):
    """A desktop profile."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9\._\s\-\(\)]+$")
    description = Str(max=255)
    parentType = Str(required=True, enum=("ORGANIZATION", "SITE"))
    siteId = Str()
    screenPopup = Bool()
    lastAgentRouting = Bool()
    autoWrapUp = Bool()
    autoAnswer = Bool()
    autoWrapAfterSeconds = Int()
    agentAvailableAfterOutdial = Bool()
    allowAutoWrapUpExtension = Bool()
    accessWrapUpCode = Str(required=True, enum=ACCESS)
    wrapUpCodes = Ids()
    accessIdleCode = Str(required=True, enum=ACCESS)
    idleCodes = Ids()
    accessQueue = Str(required=True, enum=ACCESS)
    queues = Ids()
    accessEntryPoint = Str(required=True, enum=ACCESS)
    entryPoints = Ids()
    accessBuddyTeam = Str(required=True, enum=ACCESS)
    buddyTeams = Ids()
    consultToQueue = Bool()
    outdialEnabled = Bool()
    outdialEntryPointId = Str()
    outdialANIId = Str()
    addressBookId = Str()
    dialPlanEnabled = Bool()
    dialPlans = Ids()
    agentDNValidation = Str(required=True, enum=ACCESS)
    agentDNValidationCriteria = Str(enum=ACCESS)
    agentDNValidationCriterions = Ids()
    loginVoiceOptions = Ids()
    viewableStatistics = Nest(ViewableStatisticsDTO, required=True)
    thresholdRules = Ids()
    active = Bool(required=True)
    timeoutDesktopInactivityCustomEnabled = Bool()
    showUserDetailsMS = Bool()
    stateSynchronizationMS = Bool()
    showUserDetailsWebex = Bool()
    stateSynchronizationWebex = Bool()
    timeoutDesktopInactivityMins = Int(min=3, max=10000)
    systemDefault = Bool()


def example(make) -> dict:
    """A minimal valid organisation-wide desktop profile."""
    return {"name": f"Desktop {tag()}", "parentType": "ORGANIZATION", "accessWrapUpCode": "ALL",
            "accessIdleCode": "ALL", "accessQueue": "ALL", "accessEntryPoint": "ALL", "accessBuddyTeam": "ALL",
            "agentDNValidation": "NONE", "active": True,
            "viewableStatistics": {"accessQueueStats": "ALL", "accessTeamStats": "ALL"}}


_ARRAYS = ("wrapUpCodes", "idleCodes", "queues", "entryPoints", "buddyTeams", "dialPlans",
           "agentDNValidationCriterions", "loginVoiceOptions", "thresholdRules")

SPEC = Resource(
    "agent-profile", "Desktop Profile", AgentProfileDTO, example,
    refs=(Ref("siteId", "site"), Ref("wrapUpCodes[]", "auxiliary-code"), Ref("idleCodes[]", "auxiliary-code"),
          Ref("queues[]", "contact-service-queue"), Ref("entryPoints[]", "entry-point"), Ref("buddyTeams[]", "team"),
          Ref("outdialEntryPointId", "entry-point"), Ref("outdialANIId", "outdial-ani"),
          Ref("addressBookId", "address-book"),
          Ref("viewableStatistics.contactServiceQueues[]", "contact-service-queue"),
          Ref("viewableStatistics.teams[]", "team")),
    list_drop=_ARRAYS + ("viewableStatistics",),
    filter_excluded=("organizationId", "autoWrapAfterSeconds", "agentDNValidationCriteria", "viewableStatistics",
                     "createdTime", "lastUpdatedTime") + _ARRAYS,
    search=("name", "description"),
)
