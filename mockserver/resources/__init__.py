"""Contact Center configuration resources: one module per vendor resource, one generic engine (``crud.py``).

Adding a resource: write its module (schema + ``SPEC``), add its name to ``RESOURCES``.
"""
from __future__ import annotations

import importlib

#: Resource modules, in registration order (each exposes ``SPEC``, a ``spec.Resource``).
RESOURCES = [
    "multimedia_profile",
    "site",
    "team",
    "user",
    "user_profile",
    "skill",
    "skill_profile",
    "contact_service_queue",
    "entry_point",
    "auxiliary_code",
    "agent_profile",
    "cad_variable",
    "business_hours",
    "holiday_list",
    "overrides",
    "dial_number",
    "address_book",
    "address_book_entry",
    "outdial_ani",
    "desktop_layout",
    "audio_file",
    "agent_personal_greeting",
    "resource_collection",
    "contact_number",
    "dial_plan",
    "work_type",
    "ai_feature",
    "ai_feature_question",
    "auto_csat",
    "auto_csat_question",
    "agent_burnout",
    "generated_summaries",
]


def specs() -> list:
    """Every resource declaration, in registry order."""
    return [importlib.import_module(f"{__name__}.{name}").SPEC for name in RESOURCES]


def register(api, rt) -> None:
    """Fill the catalog (``rt.resources``) and attach one blueprint per resource."""
    from .crud import attach, blueprint_for

    catalog = rt.resources
    blueprints = []
    for spec in specs():
        catalog.add(spec)
        blueprints.append(blueprint_for(spec))
    attach(api, blueprints)
    from .uploads import blp as downloads
    api.register_blueprint(downloads)
