"""The people of a generated tenant: Contact Center users (agents, supervisors, administrators).

Users are the bulk of a large tenant (100,000 of them in benchmarks), so this module draws every random
choice it can in advance and builds each user with plain dict literals.
"""
from __future__ import annotations

from . import pools

_ROLE_PROFILE = {"administrator": "Administrator", "supervisor": "Supervisor", "agent": "Premium Agent"}
_INCLUSION = ("INCLUDED", "INCLUDED", "INCLUDED", "EXCLUDED")


def allocate(t) -> None:
    """Decide every user's role up front and reserve the desktop-profile ids users will point at."""
    people = t.people
    total = max(t.users, len(people))
    roles = [p.get("ccRole", "agent") for p in people]
    rand = t.rng.random
    for _ in range(total - len(people)):
        r = rand()
        roles.append("administrator" if r < 0.03 else "supervisor" if r < 0.13 else "agent")
    t.ref["roles"] = roles
    sites = t.ref["sites"]
    t.ref["agent_profile_ids"] = {
        "agent": t.uuid(), "supervisor": t.uuid(), "outbound": t.uuid(),
        "site": {s["id"]: t.uuid() for s in sites[: t.scale(1, 5000, len(sites))]},
    }


def build_users(t) -> None:
    """One user per role decided in ``allocate``; the people who can log in come first."""
    rng, sites, teams = t.rng, t.ref["sites"], t.ref["agent_teams"]
    profiles, ap = t.ref["user_profile"], t.ref["agent_profile_ids"]
    mmp, dynamic = t.ref["mmp"], t.ref["skills"]["Callback Priority"]
    seen: dict[str, int] = {}
    for person in t.people:
        seen[person["email"].split("@")[0].lower()] = 1
    agents = supervisors = 0
    users = []
    for i, role in enumerate(t.ref["roles"]):
        person = t.people[i] if i < len(t.people) else None
        if person:
            first, last, email = person.get("firstName", "Demo"), person.get("lastName", "User"), person["email"]
            ci_user_id = person["id"]
        else:
            first, last = rng.choice(pools.FIRST_NAMES), rng.choice(pools.LAST_NAMES)
            email = _email(seen, first, last, t.domain)
            ci_user_id = t.uuid()
        if role == "agent" and teams:
            team = teams[agents % len(teams)]
            agents += 1
            site = team["site"]
            team_ids, skill_profile = [team["id"]], team["skillProfileId"]
            agent_profile = ap["outbound"] if team["line"] == "Sales" else ap["site"].get(site["id"], ap["agent"])
            user_profile = profiles["Premium Agent" if person or rng.random() < 0.7 else "Standard Agent"]
        else:
            site = sites[i % len(sites)]
            team_ids, skill_profile = [], None
            if role == "supervisor" and teams:
                first_team = (supervisors * 2) % len(teams)
                team_ids = [teams[first_team]["id"]] + ([teams[(first_team + 1) % len(teams)]["id"]]
                                                         if len(teams) > 1 and rng.random() < 0.5 else [])
                site = teams[first_team]["site"]
                supervisors += 1
            agent_profile = ap["supervisor"] if role == "supervisor" else ap["agent"]
            user_profile = profiles[_ROLE_PROFILE.get(role, "Premium Agent")]
        phone = f"{site['prefix']}{rng.randrange(10000):04d}"
        fields = {
            "firstName": first, "lastName": last, "email": email, "workPhone": phone, "ciUserId": ci_user_id,
            "userProfileId": user_profile, "contactCenterEnabled": True, "timezone": site["tz"],
            "siteId": site["id"], "teamIds": team_ids, "agentProfileId": agent_profile,
            "multimediaProfileId": team["doc"]["multiMediaProfileId"] if skill_profile else mmp[0],
            "externalIdentifier": f"E{100000 + i}", "active": person is not None or rng.random() > 0.02,
            "imiUserCreated": False, "userLevelBurnoutInclusion": rng.choice(_INCLUSION),
            "userLevelAutoCSATInclusion": "INCLUDED", "userLevelWellnessBreakReminders": "DISABLED",
            "userLevelSummariesInclusion": "INCLUDED",
        }
        if skill_profile:
            fields["skillProfileId"] = skill_profile
            if rng.random() < 0.3:
                fields["deafultDialledNumber"] = phone.lstrip("+")  # sic: the vendor's spelling
            if rng.random() < 0.1:
                fields["dynamicSkills"] = [t.sub({"skillId": dynamic["id"], "skillName": dynamic["name"],
                                                  "proficiencyValue": rng.randrange(1, 11)})]
        if role == "supervisor" and team_ids:
            fields["preferredSupervisorTeamId"] = team_ids[0]
        users.append(t.add("user", fields, day=60 + i % 240))
    t.ref["users"] = users


def _email(seen: dict[str, int], first: str, last: str, domain: str) -> str:
    """``first.last@domain``, numbered when the name is taken (as directory sync does)."""
    local = f"{first}.{last}".lower()
    n = seen.get(local, 0)
    seen[local] = n + 1
    return f"{local}{n + 1 if n else ''}@{domain}"  # a base never ends in a digit, so numbered ones are free
