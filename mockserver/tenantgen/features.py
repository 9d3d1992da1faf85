"""The rest of a generated tenant's configuration: resource collections, contact numbers, dial plans, AI settings."""
from __future__ import annotations


def build(t) -> None:
    """Everything after prompts and greetings (it only points at what exists by then)."""
    _collections(t)
    _numbers(t)
    _dial_plans(t)
    _work_types(t)
    _ai(t)


def _work_types(t) -> None:
    """Beside the two system work types: one the organisation made, and a retired one (what purge removes)."""
    for name, code, active in (("Back Office", "IDLE_CODE", True), ("Retired Wrap Up", "WRAP_UP_CODE", False)):
        t.add("work-type", {"name": name, "description": f"{name} codes", "workTypeCode": code, "active": active,
                            "systemDefault": False}, day=90)


def _collections(t) -> None:
    sites = [d["id"] for d in t.docs["site"]]
    queues = [d["id"] for d in t.docs["contact-service-queue"]]
    teams = [d["id"] for d in t.docs["team"]][:50]
    made = []
    for name, desc, resources in (
            ("All Sites", "Every site of the organisation", [("site", "SPECIFIC", sites)]),
            ("Support Queues", "Queues and teams of the support line",
             [("contact-service-queue", "SPECIFIC", queues[: max(1, len(queues) // 2)]),
              ("team", "SPECIFIC", teams[: max(1, len(teams) // 2)])]),
            ("Everything", "All resources of every type", [("site", "ALL", []), ("team", "ALL", []),
                                                          ("contact-service-queue", "ALL", [])])):
        rows = [{"name": n, "accessLevel": level, **({"ids": ids} if ids else {})} for n, level, ids in resources]
        made.append(t.add("resource-collection", {"name": name, "description": desc, "resources": rows,
                                                  "resourceCount": sum(len(r.get("ids", [])) for r in rows)},
                          day=35))
    for profile in t.docs["user-profile"]:
        if not profile.get("systemDefault"):  # the custom profiles see the support line by default
            profile["defaultResourceCollectionId"] = made[1]["id"]


def _numbers(t) -> None:
    rng, seen = t.rng, set()
    for _ in range(t.scale(3, 40, 500)):
        number = f"1{rng.randrange(200, 999)}555{rng.randrange(0, 10_000):04d}"
        if number in seen:
            continue
        seen.add(number)
        t.add("contact-number", {"number": number}, day=45)


def _dial_plans(t) -> None:
    plans = [
        ("US", "Ten-digit North American numbers", r"^1?[2-9]\d{9}$", "1", "()- ", True),
        ("International", "Numbers with a country code", r"^\+?[1-9]\d{6,14}$", "", "()- ", False),
        ("Internal", "Four-digit extensions", r"^\d{4}$", "", "", False)]
    for name, desc, regex, prefix, stripped, system in plans:
        t.add("dial-plan", {"name": name, "description": desc, "regularExpression": regex,
                            **({"prefix": prefix} if prefix else {}),
                            **({"strippedChars": stripped} if stripped else {}),
                            "active": True, "systemDefault": system}, day=1)


def _ai(t) -> None:
    """The organisation's singletons: AI features, auto-CSAT (and its questions), wellbeing, summaries."""
    csat_var = next((v["id"] for v in t.docs["cad-variable"] if v.get("variableType") == "String"),
                    t.docs["cad-variable"][0]["id"] if t.docs["cad-variable"] else None)
    auto = {"enable": True, "queuesInclusionType": "ALL", "surveyDataSource": "GLOBAL_VARIABLE"}
    if csat_var:
        auto["selectedGlobalVariableId"] = csat_var
    t.add("ai-feature", {
        "realtimeTranscripts": {"enable": True, "agentInclusionType": "ALL", "queuesInclusionType": "ALL"},
        "suggestedResponses": {"enable": True},
        "generatedSummaries": {"callDropSummariesEnabled": True, "virtualAgentTransferSummariesEnabled": True,
                               "consultTransferSummariesEnabled": False, "wrapUpSummariesEnabled": True,
                               "queuesInclusionType": "ALL"},
        "agentWellbeing": {"enable": True, "agentInclusionType": "ALL", "wellnessBreakReminders": "ENABLED"},
        "autoCSAT": auto, "coachingInsights": {"enable": False}, "evaluationsAndAnalytics": {"enable": False},
        "sentimentAnalysis": {"enable": True, "queuesInclusionType": "ALL"},
        "predictedWaitTime": {"enable": False, "queuesInclusionType": "ALL"},
        "personalizedAIRouting": {"enable": False}}, day=10)
    for n in (1, 2):
        t.add("ai-feature-question", {"questionId": f"csat-question-{n}", "questionnaireId": "post-call-survey"},
              day=11)
    if csat_var:
        csat = t.add("auto-csat", {"enabled": True, "agentInclusionType": "ALL", "surveyDataSource": "GLOBAL_VARIABLE",
                                   "selectedGlobalVariableId": csat_var}, day=10)
        for n in (1, 2):
            t.add("auto-csat-question", {"questionId": f"csat-question-{n}", "questionnaireId": "post-call-survey",
                                         "autoCsatId": csat["id"]}, day=11)
    t.add("agent-burnout", {"enabled": True, "agentInclusionType": "ALL", "wellnessBreakReminders": "ENABLED"}, day=10)
    t.add("generated-summaries", {"callDropSummariesEnabled": True, "virtualAgentTransferSummariesEnabled": True,
                                  "consultTransferSummariesEnabled": False, "agentInclusionType": "ALL"}, day=10)
