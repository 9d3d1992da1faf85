"""The connector role table (R3-R6): which admin roles may do which connector operation.

Decided from the caller's token (``roles`` claim). The guard has already checked the token, its scope and
its organisation; this table decides everything else for the simulated Control Hub.
"""
from __future__ import annotations

import functools

from flask import g

from ..auth.policy import READ_ONLY_ROLES, READ_WRITE_ROLES, ROLE_LABELS
from ..http.errors import ApiError

READS = ("list", "get", "audit")
CHANGES = ("create", "update", "deactivate", "reactivate", "delete")
OPERATIONS = READS + CHANGES

#: R3: read/write roles may do everything; R4: read-only roles may see (list, get, audit log) only;
#: R5: the Read-only Administrator and every non-admin caller appear nowhere, so they may do nothing.
#: R6: the seed's prerequisite list is a subset of R3, so this table alone decides.
TABLE: dict[str, frozenset] = {
    **{op: READ_WRITE_ROLES | READ_ONLY_ROLES for op in READS},
    **{op: READ_WRITE_ROLES for op in CHANGES},
}


_VERBS = {"list": "list", "get": "view", "audit": "read the audit log of", "create": "create",
          "update": "update", "deactivate": "deactivate", "reactivate": "reactivate", "delete": "delete"}


def allowed(roles, operation: str) -> bool:
    """Whether any of ``roles`` may perform ``operation``."""
    return bool(set(roles or ()) & TABLE[operation])


def require(operation: str) -> dict:
    """The caller's claims if the table allows ``operation``; else 403 naming the roles and the operation."""
    claims = g.claims
    roles = claims.get("roles") or []
    if not allowed(roles, operation):
        names = ", ".join(ROLE_LABELS.get(r, r) for r in roles) or "a user without an admin role"
        limit = ("; this role may only view connectors." if allowed(roles, "get")
                 else "; connectors need a read/write or read-only admin role.")
        raise ApiError(403, f"Access denied: {names} may not {_VERBS[operation]} Webex Contact Center "
                            f"connectors{limit}")
    return claims


def allow(operation: str):
    """View decorator, put above ``@blp.arguments``: the role table decides before the body is even validated,
    so a caller without access learns nothing from validation errors."""
    def decorate(view):
        @functools.wraps(view)  # keeps flask-smorest's documentation attributes
        def wrapper(*args, **kwargs):
            require(operation)
            return view(*args, **kwargs)
        return wrapper
    return decorate
