"""Teams, queues, entry points, dialled numbers and desktop profiles of a generated tenant, and the back-links."""
from __future__ import annotations

from . import pools

_LINES = pools.LINES
_SLA = {"TELEPHONY": (30, 100, 600), "CHAT": (60, 200, 1800), "EMAIL": (3600, 500, 86400),
        "SOCIAL_CHANNEL": (300, 200, 7200)}  # serviceLevelThreshold, max active contacts, max time in queue


def build_teams(t) -> None:
    """Agent teams spread over sites and lines of business, plus one capacity (outsourced) team."""
    sites, profiles, mmp = t.ref["sites"], t.ref["skill_profiles"], t.ref["mmp"]
    layouts = t.ref["layouts"]
    by_line = {i: [p for j, p in enumerate(profiles) if j % len(_LINES) == i] or profiles
               for i in range(len(_LINES))}
    count = t.scale(2, 16)
    teams, taken = [], {}
    for i in range(count):
        site, li = sites[i % len(sites)], (i // len(sites)) % len(_LINES)
        line, channels, _ = _LINES[li]
        name = f"{line} {site['name']}"
        taken[name] = taken.get(name, 0) + 1
        name += f" {taken[name]}" if taken[name] > 1 else ""
        layout = {"Sales": layouts[1], "Technical Support": layouts[2]}.get(line, layouts[0])
        candidates = by_line[li]
        doc = t.add("team", {
            "name": name, "description": f"{line} agents in {site['name']}", "teamType": "AGENT",
            "teamStatus": "IN_SERVICE", "active": True, "siteId": site["id"], "desktopLayoutId": layout["id"],
            "skillProfileId": candidates[(i // len(sites)) % len(candidates)],
            "multiMediaProfileId": _team_mmp(mmp, channels),  # sic: capital M on team only, as the vendor spells it
            "userIds": [], "systemDefault": False, "rankQueuesForTeam": False}, day=35)
        teams.append({"id": doc["id"], "doc": doc, "site": site, "line": line, "li": li,
                      "skillProfileId": doc["skillProfileId"]})
    t.ref["agent_teams"] = teams
    t.ref["capacity_team"] = t.add("team", {
        "name": "Overflow Partner", "description": "Outsourced overflow, capacity based", "teamType": "CAPACITY",
        "teamStatus": "IN_SERVICE", "dialedNumber": f"{sites[0]['prefix']}0190", "capacity": 20,
        "active": True, "siteId": sites[0]["id"], "multiMediaProfileId": mmp[0], "systemDefault": False,
        "rankQueuesForTeam": False}, day=36)


def _team_mmp(mmp: list[str], channels) -> str:
    """Voice-only lines get the default profile, digital-only lines the digital one, the rest a blended one."""
    if "TELEPHONY" not in channels:
        return mmp[3]
    return mmp[1] if len(channels) > 1 else mmp[0]


def build_routing(t) -> None:
    """Queues (team, skill and agent based) with call distribution groups, entry points and their numbers."""
    teams, rng = t.ref["agent_teams"], t.rng
    by_line = {i: [tm for tm in teams if tm["li"] == i] or teams for i in range(len(_LINES))}
    t.ref["by_line"] = by_line
    outbound = _queue(t, "Outbound Sales", "OUTBOUND", "TELEPHONY", "TEAM_BASED", by_line[2], 0, [])
    queues = [(outbound, 2, "TELEPHONY")]
    count = t.scale(4, 20)
    specs = [(li, ch) for k in range(3) for li, (_, chans, _) in enumerate(_LINES) if k < len(chans)
             for ch in [chans[k]]]
    names = pools.unique_names([f"{_LINES[li][0]} {pools.CHANNEL_WORD[ch]}" for li, ch in specs], count)
    for i, name in enumerate(names):
        li, channel = specs[i % len(specs)]
        kind = "SKILL_BASED" if i % 5 == 3 else "AGENT_BASED" if i % 10 == 7 else "TEAM_BASED"
        reqs = _requirements(t, li) if kind == "SKILL_BASED" else []
        queues.append((_queue(t, name, "INBOUND", channel, kind, by_line[li], i, reqs), li, channel))
    t.ref["queues"] = queues
    outdial_ep = _entry_point(t, "Outdial Entry Point", "OUTBOUND", "TELEPHONY", 0, outbound["id"])
    eps = []
    ep_names = [q["name"].replace(" Voice", " Line") for q, _, _ in queues[1:]]  # "Billing Line", "Sales Chat"
    for i, name in enumerate(pools.unique_names(ep_names, t.scale(3, 25))):
        _, li, channel = queues[1 + i % (len(queues) - 1)]
        eps.append((_entry_point(t, name, "INBOUND", channel, i, None), li))
    t.ref["entry_points"] = {"outdial": outdial_ep["id"], "inbound": eps}
    numbers, serial = [], 100
    for i, (ep, _) in enumerate(eps):
        if ep["channelType"] != "TELEPHONY":
            continue
        site = t.ref["sites"][i % len(t.ref["sites"])]
        for k in range(1 + (rng.random() < 0.3)):
            number = f"{site['prefix']}{serial:04d}"
            serial += 1
            t.add("dial-number", {"dialledNumber": number, "entryPointId": ep["id"], "entryPointName": ep["name"],
                                  "defaultAni": not numbers}, day=55)
            numbers.append(number)
    t.ref["dial_numbers"] = numbers


def _queue(t, name, qtype, channel, kind, line_teams, i, reqs) -> dict:
    sla, active, max_time = _SLA[channel]
    first = [tm["id"] for tm in line_teams[i % len(line_teams):][:3]] or [line_teams[0]["id"]]
    teams, rest = t.ref["agent_teams"], []
    for k in range(1, 8):  # a second group of up to two other teams, picked without scanning them all
        tid = teams[(i * 7 + k) % len(teams)]["id"]
        if tid not in first and tid not in rest and len(rest) < 2:
            rest.append(tid)
    groups = [{"agentGroups": [{"teamId": tid} for tid in first], "order": 1, "duration": 0}]
    if rest and kind != "AGENT_BASED":
        groups.append({"agentGroups": [{"teamId": tid} for tid in rest], "order": 2, "duration": 60})
    fields = {
        "name": name, "description": f"{name} queue", "queueType": qtype, "checkAgentAvailability": i % 3 == 0,
        "channelType": channel, "serviceLevelThreshold": sla, "maxActiveContacts": active,
        "maxTimeInQueue": max_time, "timezone": line_teams[i % len(line_teams)]["site"]["tz"], "active": True,
        "outdialCampaignEnabled": False, "monitoringPermitted": True, "parkingPermitted": True,
        "recordingPermitted": channel == "TELEPHONY", "recordingAllCallsPermitted": channel == "TELEPHONY",
        "pauseRecordingPermitted": channel == "TELEPHONY", "routingType":
        "SKILLS_BASED" if kind == "SKILL_BASED" else "LONGEST_AVAILABLE_AGENT", "queueRoutingType": kind,
        "callDistributionGroups": groups, "systemDefault": False, "manuallyAssignable": False}
    if channel == "TELEPHONY":
        fields["recordingPauseDuration"] = 10
    if channel == "SOCIAL_CHANNEL":
        fields["socialChannelType"] = "WHATSAPP"
    if kind == "SKILL_BASED":
        fields["skillBasedRoutingType"] = "BEST_AVAILABLE_AGENT" if i % 2 else "LONGEST_AVAILABLE_AGENT"
        fields["queueSkillRequirements"] = reqs
    if kind == "AGENT_BASED":
        members = {tm["id"] for tm in line_teams}
        fields["agents"] = [{"id": u["id"], "ciUserId": u["ciUserId"]} for u in _members(t, members)[:8]]
    return t.add("contact-service-queue", fields, day=40)


def _members(t, team_ids: set) -> list[dict]:
    """Active agents of some teams (the first few found)."""
    found = []
    for user in t.ref["users"]:
        if user["active"] and user.get("skillProfileId") and team_ids.intersection(user["teamIds"]):
            found.append(user)
            if len(found) >= 8:
                break
    return found


def _requirements(t, li: int) -> list[dict]:
    skills = t.ref["skills"]
    stressed = skills[_LINES[li][2][0]]
    reqs = [t.sub({"skillId": skills["Language"]["id"], "skillName": "Language", "skillType": "ENUM",
                   "condition": "IS", "skillValue": "English"})]
    if stressed["skillType"] == "Proficiency":
        reqs.append(t.sub({"skillId": stressed["id"], "skillName": stressed["name"], "skillType": "PROFICIENCY",
                           "condition": "GTE", "skillValue": "5", "weight": 10}))
    else:
        reqs.append(t.sub({"skillId": stressed["id"], "skillName": stressed["name"], "skillType": "BOOLEAN",
                           "condition": "IS", "skillValue": "true"}))
    return reqs


def _entry_point(t, name, ep_type, channel, i, outdial_queue) -> dict:
    site = t.ref["sites"][i % len(t.ref["sites"])]
    sla, active, _ = _SLA[channel]
    slug = "-".join(name.lower().split())
    fields = {
        "name": name, "description": f"{name} for {site['name']}", "entryPointType": ep_type,
        "channelType": channel,
        # The vendor's schema requires these even for voice entry points; real tenants fill defaults.
        "socialChannelType": "WHATSAPP" if channel == "SOCIAL_CHANNEL" else "MESSAGEBIRD",
        "controlFlowScriptUrl": f"https://flow-control.produs1.ciscoccservice.com/{t.org_id}/{slug}",
        "overflowNumber": f"{site['prefix'].lstrip('+')}0199", "imiOrgType": "MIXED_MODE",
        "assetId": f"a_{t.rng.randrange(10**10, 10**11)}",
        "active": True, "serviceLevelThreshold": sla, "maximumActiveContacts": active, "timezone": site["tz"],
        "systemDefault": False, "callbackEnabled": channel == "TELEPHONY" and i % 2 == 0,
        "outdialTransferToQueueEnabled": False}
    if outdial_queue:
        fields["outdialQueueId"] = outdial_queue
    return t.add("entry-point", fields, day=42)


def build_agent_profiles(t) -> None:
    """Desktop profiles, with the ids reserved before the users were built."""
    ids, codes, eps = t.ref["agent_profile_ids"], t.ref["codes"], t.ref["entry_points"]
    sales = [q["id"] for q, li, _ in t.ref["queues"] if li == 2]
    sales_teams = [tm["id"] for tm in t.ref["by_line"][2]]
    common = {"screenPopup": True, "lastAgentRouting": False, "autoWrapUp": True, "autoAnswer": False,
              "autoWrapAfterSeconds": 30, "agentAvailableAfterOutdial": False, "allowAutoWrapUpExtension": True,
              "consultToQueue": True, "outdialEnabled": True, "outdialEntryPointId": eps["outdial"],
              "outdialANIId": t.ref["outdial_ani"][0], "addressBookId": t.ref["address_books"][0],
              "dialPlanEnabled": False, "agentDNValidation": "PROVISIONED_VALUE",
              "loginVoiceOptions": ["AGENT_DN", "EXTENSION", "BROWSER"], "active": True,
              "timeoutDesktopInactivityCustomEnabled": False, "systemDefault": False}
    every = {key: "ALL" for key in ("accessWrapUpCode", "accessIdleCode", "accessQueue", "accessEntryPoint",
                                    "accessBuddyTeam")}
    stats = {"agentStats": True, "accessQueueStats": "ALL", "loggedInTeamStats": True, "accessTeamStats": "ALL"}
    t.add("agent-profile", {"name": "Agent Desktop Profile", "description": "Default for agents",
                            "parentType": "ORGANIZATION", **common, **every,
                            "viewableStatistics": t.sub(stats)}, id=ids["agent"], day=48)
    t.add("agent-profile", {"name": "Supervisor Desktop Profile", "description": "Supervisors and admins",
                            "parentType": "ORGANIZATION", **common, **every, "autoWrapUp": False,
                            "viewableStatistics": t.sub(stats)}, id=ids["supervisor"], day=48)
    t.add("agent-profile", {
        "name": "Outbound Sales Profile", "description": "Sales agents: their own queues, codes and teams",
        "parentType": "ORGANIZATION", **common, **every, "outdialANIId": t.ref["outdial_ani"][-1],
        "accessWrapUpCode": "SPECIFIC", "wrapUpCodes": codes["WRAP_UP_CODE"][:4],
        "accessIdleCode": "SPECIFIC", "idleCodes": codes["IDLE_CODE"][:5],
        "accessQueue": "SPECIFIC", "queues": sales, "accessEntryPoint": "SPECIFIC",
        "entryPoints": [ep["id"] for ep, li in eps["inbound"] if li == 2][:5] or [eps["outdial"]],
        "accessBuddyTeam": "SPECIFIC", "buddyTeams": sales_teams[:10],
        "viewableStatistics": t.sub({**stats, "accessQueueStats": "SPECIFIC", "contactServiceQueues": sales[:10],
                                     "accessTeamStats": "SPECIFIC", "teams": sales_teams[:10]})},
        id=ids["outbound"], day=49)
    books = dict(zip([s["id"] for s in t.ref["sites"][:50]], t.ref["address_books"][1:]))
    by_id = {s["id"]: s for s in t.ref["sites"]}
    for site_id, pid in ids["site"].items():
        site = by_id[site_id]
        t.add("agent-profile", {
            "name": f"{site['name']} Agent Profile", "description": f"Agents of {site['name']}",
            "parentType": "SITE", "siteId": site_id, **common, **every,
            "addressBookId": books.get(site_id, t.ref["address_books"][0]),
            "timeoutDesktopInactivityCustomEnabled": True, "timeoutDesktopInactivityMins": 15,
            "viewableStatistics": t.sub(stats)}, id=pid, day=49)


def link_back(t) -> None:
    """The lists that point the other way: team members, layouts' teams, a team's queue ranking."""
    by_id = {tm["id"]: tm["doc"] for tm in t.ref["agent_teams"]}
    for user in t.ref["users"]:
        for tid in user["teamIds"]:
            by_id[tid]["userIds"].append(user["id"])
    for layout in t.ref["layouts"][1:]:
        layout["teamIds"] = [tm["id"] for tm in t.ref["agent_teams"] if tm["doc"]["desktopLayoutId"] == layout["id"]]
    lead = t.ref["agent_teams"][0]
    ranked = [q["id"] for q, li, _ in t.ref["queues"] if li == lead["li"]][:5]
    if ranked:
        lead["doc"]["rankQueuesForTeam"] = True
        lead["doc"]["queueRankings"] = [t.sub({"queueId": qid, "rank": r + 1}) for r, qid in enumerate(ranked)]
