"""The event types a subscription can ask for, and the resource versions of v2 subscriptions (runtime facts 3.4)."""
from __future__ import annotations

#: ``(name, resource versions that carry it)``: the 22 names the facts know of. The live catalogue had 27
#: entries in July 2026 (facts 3.4 [U]); the others are unknown, so the mock cannot list them.
EVENT_TYPES: list[tuple[str, tuple[str, ...]]] = [
    ("agent:login", ("1.0.0", "2.0.0")),
    ("agent:logout", ("1.0.0", "2.0.0")),
    ("agent:state_change", ("1.0.0",)),
    ("agent:channel_state_change", ("2.0.0",)),  # [U] facts 3.4 (WXCLI and one other source)
    ("agent:channelType_state_change", ("2.0.0",)),  # [U] idem
    ("capture:available", ("1.0.0",)),
    ("task:new", ("1.0.0",)),
    ("task:connect", ("1.0.0",)),
    ("task:connected", ("1.0.0",)),
    ("task:parked", ("1.0.0",)),
    ("task:ended", ("1.0.0",)),
    ("task:failed", ("1.0.0",)),
    ("task:on-hold", ("1.0.0",)),
    ("task:hold-done", ("1.0.0",)),
    ("task:consulting", ("1.0.0",)),
    ("task:consult-done", ("1.0.0",)),
    ("task:conferencing", ("1.0.0",)),
    ("task:conference-done", ("1.0.0",)),
    ("task:conference-transferred", ("1.0.0",)),
    ("task:origin-updated", ("1.0.0",)),
    ("task-message:appended", ("1.0.0",)),
    ("task-message:append-failed", ("1.0.0",)),
]

NAMES = frozenset(name for name, _ in EVENT_TYPES)


def rows() -> list[dict]:
    """``[{name, resource, action}]`` as ``GET /v1|v2/event-types`` lists them."""
    out = []
    for name, _ in EVENT_TYPES:
        resource, _, action = name.partition(":")
        out.append({"name": name, "resource": resource, "action": action})
    return out


def resource_versions() -> list[dict]:
    """``[{resource, version}]`` for the v2 listing's ``meta.resourceVersionList``."""
    seen = []
    for name, versions in EVENT_TYPES:
        resource = name.partition(":")[0]
        for version in versions:
            if {"resource": resource, "version": version} not in seen:
                seen.append({"resource": resource, "version": version})
    return seen


def versions_of(name: str) -> tuple[str, ...]:
    """The resource versions that carry an event type (empty when unknown)."""
    return next((v for n, v in EVENT_TYPES if n == name), ())
