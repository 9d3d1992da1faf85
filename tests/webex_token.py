"""Reading the mock's Webex-shaped tokens in tests: ``<opaque>_<cluster>_<orgId>``, the opaque part a JWT (~ for _)."""
from __future__ import annotations

import re

SUFFIX = re.compile(r"_([A-Za-z0-9]{1,16})_([0-9A-Fa-f-]{36})$")


def jwt_of(token: str) -> str:
    """The signed JWT inside a Webex-shaped token (a bare JWT is returned as it is)."""
    return SUFFIX.sub("", token).replace("~", "_")


def parts(token: str) -> list[str]:
    """What Cisco's JavaScript samples do: ``[token, cluster, orgId] = access_token.split('_')``."""
    return token.split("_")
