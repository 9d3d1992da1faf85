"""Dialer campaigns, their contact lists, DNC lists and preview tasks: the state the vendor spec implies.

A campaign (``POST /v1/dialer/campaign``) holds contact lists; each contact added to a list of a running PREVIEW
campaign becomes a preview task an agent accepts (an outbound campaign call rings it), skips or removes.
"""
from __future__ import annotations

import datetime as dt

import marshmallow as ma
from flask import Response
from flask.views import MethodView

from ..activity.machine import Refused
from ..auth import access
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response
from ..runtime import current
from .common import ERRORS, accepted, activity, caller, org_id

blp = Blueprint("campaigns", __name__, url_prefix="", description="Dialer campaigns, contact lists, DNC lists.")
access.declare(blp, "campaign")
_S = lambda n=256, **kw: ma.fields.String(validate=ma.validate.Length(min=1, max=n), **kw)  # noqa: E731


class CampaignStart(ma.Schema):
    id, vendorVersion, campaignType = _S(64, required=True), _S(32, required=True), _S(32, required=True)
    dialingRate = ma.fields.Float(required=True, validate=ma.validate.Range(min=0, max=1000))
    entryPointId, dialingListFetchURL = _S(64, required=True), _S(2048, required=True)
    outdialANI = _S(36, required=True)
    recordCount = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0, max=10_000_000))
    campaignName, authToken = _S(256), _S(4096)

    class Meta:
        unknown = ma.EXCLUDE  # the many predictive-dialing tunables are accepted and ignored


class CampaignUpdate(ma.Schema):
    dialingRate = ma.fields.Float(required=True, validate=ma.validate.Range(min=0, max=1000))
    dialingListFetchURL, outdialANI = _S(2048, required=True), _S(36, required=True)
    campaignName, authToken = _S(256), _S(4096)

    class Meta:
        unknown = ma.EXCLUDE


def _campaigns(c) -> dict:
    return c.extras.setdefault("campaigns", {})


def _campaign(c, cid: str) -> dict:
    found = _campaigns(c).get(cid)
    if found is None:
        raise Refused(400, "CAMPAIGN_NOT_FOUND", f"campaignId: {cid} is not a campaign of this organization.")
    return found


def _location(org: str, cid: str) -> dict:
    # The spec types ``data`` as a string with ``items`` (a spec slip): the mock answers the array it implies.
    return {"meta": {"orgId": org}, "data": [{"location": f"{current().base_url()}/v1/dialer/campaign/{cid}"}]}


