"""Contact service queue (``contact-service-queue``): where contacts wait, and which teams or agents serve them."""
from __future__ import annotations

from marshmallow import validate

from .export import copy
from .spec import DTO, Bool, Child, Int, Long, Nest, Ref, Resource, Str, tag

CHANNELS = ("TELEPHONY", "EMAIL", "FAX", "CHAT", "VIDEO", "OTHERS", "SOCIAL_CHANNEL", "WORK_ITEM")
SOCIAL = ("MESSAGEBIRD", "MESSENGER", "WHATSAPP", "APPLE_BUSINESS_CHAT", "GOOGLE_BUSINESS_MESSAGES")


class AgentGroupDTO(Child):
    """A team in a distribution group."""

    teamId = Str()


class CallDistributionGroupDTO(Child):
    """Teams tried together, in order, after a wait."""

    agentGroups = Nest(AgentGroupDTO, many=True)
    order = Int()
    duration = Int()


class QueueSkillRequirementDTO(DTO):
    """A skill a contact needs in this queue."""

    skillId = Str(required=True)
    skillName = Str()
    skillType = Str()
    condition = Str(required=True)
    skillValue = Str(required=True)
    weight = Int(max=1000)
    dynamicSkill = Bool()


class QueueAgentsDTO(Child):
    """An agent of an agent-based queue."""

    id = Str(required=True)
    ciUserId = Str()


class AssistantSkillMappingDTO(Child):
    """The AI assistant skill of the queue."""

    assistantSkillId = Str()
    assistantSkillUpdatedTime = Long()


class QueuePersonalizedAIRoutingDTO(Child):
    """AI routing settings."""

    aiRoutingMode = Str(enum=("NONE", "EVALUATION", "ACTIVE"))
    aiRoutingKPIId = Str()
    evaluationModeStartTime = Long()


class ContactServiceQueueDTO(DTO):
    """A queue. Live, the five *Permitted flags and one distribution group are required on create."""

    name = Str(required=True)
    description = Str()
    queueType = Str(required=True, enum=("INBOUND", "OUTBOUND"))
    checkAgentAvailability = Bool(required=True)
    channelType = Str(required=True, enum=CHANNELS)
    socialChannelType = Str(enum=SOCIAL)
    serviceLevelThreshold = Int(required=True)
    maxActiveContacts = Int(required=True)
    maxTimeInQueue = Int(required=True)
    defaultMusicInQueueMediaFileId = Str()
    timezone = Str()
    active = Bool(required=True)
    outdialCampaignEnabled = Bool()
    monitoringPermitted = Bool(required=True)
    parkingPermitted = Bool(required=True)
    recordingPermitted = Bool(required=True)
    recordingAllCallsPermitted = Bool(required=True)
    pauseRecordingPermitted = Bool(required=True)
    recordingPauseDuration = Int()
    controlFlowScriptUrl = Str()
    ivrRequeueUrl = Str()
    overflowNumber = Str()
    vendorId = Str()
    routingType = Str(required=True, enum=("LONGEST_AVAILABLE_AGENT", "SKILLS_BASED", "CIRCULAR", "LINEAR"))
    skillBasedRoutingType = Str(enum=("LONGEST_AVAILABLE_AGENT", "BEST_AVAILABLE_AGENT"))
    queueRoutingType = Str(required=True, enum=("TEAM_BASED", "SKILL_BASED", "AGENT_BASED"))
    queueSkillRequirements = Nest(QueueSkillRequirementDTO, many=True)
    agents = Nest(QueueAgentsDTO, many=True)
    callDistributionGroups = Nest(CallDistributionGroupDTO, many=True, required=True,
                                  validate=validate.Length(min=1, error="Atleast one call distribution group is "
                                                                        "mandatory."))
    xspVersion = Str(max=80)
    subscriptionId = Str(max=80)
    assistantSkill = Nest(AssistantSkillMappingDTO)
    systemDefault = Bool()
    manuallyAssignable = Bool()
    agentsLastUpdatedByUserName = Str()
    agentsLastUpdatedByUserEmailPrefix = Str()
    agentsLastUpdatedTime = Long()
    queueLevelSummariesInclusion = Str()
    queueLevelSentimentAnalysisInclusion = Str()
    queueLevelPredictedWaitTimeInclusion = Str()
    queueLevelAutoCsatInclusion = Str()
    queueLevelRealTimeTranscriptionsInclusion = Str()
    personalizedAIRouting = Nest(QueuePersonalizedAIRoutingDTO)


