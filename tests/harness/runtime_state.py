"""The runtime state clients write, made through the public API of an in-process app: webhook subscriptions (v1 and
v2) with a delivery log of delivered and failed attempts, an uploaded audio file and greeting, a campaign with a
contact list and contacts, a DNC list and a scheduled callback; and what each of them reads back as."""
from __future__ import annotations

import socket

from ..activity.drive import OUTDIAL_EP, SUPPORT_QUEUE, Driver
from ..conftest import DEMO_ORG
from ..resources.conftest import SPECS
from ..uploads import multipart, wav
from ..webhooks.receiver import Receiver

CONFIG = f"/organization/{DEMO_ORG}"
CB = f"/v1/callbacks/organization/{DEMO_ORG}/scheduled-callback"
DNC = "/v3/campaign-management/dncList/main/phoneNumber"
LISTS = "/v3/campaign-management/campaigns/camp-1"


def closed_port_url() -> str:
    """A loopback URL nothing listens on (the receiver is down)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/down"


class LivingState:
    """Builds the state once; ``read()`` answers what a client sees of it (status and body of every read)."""

    def __init__(self, app):
        self.d = Driver(app)  # freezes the clock: the snapshots taken later are comparable byte for byte
        self.c, self.rt = self.d.client, self.d.rt
        tok = self.c.post("/_mock/tokens", json={"user": "full.admin@acme.example", "scopes": [
            "cjp:config", "cjp:config_read", "cjp:config_write", "cjp:user"]}).get_json()["access_token"]
        self.cfg = {"Authorization": f"Bearer {tok}"}
        self.ids: dict = {}

    def build(self, receiver: Receiver) -> "LivingState":
        c, cfg = self.c, self.cfg
        up = self._ok(c.post("/v2/subscriptions", headers=cfg, json={
            "name": "Task hooks", "eventTypes": ["task:new", "task:parked"], "resourceVersion": "task:1.0.0",
            "destinationUrl": receiver.url, "secret": "s" * 32}), 201)
        down = self._ok(c.post("/v1/subscriptions", headers=cfg, json={
            "name": "Agent hooks", "eventTypes": ["agent:login"], "destinationUrl": closed_port_url()}), 201)
        self.ids["subs"] = [("v2", up["data"]["id"]), ("v1", down["data"]["id"])]
        self.d.login(self.d.a, "+15551001", available=False)  # agent:login -> the receiver that is down
        self.d.contact()  # task:new, task:parked -> the receiver
        assert self.rt.webhooks.wait_idle(15)
        audio = SPECS["audio-file"]
        info = {"name": "snapshot-welcome.wav", "contentType": "AUDIO_WAV", "description": "Welcome"}
        self.sound = wav(0.3, level=90)
        doc = self._ok(c.post(f"{CONFIG}/audio-file", headers=cfg, **multipart(audio, info, self.sound)), 201)
        self.ids["audio"] = doc["id"]
        greeting = SPECS["agent-personal-greeting"]
        agent = self.rt.store.list(DEMO_ORG, "user")[0]["id"]
        self.greeting = wav(0.2, level=40)
        doc = self._ok(c.post(f"{CONFIG}/agent-personal-greeting", headers=cfg, **multipart(greeting, {
            "name": "snapshot-hello.wav", "contentType": "AUDIO_WAV", "agentId": agent}, self.greeting)), 201)
        self.ids["greeting"] = doc["id"]
        self._ok(c.post("/v1/dialer/campaign", headers=cfg, json={
            "id": "camp-1", "vendorVersion": "1", "campaignType": "PREVIEW", "dialingRate": 1.0,
            "entryPointId": OUTDIAL_EP, "dialingListFetchURL": "https://lists.example/1",
            "outdialANI": "+19195550100", "recordCount": 2}), 202)
        lid = self._ok(c.post(f"{LISTS}/contact-list", headers=cfg, json={"supportedChannels": ["telephony"]}),
                       201)["contactListId"]
        self._ok(c.post(f"{LISTS}/contact-list/{lid}/contacts", headers=cfg, json={"contacts": [
            {"contactAttributes": [{"fieldName": "PhoneNumber", "value": f"+1555000{i}"}]} for i in range(3)]}), 202)
        self._ok(c.post(DNC, headers=cfg, json={"phoneNumber": "+15550111", "source": "API"}), 201)
        cb = self._ok(c.post(CB, headers=self.d.a, json={
            "customerName": "Ada", "callbackNumber": "+15550123", "timezone": "UTC", "scheduleDate": "2026-01-02",
            "startTime": "10:00:00", "endTime": "11:00:00", "queueId": SUPPORT_QUEUE}), 201)
        self.ids["callback"] = cb["id"]
        return self

    @staticmethod
    def _ok(resp, status: int) -> dict:
        assert resp.status_code == status, resp.get_data(as_text=True)
        return resp.get_json()

    def read(self) -> dict:
        """Every read a client would make of that state: ``{what: (status, body bytes)}``."""
        c, cfg, out = self.c, self.cfg, {}
        for version, sid in self.ids["subs"]:
            out[f"{version} subscription"] = c.get(f"/{version}/subscriptions/{sid}", headers=cfg)
            out[f"{version} deliveries"] = c.get(f"/_mock/webhooks/{DEMO_ORG}/{version}/subscriptions/{sid}"
                                                 "/deliveries")
        for kind in ("audio", "greeting"):
            path = "audio-file" if kind == "audio" else "agent-personal-greeting"
            doc = c.get(f"{CONFIG}/{path}/{self.ids[kind]}?includeUrl=true", headers=cfg)
            out[kind] = doc
            if doc.status_code == 200:
                out[f"{kind} bytes"] = c.get("/" + doc.get_json()["url"].split("://", 1)[1].split("/", 1)[1])
        out["contact lists"] = c.get(f"{LISTS}/contact-lists", headers=cfg)
        out["dnc"] = c.get(f"{DNC}/+15550111", headers=cfg)
        out["callback"] = c.get(f"{CB}/{self.ids['callback']}", headers=self.d.a)
        return {k: (r.status_code, r.get_data()) for k, r in out.items()}
