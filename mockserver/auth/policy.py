"""The policy tables: scope spellings, admin roles, and which scopes and roles each API route needs.

Scopes (webex-cc-facts.md 1.4): the OAuth strings use a colon (``cjp:config_read``); the Control Hub UI
spelling with an underscore (``cjp_config_read``) is accepted on input and normalised (rules R8).
"""
from __future__ import annotations

from dataclasses import dataclass, field

READ = "cjp:config_read"
WRITE = "cjp:config_write"
CONFIG = "cjp:config"
USER = "cjp:user"
DATASOURCE_READ = "spark-admin:datasource_read"
DATASOURCE_WRITE = "spark-admin:datasource_write"

KNOWN_SCOPES = {
    CONFIG, READ, WRITE, USER, "cjp:task_read", "cjp:task_write", "spark:kms", "spark:people_read",
    "spark:webrtc_calling", DATASOURCE_READ, DATASOURCE_WRITE,
    "spark:applications_token", "cjds:admin_org_read", "cjds:admin_org_write",
}

_ALIASES = {s.replace(":", "_", 1): s for s in KNOWN_SCOPES if s.startswith("cjp:")}


def normalise_scope(scope: str) -> str:
    """``cjp_config_read`` -> ``cjp:config_read``; other strings unchanged."""
    return _ALIASES.get(scope, scope)


def parse_scopes(value) -> list[str]:
    """A space- or comma-separated string, or a list, into normalised scopes (order kept, no duplicates)."""
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value or [])
    out: list[str] = []
    for item in items:
        scope = normalise_scope(str(item).strip())
        if scope and scope not in out:
            out.append(scope)
    return out


# --- admin roles (connector-rules.md R3-R5; the same names on users and in tokens) ---------------
FULL_ADMIN = "full_admin"
CC_SERVICE_ADMIN = "cc_service_admin"
EXTERNAL_FULL_ADMIN = "external_full_admin"
EXTERNAL_CC_ADMIN = "external_cc_admin"
HELPDESK_FULL_ADMIN = "helpdesk_full_admin"
PARTNER_FULL_ADMIN = "partner_full_admin"
EXTERNAL_READONLY_ADMIN = "external_readonly_admin"
HELPDESK_ADMIN = "helpdesk_admin"
PARTNER_READONLY_ADMIN = "partner_readonly_admin"
READONLY_ADMIN = "readonly_admin"
SUPERVISOR = "supervisor"
AGENT = "agent"

ROLE_LABELS = {
    FULL_ADMIN: "Full Administrator",
    CC_SERVICE_ADMIN: "Contact Center Service Administrator",
    EXTERNAL_FULL_ADMIN: "External Administrator with the Full Administrator role",
    EXTERNAL_CC_ADMIN: "External Administrator with the Contact Center-specific administrator role",
    HELPDESK_FULL_ADMIN: "Helpdesk Administrator with the Full Administrator role",
    PARTNER_FULL_ADMIN: "Partner Full Administrator",
    EXTERNAL_READONLY_ADMIN: "External Administrator with the Read-only Administrator role",
    HELPDESK_ADMIN: "Helpdesk Administrator",
    PARTNER_READONLY_ADMIN: "Read-only Partner Administrator",
    READONLY_ADMIN: "Read-only Administrator",
    SUPERVISOR: "Supervisor (no admin role)",
    AGENT: "Agent (no admin role)",
}

#: R3: may create, update, deactivate, reactivate and delete connectors.
READ_WRITE_ROLES = frozenset({FULL_ADMIN, CC_SERVICE_ADMIN, EXTERNAL_FULL_ADMIN, EXTERNAL_CC_ADMIN,
                              HELPDESK_FULL_ADMIN, PARTNER_FULL_ADMIN})
#: R4: may see connectors only.
READ_ONLY_ROLES = frozenset({EXTERNAL_READONLY_ADMIN, HELPDESK_ADMIN, PARTNER_READONLY_ADMIN})

