"""Entry point (``entry-point``): where a contact enters the contact center, bound to a flow."""
from __future__ import annotations

from .export import copy
from .spec import DTO, Bool, Child, Int, Long, Nest, Ref, Resource, Str, tag

CHANNELS = ("TELEPHONY", "EMAIL", "FAX", "CHAT", "VIDEO", "OTHERS", "SOCIAL_CHANNEL")
SOCIAL = ("MESSAGEBIRD", "MESSENGER", "WHATSAPP", "APPLE_BUSINESS_CHAT", "GOOGLE_BUSINESS_MESSAGES")


class FlowOverrideSettingDTO(Child):
    """A flow variable overridden for this entry point."""

    name = Str(required=True)
    type = Str(required=True)
    entityType = Str()
    entityId = Str()
    value = Str()


class EntryPointDTO(DTO):
    """An entry point. The spec marks legacy fields required that live creates do without (facts 4)."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9&_\-\s]*$")
    description = Str(max=255)
    entryPointType = Str(required=True, enum=("INBOUND", "OUTBOUND"))
    channelType = Str(required=True, enum=CHANNELS)
    socialChannelType = Str(enum=SOCIAL)
    active = Bool(required=True)
    serviceLevelThreshold = Int(required=True)
    maximumActiveContacts = Int(required=True)
    controlFlowScriptUrl = Str()
    overflowNumber = Str(max=40, pattern=r"^[0-9]*$")
    timezone = Str()
    imiOrgType = Str(enum=("MIXED_MODE", "IMI"))
    assetId = Str()
    xspVersion = Str(max=80)
    subscriptionId = Str(max=80)
    routePointId = Str()
    flowId = Str()
    flowTagId = Str()
    musicOnHoldId = Str()
    outdialQueueId = Str()
    systemDefault = Bool()
    callbackEnabled = Bool()
    outdialTransferToQueueEnabled = Bool()
    dnEpMappingCount = Long()
    flowOverrideSettings = Nest(FlowOverrideSettingDTO, many=True)


def example(make) -> dict:
    """A minimal valid inbound telephony entry point."""
    return {"name": f"EP {tag()}", "entryPointType": "INBOUND", "channelType": "TELEPHONY", "active": True,
            "serviceLevelThreshold": 30, "maximumActiveContacts": 100}


def export_row(doc: dict, ctx) -> dict:
    """EntryPointBulkExportDTO: the entry point, its service level as text and its flow tag."""
    out = copy(doc, "name", "description", "timezone", "channelType", "socialChannelType", "entryPointType",
               "assetId", "flowId", "musicOnHoldId", "outdialQueueId", "callbackEnabled")
    if doc.get("serviceLevelThreshold") is not None:
        out["serviceLevelThreshold"] = str(doc["serviceLevelThreshold"])
    return {**out, "flowTag": doc.get("flowTagId")}


SPEC = Resource(
    "entry-point", "Entry Point", EntryPointDTO, example,
    refs=(Ref("outdialQueueId", "contact-service-queue"), Ref("musicOnHoldId", "audio-file")),
    list_drop=("flowOverrideSettings",),
    filter_excluded=("organizationId", "xspVersion", "createdTime", "lastUpdatedTime", "flowOverrideSettings"),
    search=("name", "description"),
    readonly=("dnEpMappingCount",), export=export_row, export_type="entryPointType", purge=True)
