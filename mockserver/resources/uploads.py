"""Multipart resources (``audio-file``, ``agent-personal-greeting``): the DTO and the audio bytes in one request.

The spec's form: a part named after the DTO (``audioFileInfo`` / ``agentPersonalGreetingInfo``, JSON) and
a file part ``audioFile``. The bytes go to the blob store (``storage/blobs.py``) before the document that
names them (``blobId``, their SHA-256) is written, so an acknowledged upload is never lost; a failed write
forgets them again. ``GET .../{id}?includeUrl=true`` adds ``url``, where the bytes can be downloaded.

The spec also lists ``application/json`` for these bodies; the mock reads it as the same two fields in a
JSON object, ``audioFile`` base64-encoded ([U]: what live does with such a body is not known).
"""
from __future__ import annotations

import base64
import binascii

from flask import Response, request

from ..auth import access
from ..http.apidoc import Blueprint
from ..http.errors import ApiError
from ..http.inputs import parse
from ..http.jsonutil import json_response
from ..runtime import current
from ..storage.audio import AUDIO_TYPES, check_name, check_wav
from .crud import engine_of, json_body

DOWNLOAD = "/_mock/audio/<orgid>/<blob>"
blp = access.declare(Blueprint("audio-download", __name__, description="Download URLs of uploaded audio (the mock's "
                                                                       "stand-in for the vendor's signed blob URLs)."),
                     "public", vendor=False)


@blp.route(DOWNLOAD)
@blp.doc(summary="The bytes of an audio file or greeting (the `url` of `includeUrl=true`)")
def download(orgid, blob):
    """Public like a pre-signed URL: only a blob a document of that organisation names is served."""
    rt = current()
    if not _referenced(rt, orgid, blob):
        raise ApiError(404, f"Audio blob {blob} not found for given orgId.")
    data = rt.store.blobs.get(orgid, blob)
    if data is None:
        raise ApiError(404, f"Audio blob {blob} not found for given orgId.")
    return Response(data, mimetype="audio/wav", headers={"Cache-Control": "private, max-age=300"})


def _upload_kinds(rt) -> list[str]:
    return [k for k, s in rt.resources.specs.items() if s.upload]


def _referenced(rt, org: str, sha: str) -> bool:
    return any(rt.store.lookup(org, kind, "blobId", sha) for kind in _upload_kinds(rt))


def forget_unused(rt, org: str, sha: str | None) -> None:
    """Drop a blob nothing names any more (a replaced or deleted upload)."""
    if sha and not _referenced(rt, org, sha):
        rt.store.blobs.discard(org, sha)


def present(rt, org: str, doc: dict, include_url: bool) -> dict:
    """The document as the vendor returns it; ``url`` only when asked for."""
    if include_url and doc.get("blobId"):
        return {**doc, "url": f"{rt.base_url()}{DOWNLOAD.replace('<orgid>', org).replace('<blob>', doc['blobId'])}"}
    return doc


# -- reading the request ---------------------------------------------------------------------------------
def _part_text(name: str):
    """A form part as text: a plain field, or a file part (clients send the JSON part either way)."""
    if name in request.form:
        return request.form[name]
    part = request.files.get(name)
    if part is None:
        return None
    raw = part.read(request.max_content_length or 1 << 20)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, f"{name}: must be UTF-8 JSON.") from None


def read_upload(spec, need_file: bool, max_bytes: int):
    """``(info, audio bytes or None)`` from a multipart or JSON request; Webex 4xx for anything else."""
    info_name, file_name = spec.upload.info, spec.upload.file
    mime = request.mimetype
    if mime == "multipart/form-data":
        text = _part_text(info_name)
        if text is None:
            raise ApiError(400, f"{info_name}: required, the {spec.title} as a JSON part.")
        try:
            info = parse(text.encode("utf-8"))  # the one depth limit of every JSON body
        except ApiError as exc:
            raise ApiError(400, f"{info_name}: not valid JSON ({exc.reason}).") from None
        part = request.files.get(file_name)
        data = part.read(max_bytes + 1) if part is not None else None
        if data is None and file_name in request.form:
            raise ApiError(400, f"{file_name}: must be a file part (Content-Disposition with a filename).")
    elif mime == "application/json" or (mime or "").endswith("+json"):
        body = json_body()
        if not isinstance(body, dict):
            raise ApiError(400, f"Request body must be a JSON object ({spec.title}).")
        if info_name not in body:
            raise ApiError(400, f"{info_name}: required, the {spec.title} object.")
        info, encoded = body[info_name], body.get(file_name)
        data = None
        if encoded is not None:
            if not isinstance(encoded, str):
                raise ApiError(400, f"{file_name}: must be the file's bytes, base64-encoded.")
            try:
                data = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise ApiError(400, f"{file_name}: not valid base64.") from None
    else:
        raise ApiError(415, f"Content type {mime or 'none'} is not supported: send multipart/form-data.")
    if data is None and need_file:
        raise ApiError(400, f"{file_name}: required, the audio file.")
    return info, data


