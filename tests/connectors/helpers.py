"""Shared constants and helpers of the connector tests."""
from __future__ import annotations

from ..conftest import DEMO_ORG

BASE = f"/controlhub/organization/{DEMO_ORG}/connectors"
RO_ID = "c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a21"  # demo fixture: active, read-only
RW_ID = "c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a22"  # demo fixture: active, read/write
INACTIVE_ID = "c0a8f1e2-3b4d-4e5f-8a6b-7c8d9e0f1a23"  # demo fixture: inactive, read-only
RO_SCOPES = ["cjp:config", "cjp:config_read"]
RW_SCOPES = ["cjp:config", "cjp:config_read", "cjp:config_write", "cjp:user"]


def base(org: str = DEMO_ORG) -> str:
    """The connector collection path of an organisation."""
    return f"/controlhub/organization/{org}/connectors"


def new(name="New connector", level="READ_ONLY", consent=True, **extra) -> dict:
    """A create body."""
    return {"name": name, "accessLevel": level, "consent": consent, **extra}