def _iso(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@blp.route("/v1/dialer/campaign")
class Campaigns(MethodView):
    """Campaigns."""

    @blp.arguments(CampaignStart)
    @blp.doc(responses={**ERRORS, "202": {"description": "CampaignListResponse"}})
    def post(self, body):
        """Start a campaign on an outbound entry point."""
        org = org_id()
        with activity().center(org) as c:
            ep = c.tenant.entry_points.get(body["entryPointId"])
            if ep is None or ep.get("entryPointType") != "OUTBOUND":
                raise Refused(400, "ENTRY_POINT_NOT_FOUND", "entryPointId: not an outbound entry point.")
            _campaigns(c)[body["id"]] = {**body, "status": "running", "previews": {}, "lists": {}}
        return json_response(_location(org, body["id"]), 202)


@blp.route("/v1/dialer/campaign/<campaignId>")
class CampaignItem(MethodView):
    """One campaign."""

    @blp.arguments(CampaignUpdate)
    @blp.doc(responses={**ERRORS, "202": {"description": "CampaignListResponse"}})
    def put(self, body, campaignId):
        """Change a running campaign's rate, list or ANI."""
        org = org_id()
        with activity().center(org) as c:
            _campaign(c, campaignId).update(body)
        return json_response(_location(org, campaignId), 202)

    @blp.response(204)
    @blp.doc(responses=ERRORS)
    def delete(self, campaignId):
        """Stop a campaign: its open preview tasks are withdrawn."""
        with activity().center(org_id()) as c:
            camp = _campaigns(c).pop(_campaign(c, campaignId)["id"])
            for p in camp["previews"].values():
                p["status"] = "removed" if p["status"] == "offered" else p["status"]
        return Response(status=204)


def _preview_view(step: str):
    def post(self, campaignId, taskId):
        with activity().center(org_id()) as c:
            camp = _campaign(c, campaignId)
            preview = camp["previews"].get(taskId)
            if preview is None:
                raise Refused(400, "TASK_NOT_FOUND", f"taskId: {taskId} is not a preview task of this campaign.")
            if preview["status"] != "offered":
                raise Refused(400, "INVALID_STATE", f"{step} is not allowed on a preview task in state "
                                                    f"{preview['status']}.")
            if step == "accept":
                task = c.outbound(caller(), camp["entryPointId"], preview["destination"], camp["outdialANI"],
                                  "OUTDIAL", {"campaignId": campaignId})
                task.campaign_id, task.direction = campaignId, "outbound"  # a campaign call (facts 4.1)
                preview["taskId"] = task.id
            preview["status"] = {"accept": "accepted", "skip": "skipped", "remove": "removed"}[step]
        return accepted()

    post.__doc__ = f"Preview task {step} (202; 400 when the preview is not offered)."
    post = blp.doc(responses=ERRORS)(blp.response(202)(post))
    view = type(f"Preview_{step}", (MethodView,), {"post": post, "__doc__": f"Preview {step}."})
    return access.rule("agent")(view)  # the Tasks tag: an agent's cjp:user work


for _step in ("accept", "skip", "remove"):
    blp.route(f"/v1/dialer/campaign/<campaignId>/preview-task/<taskId>/{_step}",
              endpoint=f"preview_{_step}")(_preview_view(_step))


class CampaignNewList(ma.Schema):
    supportedChannels = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(
        ["telephony", "email", "sms", "TELEPHONY", "EMAIL", "SMS"])), required=True,
        validate=ma.validate.Length(min=1, max=3))
    activationTimeLagMinutes = ma.fields.Integer(validate=ma.validate.Range(min=0, max=10_000))
    activationDateTime = ma.fields.String(validate=ma.validate.Length(max=40))


class CampaignPair(ma.Schema):
    fieldName = _S(128, required=True)
    value = ma.fields.String(required=True, validate=ma.validate.Length(max=1024))


class CampaignContact(ma.Schema):
    contactAttributes = ma.fields.List(ma.fields.Nested(CampaignPair), required=True,
                                       validate=ma.validate.Length(max=100))


class CampaignContacts(ma.Schema):
    contacts = ma.fields.List(ma.fields.Nested(CampaignContact), required=True,
                              validate=ma.validate.Length(min=1, max=10))


class CampaignContactStatus(ma.Schema):
    contactStatus = ma.fields.String(required=True, validate=ma.validate.OneOf(["CLOSED"]))


class CampaignListStatus(ma.Schema):
    contactListStatus = ma.fields.String(required=True, validate=ma.validate.OneOf(["Active", "Inactive",
                                                                                    "Expired", "Closed"]))


class CampaignListsQuery(ma.Schema):
    status = ma.fields.String(validate=ma.validate.Length(max=32))
    source = ma.fields.String(validate=ma.validate.Length(max=32))


def _lists(c, cid: str) -> dict:
    return _campaign(c, cid)["lists"]


def _list(c, cid: str, lid: str) -> dict:
    found = _lists(c, cid).get(lid)
    if found is None:
        raise Refused(400, "CONTACT_LIST_NOT_FOUND", f"contactListId: {lid} is not a list of campaign {cid}.")
    return found


def _public(lst: dict) -> dict:
    return {k: v for k, v in lst.items() if k != "contacts"}


_V3 = "/v3/campaign-management/campaigns/<campaignId>"


@blp.route(f"{_V3}/contact-list")
class ContactLists(MethodView):
    """Contact lists."""

    @blp.arguments(CampaignNewList)
    @blp.doc(responses={**ERRORS, "201": {"description": "CreateContactListResponse"}})
    def post(self, body, campaignId):
        """Create and activate a contact list (even an empty one)."""
        with activity().center(org_id()) as c:
            lists = _lists(c, campaignId)
            lid = str(len(lists) + 501)
            lists[lid] = {"contactListId": lid, "contactListStatus": "Active", "contactListRecordProcessed": 0,
                          "contactListSource": "API", "dateOfCreation": _iso(c.time), "dateOfActivation":
                          _iso(c.time + 60_000 * body.get("activationTimeLagMinutes", 0)), "contacts": {}}
        return json_response({"outcome": "Success", "statusCode": 201, "contactListId": lid}, 201)


