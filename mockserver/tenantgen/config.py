"""Organisation-wide configuration of a generated tenant: profiles, sites, skills, codes, variables, hours."""
from __future__ import annotations

import re

from . import pools

_MMPS = [  # name, description, telephony, chat, email, social, blendingMode, systemDefault
    ("Default Multimedia Profile", "System default: one voice contact at a time", 1, 0, 0, 0, "EXCLUSIVE", True),
    ("Blended", "Voice plus up to three chats, two emails and two social contacts", 1, 3, 2, 2, "BLENDED", False),
    ("Blended Realtime", "One real-time contact plus email and social", 1, 2, 2, 1, "BLENDED_REALTIME", False),
    ("Digital Only", "Chat, email and social only", 0, 5, 5, 5, "BLENDED", False),
]

_USER_PROFILES = [  # name, profileType, systemDefault
    ("Administrator", "ADMINISTRATOR", True), ("Supervisor", "SUPERVISOR", True),
    ("Premium Agent", "PREMIUM_AGENT", True), ("Standard Agent", "STANDARD_AGENT", True),
    ("Team Lead", "SUPERVISOR", False),
]


def build(t) -> None:
    """Everything the teams, users and queues will point at."""
    _multimedia_profiles(t)
    _sites(t)
    _work_types(t)
    _user_profiles(t)
    _desktop_layouts(t)
    _skills(t)
    _skill_profiles(t)
    _aux_codes(t)
    _cad_variables(t)
    _hours(t)


def _multimedia_profiles(t) -> None:
    ids = []
    for i, (name, desc, tel, chat, email, social, mode, system) in enumerate(_MMPS):
        fields = {"name": name, "description": desc, "telephony": tel, "chat": chat, "email": email,
                  "social": social, "active": True, "blendingModeEnabled": mode != "EXCLUSIVE",
                  "blendingMode": mode, "systemDefault": system}
        if mode == "BLENDED" and tel:
            fields["manuallyAssignable"] = {"telephony": 0, "chat": 1, "email": 1, "social": 0}
        ids.append(t.add("multimedia-profile", fields, day=i)["id"])
    t.ref["mmp"] = ids


def _sites(t) -> None:
    count = t.scale(1, 60, 400)
    sites = []
    for i, name in enumerate(pools.unique_names([s[0] for s in pools.SITES], count)):
        city, tz, country, prefix = pools.SITES[i % len(pools.SITES)]
        doc = t.add("site", {"name": name, "description": f"{city} contact center", "active": True,
                             "multimediaProfileId": t.ref["mmp"][0], "systemDefault": False}, day=2 + i % 20)
        sites.append({"id": doc["id"], "name": name, "tz": tz, "country": country, "prefix": prefix})
    t.ref["sites"] = sites


def _work_types(t) -> None:
    t.ref["work_type"] = {
        code: t.add("work-type", {"name": name, "description": f"System work type for {name.lower()}s",
                                  "workTypeCode": code, "active": True, "systemDefault": True}, day=0)["id"]
        for name, code in (("Idle Code", "IDLE_CODE"), ("Wrap Up Code", "WRAP_UP_CODE"))}


def _user_profiles(t) -> None:
    ids = {}
    for name, ptype, system in _USER_PROFILES:
        fields = {"name": name, "description": f"{name} access", "profileType": ptype, "active": True,
                  "permissionAccessLevel": "ALL" if system else "SPECIFIC",
                  "resourceAccessLevel": "ALL", "systemDefault": system}
        if not system:
            fields["permissions"] = [{"name": n, "access": a} for n, a in (
                ("team", "EDIT"), ("user", "VIEW"), ("queue", "VIEW"), ("skill-profile", "EDIT"))]
        ids[name] = t.add("user-profile", fields, day=0 if system else 30)["id"]
    t.ref["user_profile"] = ids


def _desktop_layouts(t) -> None:
    layouts = []
    for i, name in enumerate(["Global Layout"] + pools.unique_names(["Sales Layout", "Support Layout"],
                                                            t.scale(2, 5000))):
        glob = i == 0
        day = 0 if glob else 40 + i
        doc = t.add("desktop-layout", {
            "name": name, "description": "The global layout" if glob else f"{name} for its teams",
            "editedBy": "System" if glob else f"admin@{t.domain}", "jsonFileName": "Desktop Layout.json",
            "jsonFileContent": pools.LAYOUT_JSON, "global": glob, "status": True, "defaultJsonModified": not glob,
            "validated": True, "validatedTime": _ms(day), "modifiedTime": _ms(day), "systemDefault": glob},
            day=day)
        layouts.append(doc)
    t.ref["layouts"] = layouts


