"""What the simulation needs of an organisation's configuration: queues, entry points, teams, agents, codes.

Read from the store when a center is built or refreshed; the simulation keeps ids and names (so deleting a queue
later does not corrupt history, whose records carry both).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

CHANNELS = ("telephony", "chat", "email", "social")
_TABLES = {"queue": "queues", "team": "teams", "site": "sites", "entryPoint": "entry_points"}
MAX_KNOWN = 10_000  # names of deleted queues, teams, sites and entry points kept (tenant.known)
_SUFFIX = re.compile(r"\s+(line|voice|chat|email|queue|entry point|ep)$", re.I)


def _stem(name: str) -> str:
    """``Customer Support Line`` and ``Customer Support Voice`` -> ``customer support``."""
    return _SUFFIX.sub("", (name or "").strip()).lower()


@dataclass
class Agent:
    """A user who may log in as an agent (contact-center enabled, active, on a team)."""

    id: str
    ci_user_id: str
    name: str
    email: str
    site_id: str
    team_ids: list
    limits: dict  # channel -> maxActiveContacts (multimedia profile: user, else team, else site)
    skills: dict  # skill name -> value (proficiency int, enum/text str, bool)
    phone: str = ""


@dataclass
class Tenant:
    """A read-only view of one organisation's configuration."""

    org_id: str
    queues: dict = field(default_factory=dict)
    entry_points: dict = field(default_factory=dict)
    teams: dict = field(default_factory=dict)
    sites: dict = field(default_factory=dict)
    agents: dict = field(default_factory=dict)  # user id -> Agent
    by_ci: dict = field(default_factory=dict)  # CI user id (token sub) -> user id
    idle_codes: dict = field(default_factory=dict)
    wrapup_codes: dict = field(default_factory=dict)
    routes: dict = field(default_factory=dict)  # entry point id -> queue id
    dial_numbers: dict = field(default_factory=dict)  # entry point id -> dialled number
    known: dict = field(default_factory=dict)  # every name ever seen by id: deleted objects keep theirs in history

    def name(self, kind: str, oid: str | None) -> str:
        """The name of a queue/team/site/entryPoint by id (a deleted one's last name; '' when never seen)."""
        if not oid:
            return ""
        doc = getattr(self, _TABLES[kind]).get(oid)  # (every history record names five or six things)
        return (doc.get("name") if doc else None) or self.known.get(oid, "")

    def default_code(self, codes: dict, name: str | None = None) -> str | None:
        """A code's id by name, else the default one, else any."""
        for cid, code in codes.items():
            if name and code.get("name") == name:
                return cid
        for cid, code in codes.items():
            if code.get("defaultCode") and not name:
                return cid
        return next(iter(codes), None)


def _limits(profile: dict | None) -> dict:
    profile = profile or {"telephony": 1}
    return {ch: int(profile.get(ch) or 0) for ch in CHANNELS}


def _skills(profile: dict | None) -> dict:
    out = {}
    for s in (profile or {}).get("activeSkills") or []:
        if "proficiencyValue" in s:
            out[s["skillName"]] = int(s["proficiencyValue"])
        elif "textValue" in s:
            out[s["skillName"]] = s["textValue"]
        else:
            out[s["skillName"]] = bool(s.get("booleanValue"))
    for s in (profile or {}).get("activeEnumSkills") or []:
        out[s["enumSkillName"]] = s["enumSkillValue"]
    return out