def _checked(engine, info, data, max_bytes: int) -> None:
    """The DTO first (its errors name its fields), then what the spec asks of an audio file."""
    engine.load(info)
    check_name(info.get("name"))
    if info.get("contentType") not in AUDIO_TYPES:
        raise ApiError(400, f"contentType: must be one of {', '.join(AUDIO_TYPES)} for an audio file.")
    if data is not None:
        check_wav(data, engine.spec.upload.file, max_bytes)


def _store(rt, org: str, data: bytes) -> str:
    blobs, limit = rt.store.blobs, rt.config.audio_max_files
    from ..storage.blobs import blob_id
    if blobs.get(org, blob_id(data)) is None and blobs.count(org) >= limit:
        raise ApiError(400, f"audioFile: this organisation already holds {limit} audio files; delete some first.")
    return blobs.put(org, data)


# -- views ---------------------------------------------------------------------------------------------
def _create(kind):
    def view(orgid, **kw):
        rt, engine = current(), engine_of(kind)
        info, data = read_upload(engine.spec, True, rt.config.audio_max_bytes)
        _checked(engine, info, data, rt.config.audio_max_bytes)
        with rt.store.atomic():
            sha = _store(rt, orgid, data)
            try:
                doc = engine.create(orgid, info, None, server={"blobId": sha})
            except ApiError:
                forget_unused(rt, orgid, sha)
                raise
        return json_response(doc, 201)
    return view


def _get(kind):
    def view(orgid, id, **kw):
        rt = current()
        include = request.args.get("includeUrl", "false").lower() == "true"
        return json_response(present(rt, orgid, engine_of(kind).get(orgid, id), include))
    return view


def _replace(kind, partial: bool):
    def view(orgid, id, **kw):
        rt, engine = current(), engine_of(kind)
        if partial:  # the patch DTO alone, as JSON or as plain form fields
            body = request.form.to_dict() if request.mimetype == "multipart/form-data" else json_body()
            return json_response(engine.replace(orgid, id, body, None, partial=True))
        info, data = read_upload(engine.spec, True, rt.config.audio_max_bytes)
        engine.existing(orgid, id)  # 404 before any validation of the new bytes
        _checked(engine, info, data, rt.config.audio_max_bytes)
        with rt.store.atomic():
            old = engine.existing(orgid, id).get("blobId")
            sha = _store(rt, orgid, data)
            try:
                doc = engine.replace(orgid, id, info, None, server={"blobId": sha})
            except ApiError:
                forget_unused(rt, orgid, sha)
                raise
            if old != sha:
                forget_unused(rt, orgid, old)
        return json_response(doc)
    return view


def _delete(kind):
    def view(orgid, id, **kw):
        rt, engine = current(), engine_of(kind)
        with rt.store.atomic():
            old = engine.existing(orgid, id).get("blobId")
            engine.delete(orgid, id)
            forget_unused(rt, orgid, old)
        return Response(status=204)
    return view


def _form(spec) -> dict:
    """The documented request body: the DTO part and the file part."""
    props = {spec.upload.info: {"$ref": f"#/components/schemas/{spec.schema.__name__}"},
             spec.upload.file: {"type": "string", "format": "binary"}}
    schema = {"type": "object", "required": list(props), "properties": props}
    return {"multipart/form-data": {"schema": schema}, "application/json": {"schema": schema}}


def routes(spec, add) -> None:
    """Replace the generic create and item views of an upload resource by multipart ones."""
    kind, body = spec.kind, {"content": _form(spec)}
    for path in spec.create:
        add(path, "POST", _create(kind), f"Upload a {spec.title}", 201, spec.schema, body=body)
    for path, methods in spec.items.items():
        for method in methods.split():
            if method == "GET":
                add(path, "GET", _get(kind), f"Get a {spec.title} by id", 200, spec.schema, params=("includeUrl",))
            elif method == "PUT":
                add(path, "PUT", _replace(kind, False), f"Replace a {spec.title} (new audio)", 200, spec.schema,
                    body=body)
            elif method == "PATCH":
                add(path, "PATCH", _replace(kind, True), f"Patch a {spec.title}", 200, spec.schema, body=spec.schema)
            elif method == "DELETE":
                add(path, "DELETE", _delete(kind), f"Delete a {spec.title} by id", 204)
