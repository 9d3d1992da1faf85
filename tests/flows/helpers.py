"""Shared constants and helpers of the flow tests."""
from __future__ import annotations

import io
import json

from mockserver.flows.dispatch import Reply, TransportError

from ..conftest import DEMO_ORG

PROJECT = "5e5c9ad6d61f870d6d778c1b"
STORE = f"/flow-store/{DEMO_ORG}/project/{PROJECT}"
FLOW_ID = "6a1f0c2b9d8e7f6a5b4c3d21"  # the bundled demo flow
RO_ID = "c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a21"
RW_ID = "c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a22"
INACTIVE_ID = "c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a23"
CONNECTORS = f"/controlhub/organization/{DEMO_ORG}/connectors"
RUN_ACTIVITY = f"/_mock/flows/{DEMO_ORG}/run-activity"


def upload(doc) -> dict:
    """A multipart body holding ``doc`` as the file (bytes pass through unchanged)."""
    raw = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return {"file": (io.BytesIO(raw), "flow.json")}


def http_activity(**props) -> dict:
    """An authenticated GET through the read-only connector, overridable."""
    base = {"name": "Call", "authenticated": True, "connectorId": RO_ID, "httpRequestMethod": "GET",
            "httpRequestPath": f"/flow-store/{DEMO_ORG}/project/{PROJECT}/flows", "httpContentType": "Application/JSON",
            "contentType": "JSON", "outputVariableArray": [], "httpResponseTimeout": 2000, "retryAttempts": 1}
    return {**base, **props}


def outputs(**pairs) -> list:
    """An outputVariableArray."""
    return [{"outputVariable": k, "jsonPathExp": v} for k, v in pairs.items()]


class FakeDispatcher:
    """Records every outbound request and answers from a script: (status, body) tuples, or exceptions."""

    def __init__(self, *script):
        self.script = list(script)
        self.sent = []

    def __call__(self, out, timeout_s):
        self.sent.append((out, timeout_s))
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, Exception):
            raise step
        status, body = step
        return Reply(status, {"Content-Type": "application/json"}, json.dumps(body).encode())


def transport_error(text="no response within 2000 ms (httpResponseTimeout).") -> TransportError:
    """A transport failure for the fake to raise."""
    return TransportError(text)