def load(store, org_id: str, overrides: dict | None = None, previous: Tenant | None = None) -> Tenant:
    """Build the view from the store; ``overrides`` maps entry point ids to queue ids; ``previous`` passes on the
    names of objects deleted since."""
    t = Tenant(org_id)
    scan = lambda kind: store.scan(org_id, kind)  # noqa: E731
    t.queues = {q["id"]: q for q in scan("contact-service-queue")}
    t.entry_points = {e["id"]: e for e in scan("entry-point")}
    t.teams = {x["id"]: x for x in scan("team")}
    t.sites = {x["id"]: x for x in scan("site")}
    profiles = {x["id"]: x for x in scan("multimedia-profile")}
    skill_profiles = {x["id"]: x for x in scan("skill-profile")}
    for code in scan("auxiliary-code"):
        if code.get("active", True):
            (t.idle_codes if code.get("workTypeCode") == "IDLE_CODE" else t.wrapup_codes)[code["id"]] = code
    for dn in scan("dial-number"):
        t.dial_numbers.setdefault(dn.get("entryPointId"), dn.get("dialledNumber"))
    for u in scan("user"):
        teams = [tid for tid in u.get("teamIds") or [] if tid in t.teams]
        if not (u.get("active", True) and u.get("contactCenterEnabled") and teams):
            continue
        team = t.teams[teams[0]]
        site = t.sites.get(u.get("siteId")) or {}
        profile = (profiles.get(u.get("multimediaProfileId")) if u.get("multimediaProfileId") else None) \
            or profiles.get(team.get("multiMediaProfileId")) or profiles.get(site.get("multimediaProfileId"))
        skills = skill_profiles.get(u.get("skillProfileId") or team.get("skillProfileId"))
        name = f"{u.get('firstName', '')} {u.get('lastName', '')}".strip() or u.get("email", u["id"])
        agent = Agent(u["id"], u.get("ciUserId") or u["id"], name, u.get("email", ""), u.get("siteId", ""),
                      teams, _limits(profile), _skills(skills), u.get("workPhone", ""))
        t.agents[agent.id] = agent
        t.by_ci[agent.ci_user_id] = agent.id
    t.known = dict(previous.known) if previous else {}
    for table in (t.queues, t.teams, t.sites, t.entry_points):
        t.known.update((oid, doc.get("name", "")) for oid, doc in table.items())
    _forget_oldest_deleted(t)
    t.routes = derive_routes(t)
    for ep, queue in (previous.routes if previous else {}).items():
        if ep in t.entry_points:  # the flow still names its queue: a deleted queue makes contacts overflow
            t.routes[ep] = queue
    for ep, queue in (overrides or {}).items():
        if ep in t.entry_points and queue in t.queues:
            t.routes[ep] = queue
    return t


def _forget_oldest_deleted(t: Tenant) -> None:
    """Names of deleted objects are kept for the records of tasks that named them, up to ``MAX_KNOWN`` (oldest go
    first): a configuration that creates and deletes objects all day would grow them without end. Ended tasks keep
    their names in their records and list items already."""
    extra = len(t.known) - MAX_KNOWN
    if extra <= 0:
        return
    current = (t.queues, t.teams, t.sites, t.entry_points)
    for oid in [oid for oid in t.known if not any(oid in table for table in current)][:extra]:
        del t.known[oid]


def derive_routes(t: Tenant) -> dict:
    """Entry point -> queue. The flow is not interpreted: an inbound entry point leads to the inbound queue of
    its channel whose name shares its stem (``Billing Line`` -> ``Billing Voice``), else the first such queue."""
    out = {}
    for ep in sorted(t.entry_points.values(), key=lambda e: e.get("name", "")):
        if ep.get("entryPointType") != "INBOUND":
            continue
        same = [q for q in sorted(t.queues.values(), key=lambda q: q.get("name", ""))
                if q.get("queueType") == "INBOUND" and q.get("channelType") == ep.get("channelType")]
        named = [q for q in same if _stem(q.get("name")) == _stem(ep.get("name"))]
        if named or same:
            out[ep["id"]] = (named or same)[0]["id"]
    return out


def qualifies(agent: Agent, requirements: list) -> bool:
    """Whether an agent's skills meet a skill-based queue's requirements (IS/IS_NOT, GTE/LTE/EQ...)."""
    for req in requirements or []:
        have = agent.skills.get(req.get("skillName"))
        want, cond = req.get("skillValue"), (req.get("condition") or "IS").upper()
        if have is None:
            return False
        if isinstance(have, bool) or isinstance(have, str):
            ok = str(have).lower() == str(want).lower()
            if (cond in ("IS", "EQ", "EQUAL") and not ok) or (cond in ("IS_NOT", "NEQ") and ok):
                return False
            continue
        try:
            value = int(want)
        except (TypeError, ValueError):
            return False
        if not {"GTE": have >= value, "GT": have > value, "LTE": have <= value, "LT": have < value,
                "EQ": have == value, "IS": have == value}.get(cond, have >= value):
            return False
    return True