@blp.route(f"{_V3}/contact-lists")
class ContactListsRead(MethodView):
    """Contact lists of a campaign."""

    @blp.arguments(CampaignListsQuery, location="query")
    @blp.doc(responses={**ERRORS, "200": {"description": "GetContactListsResponse"}})
    def get(self, args, campaignId):
        """The campaign's contact lists, by status and source."""
        with activity().center(org_id()) as c:
            hits = [_public(x) for x in _lists(c, campaignId).values()
                    if (not args.get("status") or x["contactListStatus"].lower() == args["status"].lower())
                    and (not args.get("source") or x["contactListSource"].lower() == args["source"].lower())]
        return json_response({"outcome": "Success", "statusCode": 0, "contactLists": hits})


@blp.route(f"{_V3}/contact-list/<contactListId>/contacts")
class ContactsView(MethodView):
    """Contacts of a list."""

    @blp.arguments(CampaignContacts)
    @blp.doc(responses={**ERRORS, "202": {"description": "CreateContactResponse"}})
    def post(self, body, campaignId, contactListId):
        """Add up to 10 contacts; on a running PREVIEW campaign each becomes a preview task."""
        with activity().center(org_id()) as c:
            camp, lst = _campaign(c, campaignId), _list(c, campaignId, contactListId)
            if lst["contactListStatus"] != "Active":
                raise Refused(400, "INVALID_STATE", "contacts: the contact list is not Active.")
            for contact in body["contacts"]:
                pairs = {p["fieldName"]: p["value"] for p in contact["contactAttributes"]}
                cid = c.new_id()
                number = pairs.get("PhoneNumber") or pairs.get("phoneNumber") or pairs.get("Phone") or ""
                lst["contacts"][cid] = {"id": cid, "attributes": pairs, "status": "OPEN"}
                if camp["campaignType"].upper() == "PREVIEW" and number:
                    camp["previews"][cid] = {"status": "offered", "destination": number, "contactId": cid}
            lst["contactListRecordProcessed"] = len(lst["contacts"])
        return json_response({"outcome": "Queued", "statusCode": 202,
                              "summary": f"{len(body['contacts'])} contact(s) queued."}, 202)


@blp.route(f"{_V3}/contact-list/<contactListId>/contacts/<contactId>")
class ContactItem(MethodView):
    """One contact."""

    @blp.arguments(CampaignContactStatus)
    @blp.doc(responses={**ERRORS, "202": {"description": "UpdateContactResponse"}})
    def patch(self, body, campaignId, contactListId, contactId):
        """Close a contact (its preview task, if offered, is withdrawn)."""
        with activity().center(org_id()) as c:
            contact = _list(c, campaignId, contactListId)["contacts"].get(contactId)
            if contact is None:
                raise Refused(400, "CONTACT_NOT_FOUND", f"contactId: {contactId} is not in this list.")
            contact["status"] = body["contactStatus"]
            preview = _campaign(c, campaignId)["previews"].get(contactId)
            if preview and preview["status"] == "offered":
                preview["status"] = "removed"
        return json_response({"outcome": "Queued", "statusCode": 202, "summary": "CampaignContact closed."}, 202)


@blp.route(f"{_V3}/contact-list/<contactListId>/status")
class ListStatusView(MethodView):
    """A list's status."""

    @blp.arguments(CampaignListStatus)
    @blp.doc(responses={**ERRORS, "200": {"description": "UpdateContactListStatusResponse"}})
    def patch(self, body, campaignId, contactListId):
        """Activate, deactivate, expire or close a contact list."""
        with activity().center(org_id()) as c:
            lst = _list(c, campaignId, contactListId)
            lst["contactListStatus"] = body["contactListStatus"]
            return json_response({"outcome": "Success", "statusCode": 0, "contactLists": [_public(lst)]})
