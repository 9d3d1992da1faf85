"""Prompts and greetings of a generated tenant: audio files the entry points and queues play, agents' greetings.

The bytes are the built-in tones of ``mockserver.storage.audio`` (content-addressed: a prompt's ``blobId`` is the
SHA-256 of its WAV), so a tenant of any size needs no binary fixture files and every prompt plays.
"""
from __future__ import annotations

import re

from ..storage.audio import BUILTIN_TONES, builtin_id

_PROMPTS = [  # name, description
    ("welcome.wav", "Welcome message played by inbound entry points"),
    ("music-on-hold.wav", "Music on hold"),
    ("queue-music.wav", "Music while waiting in queue"),
    ("after-hours.wav", "Closed: played outside business hours"),
    ("holiday-closed.wav", "Closed for a holiday"),
    ("callback-offer.wav", "Offer of a callback instead of waiting"),
    ("survey-intro.wav", "Introduction to the post-call survey"),
    ("transfer-notice.wav", "Notice before a transfer"),
]
_NOT_IN_NAME = re.compile(r"[^a-zA-Z0-9._\-]")


def build(t) -> None:
    """Prompts, the entry points and queues that play them, and the agents' personal greetings."""
    prompts = []
    for i in range(t.scale(len(_PROMPTS), 25)):
        name, desc = _PROMPTS[i % len(_PROMPTS)]
        if i >= len(_PROMPTS):
            name, desc = f"{name[:-4]}-{i // len(_PROMPTS) + 1}.wav", f"{desc} (variant {i // len(_PROMPTS) + 1})"
        prompts.append(t.add("audio-file", {"name": name, "contentType": "AUDIO_WAV",
                                            "blobId": builtin_id(i % BUILTIN_TONES), "description": desc,
                                            "systemDefault": False}, day=40))
    hold, queue_music = prompts[1]["id"], prompts[2]["id"]
    for ep in t.docs["entry-point"]:  # telephony entry points hold callers with music
        if ep.get("channelType") == "TELEPHONY":
            ep["musicOnHoldId"] = hold
    for queue in t.docs["contact-service-queue"]:
        if queue.get("channelType") == "TELEPHONY":
            queue["defaultMusicInQueueMediaFileId"] = queue_music
    _greetings(t)


def _greetings(t) -> None:
    """One greeting for every agent who handles voice (a user with a skill profile), up to one in two users."""
    agents = [u for u in t.docs["user"] if u.get("skillProfileId")][: max(1, t.users // 2)]
    for i, user in enumerate(agents):
        slug = _NOT_IN_NAME.sub("", f"{user['firstName']}-{user['lastName']}".lower())[:60]
        t.add("agent-personal-greeting", {
            "name": f"{slug}-{i + 1}-greeting.wav", "contentType": "AUDIO_WAV",
            "blobId": builtin_id(i % BUILTIN_TONES), "agentId": user["id"], "attributeTag": "default",
            "firstName": user["firstName"], "lastName": user["lastName"], "email": user["email"],
            "agentActive": user["active"], "ciUserId": user["ciUserId"]}, day=60)