#: Configuration API (webex-cc-facts.md 1.4: the user must be a Contact Center administrator; some read
#: APIs accept supervisors; scopes do not elevate a non-admin). The mock's reading: every admin role and
#: supervisors may read; only read/write admin roles may change configuration.
CONFIG_READ_ROLES = READ_WRITE_ROLES | READ_ONLY_ROLES | {READONLY_ADMIN, SUPERVISOR}
CONFIG_WRITE_ROLES = READ_WRITE_ROLES



def token_roles(person: dict) -> list[str]:
    """The ``roles`` claim for a person: their admin roles, plus ``supervisor``/``agent`` from ``ccRole``.

    A supervisor holds no admin role, yet some read APIs accept supervisors (webex-cc-facts.md 1.4):
    the claim carries the Contact Center role too, so the policy table can see it.
    """
    roles = list(person.get("roles") or [])
    cc_role = person.get("ccRole")
    if cc_role in (SUPERVISOR, AGENT) and cc_role not in roles:
        roles.append(cc_role)
    return roles


READS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Need:
    """What a request needs: one of ``scopes`` and, for users (not connectors), one of ``roles`` (None: any)."""

    scopes: frozenset = frozenset()
    roles: frozenset | None = None


@dataclass(frozen=True)
class Rule:
    """A named access rule. Routes name it where they are declared (``access.declare``, ``access.rule``).

    ``read`` applies to GET and HEAD, ``write`` to every other method (``write=None``: ``read`` for all).
    ``public`` routes need no token; ``mock`` routes are the control API (admin token when configured).
    The token's ``org_id`` must equal the route's ``orgid``/``orgId`` path argument when it has one.
    """

    name: str
    read: Need = field(default_factory=Need)
    write: Need | None = None
    public: bool = False
    mock: bool = False
    session: bool = False  # a mock rule whose admin token may come from the console's session (console/web.py)

    def need(self, method: str) -> Need:
        """The need of one HTTP method."""
        return self.read if method in READS or self.write is None else self.write


def _need(scopes=(), roles=None) -> Need:
    return Need(frozenset(scopes), roles)


_CONFIG_READ = _need({READ, CONFIG}, CONFIG_READ_ROLES)
_CONFIG_WRITE = _need({WRITE}, CONFIG_WRITE_ROLES)

#: Every access rule of the mock, by name: the one table the guard reads.
RULES: dict[str, Rule] = {rule.name: rule for rule in [
    Rule("public", public=True),
    Rule("mock", mock=True),
    # The web console: the control API's rule (admin token when configured, never journaled), but a browser
    # cannot send the header, so the console also takes the token from its unlock form (console/web.py).
    Rule("console", mock=True, session=True),
    # Where facts 1.4 is uncertain the mock chooses: cjp:config alone does not write, cjp:config_write alone
    # does not read (every Cisco sample asks for cjp:config_read too).
    Rule("config", _CONFIG_READ, _CONFIG_WRITE),
    Rule("config-read", _CONFIG_READ),  # POST look-ups that only read
    Rule("config-write", _CONFIG_WRITE),
    # Flow store (webex-cc-facts.md 1.4): import needs cjp:config_write; list, export and publish cjp:config_read.
    Rule("flow-store", _CONFIG_READ),
    Rule("flow-import", _CONFIG_WRITE),
    # Simulated Control Hub: any admin token of the org; the connector role table (R3-R5) decides inside.
    Rule("controlhub", _need({READ, CONFIG, WRITE})),
    Rule("agent", _need({USER})),  # agent and task work
    Rule("search", _need({CONFIG, READ})),
    Rule("identity", _need()),  # any valid token (people/me, data source schemas: "a valid API token")
    # Data sources (spec /dataSources, webex-cc-facts.md 1.4): a Service App's datasource scopes, no admin role.
    Rule("datasource", _need({DATASOURCE_READ}), _need({DATASOURCE_WRITE})),
]}

#: Unrouted paths under this prefix still check the token first (401 before 404, as the vendor does).
UNROUTED_CONFIG = RULES["config"]
