"""Paths of the reference documents shipped in the repository's ``reference/`` folder (see its README)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "reference"
VENDOR_SPEC = ROOT / "webex-contact-center.openapi.json"


def path(name: str) -> Path:
    """The path of one reference document, e.g. ``path("webex-cc-facts.md")``."""
    return ROOT / name
