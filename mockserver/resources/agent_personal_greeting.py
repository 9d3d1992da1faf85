"""Agent personal greeting (``agent-personal-greeting``, v1, v2 and v3 paths): a WAV an agent's calls open with.

v1 items carry ``attributeTag``, v2 items ``greetingPurposeId``/``greetingPurposeName``; one document holds
both, and each version's schema leaves the other's fields optional. The agent's names, e-mail, CI id and
state are copied from the user ``agentId`` names (read-only, as in the vendor's responses).
"""
from __future__ import annotations

from ..http.errors import ApiError
from ..http.jsonutil import json_response
from .audio_file import CONTENT_TYPES
from .spec import DTO, Bool, Ref, Resource, Str, Upload, tag

AGENT = ("firstName", "lastName", "email", "ciUserId")


class AgentPersonalGreetingDTO(DTO):
    """A greeting file of one agent."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9._\-\s]*$")
    contentType = Str(required=True, enum=CONTENT_TYPES)
    blobId = Str(metadata={"description": "Read-only: the SHA-256 of the stored bytes."})
    url = Str(metadata={"description": "Read-only: download URL (with includeUrl=true)."})
    agentId = Str(required=True)
    attributeTag = Str(max=80, pattern=r"^[a-zA-Z0-9_-]*$")
    greetingPurposeId = Str()
    greetingPurposeName = Str()
    firstName = Str()
    lastName = Str()
    email = Str()
    agentActive = Bool()
    ciUserId = Str()
    audioFile = Str(metadata={"description": "Ignored in the JSON part (the bytes are the file part)."})


def example(make) -> dict:
    """A minimal valid greeting description for a fresh agent (the upload adds a WAV)."""
    return {"name": f"greeting-{tag()}.wav", "contentType": "AUDIO_WAV", "agentId": make("user")}


def _delete_references(orgid):
    """``FieldRequestBody``: delete the greetings whose reference fields hold the given values (a removed agent)."""
    from .crud import engine_of, json_body
    from .uploads import forget_unused
    engine = engine_of("agent-personal-greeting")
    body = json_body()
    refs = body.get("references") if isinstance(body, dict) else None
    if not isinstance(refs, dict) or not refs or not all(isinstance(v, str) for v in refs.values()):
        raise ApiError(400, "references: required, a map of reference field names to their values.")
    allowed = {ref.top for ref in engine.spec.refs}
    unknown = sorted(set(refs) - allowed)
    if unknown:
        raise ApiError(400, f"references: {unknown[0]} is not a reference field "
                            f"(supported: {', '.join(sorted(allowed))}).")
    rt = engine.rt
    deleted = []
    with engine.store.atomic():
        docs = [d for d in engine.store.lookup(orgid, engine.kind, *next(iter(refs.items())))
                if all(d.get(k) == v for k, v in refs.items())]
        for doc in docs:
            engine.store.delete(orgid, engine.kind, doc["id"])
            forget_unused(rt, orgid, doc.get("blobId"))
            deleted.append(doc["id"])
    return json_response({"code": 200, "details": {"deletedCount": len(deleted), "deletedIds": deleted},
                          "links": []})


def routes(spec, add) -> None:
    """``POST agent-personal-greeting/delete-reference``."""
    add("agent-personal-greeting/delete-reference", "POST", _delete_references,
        "Delete the greetings that reference an object", 200,
        {"type": "object", "properties": {"code": {"type": "integer"}, "details": {"type": "object"},
                                          "links": {"type": "array", "items": {"type": "object"}}}},
        body={"type": "object", "properties": {"references": {"type": "object",
                                                              "additionalProperties": {"type": "string"}}}})


SPEC = Resource(
    "agent-personal-greeting", "Agent Personal Greeting", AgentPersonalGreetingDTO, example,
    vendor_schema="AgentPersonalGreetingDTO_AgentPersonalGreetingsWithAttributeTag",  # the spec's info part
    v1_list=None,
    paged=("v2/agent-personal-greeting", "v3/agent-personal-greeting"),
    create=("agent-personal-greeting", "v2/agent-personal-greeting"),
    items={"agent-personal-greeting/<id>": "GET PUT PATCH DELETE",
           "v2/agent-personal-greeting/<id>": "GET PUT PATCH DELETE"},
    references_path=None,
    bulk={},
    unique=(),  # [U] greeting names repeat across agents ("greeting.wav"); the vendor's uniqueness rule is unknown
    refs=(Ref("agentId", "user"),),
    readonly=("blobId", "url", "audioFile", *AGENT, "agentActive"),
    derived=(*((("agentId", "user", f, f)) for f in AGENT), ("agentId", "user", "agentActive", "active")),
    search=("firstName", "lastName", "email", "attributeTag"),
    upload=Upload("agentPersonalGreetingInfo"),
    extras=("uploads", "agent_personal_greeting"),
)
