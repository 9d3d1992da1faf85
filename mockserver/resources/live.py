"""Where the live service is more lenient than the spec: fields it does not require, and what it fills in.

The spec's ``required`` lists are longer than what live creates need (webex-cc-facts.md 3.7 and 4). A field
listed here may be left out of a create or replace; the mock then stores the value below, as the live
service returns one. Every entry is a line of docs/differences.md.
"""
from __future__ import annotations

#: kind -> {field the spec requires but live does not: the value stored when it is left out}
LIVE_DEFAULTS: dict[str, dict] = {
    # facts 3.7/4: a team with exactly name, active, siteId, teamStatus, teamType was created live (201).
    # The portal's team example answers rankQueuesForTeam as a boolean; false is the only value a team
    # without queueRankings can mean.
    "team": {"rankQueuesForTeam": False},
    # facts 3.7/4: a queue body without queueRoutingType and checkAgentAvailability was created live (201).
    # What live stores then is [U]: TEAM_BASED is what a queue routed to its distribution groups' teams is,
    # and false is the off value of the flag.
    "contact-service-queue": {"queueRoutingType": "TEAM_BASED", "checkAgentAvailability": False},
}


def fill(kind: str, payload: dict, old: dict | None = None) -> dict:
    """``payload`` with live defaults for left-out fields (a replace keeps the stored value first)."""
    defaults = LIVE_DEFAULTS.get(kind)
    if not defaults:
        return payload
    missing = {k: (old[k] if old and k in old else v) for k, v in defaults.items() if payload.get(k) is None}
    return {**payload, **missing} if missing else payload


def reads_old(kind: str, payload) -> bool:
    """Whether ``fill`` would take a value from the stored object for this body (a left-out defaulted field)."""
    defaults = LIVE_DEFAULTS.get(kind)
    return bool(defaults) and isinstance(payload, dict) and any(payload.get(k) is None for k in defaults)
