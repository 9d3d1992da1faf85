"""The record fields of the Search API data dictionary (runtime facts 2.9), as data: each record type is
``{field: type}`` where a type is a scalar name (``String``, ``Long``, ``Int``, ``Float``, ``Boolean``), a nested
object (a dict), or a list of one (``[dict]``). The schema, the filters and the aggregations are built from these."""
from __future__ import annotations


def _scalars(type_name: str, names: str) -> dict:
    return {name: type_name for name in names.split()}


_REF = {"id": "String", "name": "String"}
_AGENT = {**_REF, "signInId": "String", "sessionId": "String", "phoneNumber": "String", "channelId": "String"}
_QUEUE = {**_REF, "duration": "Long"}

#: CSR: a contact (``task`` and ``taskDetails`` -> ``tasks[]``).
TASK = {
    **_scalars("String", """id status channelType channelSubType origin destination direction terminationType
        terminationReason terminatingEnd abandonedType contactHandleType contactReason lastWrapUpCodeId
        lastWrapupCodeName firstQueueId firstQueueName previousAgentId previousAgentName previousAgentSessionId
        preferredAgentSystemId preferredAgentSystemName autoCsat recordingLocation matchedSkills requiredSkills
        topicName contactDriver contactPriority ivrScriptId ivrScriptName ivrScriptTagId ivrScriptTagName
        flowActivityName flowActivitySequence routingType campaignId campaignName campaignStatus outdialType
        cpaStatus emailToList emailCcList emailBccList emailReplyTo emailBody emailMessageId"""),
    **_scalars("Long", """createdTime endedTime lastActivityTime totalDuration queueDuration ringingDuration
        connectedDuration holdDuration wrapupDuration selfserviceDuration consultDuration conferenceDuration
        consultToQueueDuration pausedDuration postCallDuration bargedInDuration"""),
    **_scalars("Int", """csatScore queueCount holdCount connectedCount consultCount conferenceCount transferCount
        blindTransferCount consultToQueueCount selfserviceCount recordingCount overflowCount pausedCount
        resumedCount agentToAgentTransferCount agentToQueueTransferCount silentMonitoringCount bargedInCount"""),
    **_scalars("Boolean", """isActive isContactHandled isWithInServiceLevel isContactOffered isCallback isCampaign
        isOutdial isMonitored isBarged captureRequested isTranscriptionAvailable isRecordingDeleted
        isHandledByPreferredAgent isOptOutOfQueue isEmailSent emailHasAttachments"""),
    "owner": dict(_AGENT), "lastAgent": dict(_AGENT), "lastQueue": dict(_QUEUE), "previousQueue": dict(_QUEUE),
    "lastTeam": dict(_REF), "lastSite": dict(_REF), "lastEntryPoint": dict(_REF),
    "entryPoint": dict(_REF),  # [U] facts 2.9: selected on `task` by the 2022 Postman collection
    "customer": _scalars("String", "name phoneNumber email"),
    "callbackData": {**_scalars("String", """callbackNumber callbackStatus callbackOrigin callbackType
        callbackQueueName callbackAgentName callbackTeamName"""),
        **_scalars("Long", "callbackRequestTime callbackConnectTime"), "callbackRetryCount": "Int"},
    "channelMetaData": {"email": _scalars("String", "subject metadata"), "chat": {"chatReason": "String"},
                        **_scalars("String", "inBoundTranscript outBoundTranscript")},
    "feedback": {**_scalars("String", "type comment"), **_scalars("Boolean", "surveyOptIn surveyCompleted"),
                 **_scalars("Int", "questionsAnswered questionsPresented")},
}

#: CAR: one activity of a contact (``taskDetails.tasks[].activities.nodes``).
ACTIVITY = {
    **_scalars("String", """id eventName activityType activityName previousState nextState agentId agentName
        agentPhoneNumber agentSessionId agentChannelId entrypointId entrypointName queueId queueName siteId siteName
        teamId teamName transferType consultEpId consultEpName childContactId childContactType destinationAgentId
        destinationAgentName destinationQueueId destinationQueueName terminationReason ivrScriptId ivrScriptName
        skillsAssignedIn contactAssignmentType"""),
    **_scalars("Long", "createdTime endedTime duration"), "isActive": "Boolean",
}