def _skills(t) -> None:
    specs = list(pools.SKILLS) + [(f"Product Skill {k + 1}", "Proficiency", None, False)
                                  for k in range(t.users // 2000)]
    skills = {}
    for name, stype, values, dynamic in specs:
        sid = t.uuid()
        fields = {"name": name, "description": f"{name} ({stype.lower()} skill)", "serviceLevelThreshold": 30,
                  "active": True, "dynamicSkill": dynamic, "skillType": stype}
        if values:
            fields["enumSkillValues"] = [t.sub({"name": v, "skillId": sid}) for v in values]
        skills[name] = t.add("skill", fields, id=sid, day=10)
    t.ref["skills"] = skills


def _skill_profiles(t) -> None:
    skills = t.ref["skills"]
    language = {v["name"]: v for v in skills["Language"]["enumSkillValues"]}
    profiles = []
    for i in range(t.scale(4, 25)):
        line, _, stressed = pools.LINES[i % len(pools.LINES)]
        tier = i // len(pools.LINES) + 1
        active = [_active(t, skills[s], min(10, 3 + 2 * tier)) for s in stressed]
        active.append(_active(t, skills["Bilingual"], tier % 2 == 0))
        if "Product Line" not in stressed:
            active.append(_active(t, skills["Product Line"], "Home Internet" if i % 2 else "Mobile"))
        langs = ["English"] + (["Spanish"] if tier % 2 == 0 else [])
        enums = [t.sub({"enumSkillValueId": language[n]["id"], "enumSkillId": skills["Language"]["id"],
                        "enumSkillName": "Language", "enumSkillValue": n}) for n in langs]
        profiles.append(t.add("skill-profile", {
            "name": f"{line} Tier {tier}", "description": f"Tier {tier} agents for {line.lower()}",
            "activeSkills": active, "activeEnumSkills": enums}, day=12)["id"])
    t.ref["skill_profiles"] = profiles


def _active(t, skill: dict, value) -> dict:
    """A skill profile's setting for one skill, shaped by the skill's type."""
    fields = {"skillId": skill["id"], "skillName": skill["name"], "booleanValue": False}
    if skill["skillType"] == "Proficiency":
        fields["proficiencyValue"] = value
    elif skill["skillType"] == "Boolean":
        fields["booleanValue"] = bool(value)
    else:
        fields["textValue"] = str(value)
    return t.sub(fields)


def _aux_codes(t) -> None:
    codes = {"IDLE_CODE": [], "WRAP_UP_CODE": []}
    extra = t.users // 5000
    for code, specs, more in (("IDLE_CODE", pools.IDLE_CODES, "Project"),
                              ("WRAP_UP_CODE", pools.WRAP_UP_CODES, "Outcome")):
        specs = list(specs) + [(f"{more} {k + 1}", f"{more} {k + 1}", False, False) for k in range(extra)]
        for name, desc, default, system in specs:
            burnout = "NOT_APPLICABLE" if code == "IDLE_CODE" else ("EXCLUDED" if system else "INCLUDED")
            codes[code].append(t.add("auxiliary-code", {
                "name": name, "description": desc, "defaultCode": default, "active": True,
                "isSystemCode": system, "workTypeId": t.ref["work_type"][code], "workTypeCode": code,
                "burnoutInclusion": burnout, "systemDefault": system}, day=0 if system else 15)["id"])
    t.ref["codes"] = codes


def _cad_variables(t) -> None:
    for name, vtype, default, viewable, editable, reportable, sensitive, system in pools.CAD_VARIABLES:
        fields = {"name": name, "description": f"Global variable {name}", "active": True,
                  "agentEditable": editable, "variableType": vtype, "defaultValue": default,
                  "reportable": reportable, "agentViewable": viewable, "sensitive": sensitive,
                  "systemDefault": system}
        if viewable:  # the vendor requires a desktop label for variables agents can see
            fields["desktopLabel"] = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)[:50]
        t.add("cad-variable", fields, day=0 if system else 20)


def _hours(t) -> None:
    countries = sorted({s["country"] for s in t.ref["sites"]} & set(pools.HOLIDAYS)) + ["GLOBAL"]
    holidays = {}
    for country in countries:
        items = []
        for name, date, recurrence in pools.HOLIDAYS[country]:
            item = {"name": name, "startDate": date, "endDate": date, "frequency": "Yearly" if recurrence
                    else "DontRepeat"}
            if recurrence:
                item["recurrence"] = {**recurrence, "endDate": "2030-12-31"}
            items.append(item)
        label = "Global" if country == "GLOBAL" else country
        holidays[country] = t.add("holiday-list", {"name": f"{label} Holidays", "description":
                                                   f"Public holidays observed ({label})", "holidays": items},
                                  day=25)["id"]
    overrides = []
    for name, start, end, open_ in (("Weather Closures", "2026-01-15T12:00", "2026-01-15T23:59", False),
                                    ("Company Events", "2026-06-19T09:00", "2026-06-19T13:00", False),
                                    ("Extended Holiday Hours", "2026-12-21T18:00", "2026-12-21T22:00", True)):
        overrides.append(t.add("overrides", {
            "name": name, "description": f"{name} overrides", "timezone": t.ref["sites"][0]["tz"],
            "overrides": [{"name": name.split()[0], "startDateTime": start, "endDateTime": end,
                           "workingHours": open_, "frequency": "DontRepeat"}]}, day=26)["id"])
    hours = {}
    for i, site in enumerate(t.ref["sites"]):
        hours[site["id"]] = t.add("business-hours", {
            "name": f"{site['name']} Hours", "description": f"Opening hours of {site['name']}",
            "timezone": site["tz"], "workingHours": [
                {"name": "Weekdays", "days": ["MON", "TUE", "WED", "THU", "FRI"], "startTime": "08:00",
                 "endTime": "20:00"},
                {"name": "Saturday", "days": ["SAT"], "startTime": "09:00", "endTime": "14:00"}],
            "holidaysId": holidays.get(site["country"], holidays["GLOBAL"]),
            "overridesId": overrides[i % len(overrides)]}, day=27)["id"]
    t.add("business-hours", {"name": "Always Open", "description": "24x7 coverage", "timezone": "UTC",
                             "workingHours": [{"name": "All Week", "days": ["SUN", "MON", "TUE", "WED", "THU",
                                                                             "FRI", "SAT"],
                                               "startTime": "00:00", "endTime": "23:59"}]}, day=27)
    t.ref["hours"] = hours


def build_directory(t) -> None:
    """Outdial ANIs (from the tenant's own numbers) and address books with their entries."""
    numbers = t.ref["dial_numbers"]
    for i, name in enumerate(("Main Outdial ANI", "Sales Outdial ANI")):
        chosen = numbers[i::2][:4] or numbers[:1]
        entries = [t.sub({"name": f"Line {k + 1}", "number": n, "defaultANIEntry": k == 0})
                   for k, n in enumerate(chosen)]
        t.ref.setdefault("outdial_ani", []).append(t.add("outdial-ani", {
            "name": name, "description": f"Caller ids shown by {name.split()[0].lower()} outdial calls",
            "outdialANIEntries": entries}, day=50)["id"])
    books = [("Company Directory", "ORGANIZATION", None, t.ref["sites"][0]["prefix"])]
    books += [(f"{s['name']} Directory", "SITE", s["id"], s["prefix"]) for s in t.ref["sites"][:50]]
    for name, parent, site_id, prefix in books:
        fields = {"name": name, "description": f"{name} speed dials", "parentType": parent}
        if site_id:
            fields["siteId"] = site_id
        book = t.add("address-book", fields, day=45)
        t.ref.setdefault("address_books", []).append(book["id"])
        for entry, suffix in pools.DIRECTORY[: 10 if parent == "ORGANIZATION" else 4]:
            # The vendor's entry DTO has no parent field; the mock keeps the owning book in ``addressBookId``.
            t.add("address-book-entry", {"name": entry, "number": prefix + suffix, "addressBookId": book["id"]},
                  day=46)


def _ms(day: int) -> int:
    return 1_704_067_200_000 + day * 86_400_000
