"""``POST /v1/captures/query``: recordings of ended telephony tasks, as signed URLs the mock itself serves (a real
WAV file) that expire after ``urlExpiration`` minutes of mock-clock time (facts 7)."""
from __future__ import annotations

import functools
import hashlib
import hmac
import io
import math
import struct
import wave

import marshmallow as ma
from flask import Response
from flask.views import MethodView

from ..activity.ended import Ended
from ..auth import access
from ..http.errors import ApiError
from ..http.inputs import Blueprint
from ..http.jsonutil import json_response
from ..runtime import current
from .common import ERRORS, StrictBool, activity, org_id

blp = Blueprint("captures", __name__, url_prefix="/v1/captures", description="Recordings of tasks.")
access.declare(blp, "runtime-read")
files = Blueprint("recordings", __name__, url_prefix="/_mock/recordings",
                  description="The mock's own: the audio behind capture URLs.")
access.declare(files, "public", vendor=False)  # the signature in the URL is the credential, as on S3


class CaptureQuery(ma.Schema):
    orgId = ma.fields.String(validate=ma.validate.Length(max=64))
    taskIds = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=64)), required=True,
                             validate=ma.validate.Length(min=1, max=10))
    urlExpiration = ma.fields.Integer(load_default=30)
    includeSegments = StrictBool(load_default=False)
    includeVARecordings = StrictBool(load_default=False)

    @ma.validates("urlExpiration")
    def _minutes(self, value, **kw):
        if value <= 0:
            raise ma.ValidationError("urlExpiration should be greater than 0")  # the vendor's words (facts 7)
        if value > 60:
            raise ma.ValidationError("urlExpiration should be at most 60 minutes.")


class CaptureBody(ma.Schema):
    query = ma.fields.Nested(CaptureQuery, required=True)


def _sign(key: bytes, org: str, task: str, part: str, expires: int) -> str:
    return hmac.new(key, f"{org}/{task}/{part}/{expires}".encode(), hashlib.sha256).hexdigest()[:32]


@functools.lru_cache(maxsize=1)
def wav() -> bytes:
    """Two seconds of a 440 Hz tone, 8 kHz mono 16-bit PCM: what a telephony recording sounds like in a test."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / 8000)))
                               for i in range(16000)))
    return buf.getvalue()


def _facts(c, task) -> tuple | None:
    """(ended time, handled, held at some point, origin) of a task: a live one's own, an ended one's from its
    history record (the center keeps a row of it, ``activity/ended.py``); None without a record."""
    if type(task) is not Ended:
        return task.ended, task.handled, bool(task.acc.get("holdDuration")), task.origin
    rec = c.history.task(c.org_id, task.id)
    if rec is None:
        return None
    return rec["endedTime"], rec["isContactHandled"], bool(rec["holdDuration"]), rec["origin"]


def _recordings(rt, c, task, minutes: int, segments: bool) -> list[dict]:
    facts = _facts(c, task) if task is not None and task.channel == "telephony" else None
    if facts is None or facts[0] is None or not facts[1]:
        return []
    ended, _, held, origin = facts
    expires = c.time + minutes * 60_000
    parts = [("main", task.created, ended)]
    if segments and held:
        middle = task.created + (ended - task.created) // 2
        parts = [("main", task.created, middle), ("main", middle, ended)]
    out = []
    for n, (kind, start, stop) in enumerate(parts):
        part = f"{n}"
        sig = _sign(rt.keys_secret, c.org_id, task.id, part, expires)
        url = f"{rt.base_url()}/_mock/recordings/{c.org_id}/{task.id}/{part}.wav?expires={expires}&sig={sig}"
        out.append({"id": f"{task.id}-{part}", "segment": len(parts) > 1, "attributes": {
            "fileName": f"{task.id}-{part}.wav", "filePath": url, "startTime": start, "stopTime": stop,
            "participants": [origin, *(a for a in task.agents)], "channel1": "customer", "channel2": "agent",
            "callType": kind, "sensitive": False}})
    return out


@blp.route("/query")
class CapturesQuery(MethodView):
    """Captures."""

    @blp.arguments(CaptureBody)
    @blp.doc(responses={**ERRORS, "200": {"description": "DownloadMultipleInteractionsResponse"}})
    def post(self, body):
        """Recording URLs of up to 10 tasks; an unknown task gets empty lists, not an error."""
        q = body["query"]
        org = org_id(q)
        rt = current()
        with activity().center(org) as c:
            data = [{"taskId": tid, "recording": _recordings(rt, c, c.tasks.get(tid), q["urlExpiration"],
                                                             q["includeSegments"]), "transcription": []}
                    for tid in q["taskIds"]]
            for tid in q["taskIds"]:
                if tid in c.tasks and data[q["taskIds"].index(tid)]["recording"]:
                    c.tasks[tid].capture = True
                    c.dirty_tasks.add(tid)
        return json_response({"meta": {"orgId": org, "urlExpiration": q["urlExpiration"]}, "data": data})


@files.route("/<orgId>/<taskId>/<part>.wav")
class Recording(MethodView):
    """One recording file."""

    @files.doc(responses={"200": {"description": "audio/wav"}, "403": {"description": "Expired or forged"}})
    def get(self, orgId, taskId, part):
        """The audio of a capture URL while its signature holds and it has not expired (mock clock)."""
        from flask import request
        rt = current()
        try:
            expires = int(request.args.get("expires", ""))
        except ValueError:
            raise ApiError(403, "Request has expired or its signature does not match.") from None
        good = hmac.compare_digest(_sign(rt.keys_secret, orgId, taskId, part, expires), request.args.get("sig", ""))
        if not good or rt.clock.now_ms() > expires:
            raise ApiError(403, "Request has expired or its signature does not match.")
        return Response(wav(), mimetype="audio/wav")
