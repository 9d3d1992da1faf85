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
    extras=("uploads",),
)