#: AAR: one state of an agent on a channel (``agentSessions[].channelInfo[].activities.nodes``).
AGENT_ACTIVITY = {
    **_scalars("String", "id state taskId outboundType changedById changedByName contactAssignmentType"),
    **_scalars("Long", "startTime endTime duration"),
    **_scalars("Boolean", "isOutdial isCurrentActivity isLoginActivity isLogoutActivity"),
    "idleCode": dict(_REF), "wrapupCode": dict(_REF), "queue": dict(_REF),
}

_PAIRS = "idle available ringing connected hold wrapup notResponded consult conference outdial postCall reservation"
#: One channel of an agent session (``channelInfo`` is a list).
CHANNEL = {
    **_scalars("String", "channelId channelType subChannelType currentState idleCodeName agentPhoneNumber"),
    **_scalars("Long", "totalDuration lastActivityTime"),
    **{f"{p}Count": "Int" for p in _PAIRS.split()}, **{f"{p}Duration": "Long" for p in _PAIRS.split()},
    **_scalars("Int", "transferCount blindTransferCount callBackCount manualAssignCount"),
}

#: ASR: an agent's login session (``agentSession`` -> ``agentSessions[]``).
SESSION = {
    **_scalars("String", """agentSessionId agentId agentName userLoginId agentSignOutReason state siteId siteName
        teamId teamName orgId orgName parentOrgId parentOrgName multiMediaProfileType skillsProfile agentSkills"""),
    **_scalars("Long", "startTime endTime"), "isActive": "Boolean", "channelInfo": [CHANNEL],
}

#: CLR: one queue leg of a contact (``taskLegDetails`` -> ``taskLegs[]``).
LEG = {
    **_scalars("String", """id taskId status contactState origin destination channelType channelSubType direction
        handleType queuedTo callType callLegType"""),
    **_scalars("Long", """createdTime endedTime slaValue handleTime ringingDuration connectedDuration holdDuration
        wrapupDuration consultDuration"""),
    **_scalars("Int", "connectedCount holdCount consultSuccessCount conferenceSuccessCount transferCount"),
    **_scalars("Boolean", "isActive isTaskLegHandled isWithinServiceLevel isChildLeg"),
    "entryPoint": dict(_REF), "queue": dict(_QUEUE), "owner": dict(_AGENT), "site": dict(_REF), "team": dict(_REF),
    "nextDestination": {"agent": dict(_REF), "team": dict(_REF), "queue": dict(_REF)},
}

#: A flow's execution for one contact (``flowInteractions``; facts 2.9 [U]: field names from a third-party CLI,
#: their types unknown: the activity counts are taken to be counts, times epoch ms as everywhere else).
FLOW_INTERACTION = {
    **_scalars("String", "interactionId flowId flowVersionId entryPointName lastExecutedActivity status"),
    **_scalars("Int", "mainFlowActivities eventFlowActivities"), **_scalars("Long", "flowStartTime flowEndTime"),
}
_NAMED_VALUE = _scalars("String", "name type value")
#: One activity a flow executed for a contact (``flowTraceEvents``; facts 2.9 [U], as above).
FLOW_TRACE_EVENT = {
    **_scalars("String", "interactionId flowId activityName activityProcessId outcome"),
    "activityInputs": [_scalars("String", "name value")], "activityOutput": [dict(_NAMED_VALUE)],
    "modifiedFlowVariables": [dict(_NAMED_VALUE)], **_scalars("Long", "flowStartTime flowEndTime"),
}

#: Global variable kinds: ``<kind>GlobalVariables(name: "X") { name value }`` (facts 2.9).
GLOBAL_VARIABLES = {"string": "String", "integer": "Int", "long": "Long", "double": "Float", "boolean": "Boolean"}
NUMERIC = frozenset({"Long", "Int", "Float"})


def leaf_type(record: dict, path: str):
    """The scalar type of a dotted path (``lastQueue.duration`` -> ``Long``), or None when there is none."""
    node = record
    for part in path.split("."):
        if isinstance(node, list):
            node = node[0]
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, str) else None
