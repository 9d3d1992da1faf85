"""Desktop profile (``agent-profile``): what an agent's desktop allows (codes, queues, outdial, statistics)."""
from __future__ import annotations

from .export import copy
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

def _pairs(ctx, team_ids):
    """Teams as the export names them: site name and team name."""
    out = []
    for id in team_ids or ():
        team = ctx.store.get(ctx.org, "team", id)
        if team:
            out.append({"siteName": ctx.name("site", team.get("siteId")), "teamName": team.get("name")})
    return out


def export_row(doc: dict, ctx) -> dict:
    """AgentProfileBulkExportDTO: the profile with codes, queues, entry points and teams by name."""
    stats = doc.get("viewableStatistics") or {}
    return {
        **copy(doc, "name", "description", "parentType", "siteId", "screenPopup", "lastAgentRouting", "autoWrapUp",
               "autoAnswer", "autoWrapAfterSeconds", "agentAvailableAfterOutdial", "allowAutoWrapUpExtension",
               "accessWrapUpCode", "accessIdleCode", "accessQueue", "accessEntryPoint", "accessBuddyTeam",
               "consultToQueue", "outdialEnabled", "dialPlanEnabled", "agentDNValidation",
               "agentDNValidationCriteria", "agentDNValidationCriterions", "thresholdRules", "loginVoiceOptions",
               "showUserDetailsMS", "stateSynchronizationMS", "showUserDetailsWebex", "stateSynchronizationWebex"),
        "wrapUpCodes": ctx.names("auxiliary-code", doc.get("wrapUpCodes")),
        "idleCodes": ctx.names("auxiliary-code", doc.get("idleCodes")),
        "queues": ctx.names("contact-service-queue", doc.get("queues")),
        "entryPoints": ctx.names("entry-point", doc.get("entryPoints")),
        "buddyTeamsList": _pairs(ctx, doc.get("buddyTeams")),
        # The vendor's examples show ids for these three (and dial plans by name).
        "outdialEntryPoint": doc.get("outdialEntryPointId"), "addressBook": doc.get("addressBookId"),
        "outdialANI": doc.get("outdialANIId"),
        "dialPlans": [ctx.name("dial-plan", i) or i for i in doc.get("dialPlans") or ()],
        "agentStats": stats.get("agentStats"), "accessQueueStats": stats.get("accessQueueStats"),
        "viewableStatsQueue": ctx.names("contact-service-queue", stats.get("contactServiceQueues")),
        "loggedInTeamStats": stats.get("loggedInTeamStats"), "accessTeamStats": stats.get("accessTeamStats"),
        "viewableStatsTeam": _pairs(ctx, stats.get("teams")),
    }


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
    search=("name", "description"), export=export_row, purge=True)
