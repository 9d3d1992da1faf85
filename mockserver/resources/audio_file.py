"""Audio file (``audio-file``): a WAV prompt that entry points, queues and flows play; uploaded as multipart."""
from __future__ import annotations

from .spec import DTO, Bool, Resource, Str, Upload, tag

CONTENT_TYPES = ("AUDIO_WAV", "TEXT_HTML", "TEXT_PHP", "AUDIO_X_WAV", "APPLICATION_OCTET_STREAM")


class AudioFileInfoDTO(DTO):
    """An audio file's description; the bytes travel beside it (``audioFile``) and are kept by ``blobId``."""

    name = Str(required=True, max=80, pattern=r"^[a-zA-Z0-9._\-\s]*$")
    contentType = Str(required=True, enum=CONTENT_TYPES)
    blobId = Str(metadata={"description": "Read-only: the SHA-256 of the stored bytes."})
    url = Str(metadata={"description": "Read-only: download URL (with includeUrl=true)."})
    description = Str(max=255)
    systemDefault = Bool()
    audioFile = Str(metadata={"description": "Ignored in the JSON part (the bytes are the file part)."})


MAX_FLOW_NODES = 200_000  # a flow is bounded by the body limit; the walk is bounded too


def _mentions(value, needles: set) -> bool:
    """Whether any string in a JSON document is one of ``needles`` (iterative: safe on deep documents)."""
    stack, seen = [value], 0
    while stack and seen < MAX_FLOW_NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, str):
            if node in needles:
                return True
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def flows_playing(store, org: str, doc: dict) -> list[tuple[str, dict]]:
    """Flows whose activities name the prompt, by id or by file name ([U]: the exact activity property that
    holds a prompt is not documented, so any string value equal to either counts)."""
    if not doc:
        return []
    needles = {doc["id"], doc.get("name")} - {None}
    return [("flow", f) for f in store.scan(org, "flow") if _mentions(f.get("flowVersion") or f, needles)]


def example(make) -> dict:
    """A minimal valid prompt description (the upload adds a WAV)."""
    return {"name": f"prompt-{tag()}.wav", "contentType": "AUDIO_WAV", "description": f"Prompt {tag()}"}


SPEC = Resource(
    "audio-file", "Audio File", AudioFileInfoDTO, example,
    v1_list=None,
    items={"audio-file/<id>": "GET PUT PATCH DELETE"},
    bulk={},
    readonly=("blobId", "url", "audioFile"),
    search=("description", "name"),
    upload=Upload("audioFileInfo"),
    more_referrers=flows_playing,
    extras=("uploads",),
)