def example(make) -> dict:
    """A minimal valid team-based telephony queue."""
    return {"name": f"Queue {tag()}", "queueType": "INBOUND", "checkAgentAvailability": False,
            "channelType": "TELEPHONY", "serviceLevelThreshold": 30, "maxActiveContacts": 100,
            "maxTimeInQueue": 600, "active": True, "monitoringPermitted": True, "parkingPermitted": False,
            "recordingPermitted": True, "recordingAllCallsPermitted": False, "pauseRecordingPermitted": True,
            "routingType": "LONGEST_AVAILABLE_AGENT", "queueRoutingType": "TEAM_BASED",
            "callDistributionGroups": [{"agentGroups": [{"teamId": make("team")}], "order": 1, "duration": 0}]}


def _group(group: dict, ctx) -> dict:
    teams = []
    for ag in group.get("agentGroups") or ():
        team = ctx.store.get(ctx.org, "team", ag.get("teamId")) if ag.get("teamId") else None
        if team:
            teams.append({"teamName": team.get("name"), "siteName": ctx.name("site", team.get("siteId"))})
    return {"agentGroups": teams, **copy(group, "order", "duration")}


def export_row(doc: dict, ctx) -> dict:
    """ContactServiceQueueBulkExportDTO: the queue with its distribution groups' teams by name."""
    out = copy(doc, "name", "description", "channelType", "routingType", "monitoringPermitted", "parkingPermitted",
               "recordingPermitted", "recordingAllCallsPermitted", "pauseRecordingPermitted",
               "recordingPauseDuration", "maxTimeInQueue", "timezone", "skillBasedRoutingType",
               "outdialCampaignEnabled", "queueRoutingType", "queueSkillRequirements", "manuallyAssignable",
               "queueLevelSummariesInclusion", "queueLevelSentimentAnalysisInclusion",
               "queueLevelPredictedWaitTimeInclusion", "queueLevelAutoCsatInclusion",
               "queueLevelRealTimeTranscriptionsInclusion", "assistantSkill")
    if doc.get("serviceLevelThreshold") is not None:
        out["serviceLevelThreshold"] = str(doc["serviceLevelThreshold"])
    return {**out, "type": doc.get("queueType"),
            "defaultMusicInQueueMediaFile": doc.get("defaultMusicInQueueMediaFileId"),
            "callDistributionGroups": [_group(g, ctx) for g in doc.get("callDistributionGroups") or ()],
            "agents": [a["id"] for a in doc.get("agents") or () if a.get("id")]}


SPEC = Resource(
    "contact-service-queue", "Contact Service Queue", ContactServiceQueueDTO, example,
    paged=("v2/contact-service-queue", "v3/contact-service-queue"),
    create=("contact-service-queue", "v2/contact-service-queue"),
    items={"contact-service-queue/<id>": "GET PUT DELETE", "v2/contact-service-queue/<id>": "GET PUT"},
    bulk={"contact-service-queue/bulk": "POST PATCH", "contact-service-queue/v2/bulk": "POST"},
    refs=(Ref("callDistributionGroups[].agentGroups[].teamId", "team"), Ref("agents[].id", "user"),
          Ref("queueSkillRequirements[].skillId", "skill"),
          Ref("defaultMusicInQueueMediaFileId", "audio-file")),
    list_drop=("queueSkillRequirements", "agents", "callDistributionGroups"),
    filter_excluded=("organizationId", "queueSkillRequirements", "xspVersion", "createdTime", "lastUpdatedTime",
                     "agents", "callDistributionGroups"),
    search=("name", "description"), export=export_row, export_type="queueType", purge=True, extras=("queue_lookup",))
