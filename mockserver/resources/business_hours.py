"""Business hours (``business-hours``): weekly working hours, with a holiday list and overrides."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from .export import copy
from .spec import DTO, Child, Long, Nest, Ref, Resource, Str, tag

NAME = r"^[a-zA-Z0-9_-]+(\s[a-zA-Z0-9_-]+)*$"
DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


class WorkingHoursDTO(Child):
    """One shift: days and times."""

    name = Str(required=True, max=80, pattern=NAME)
    # The enum sits on the items (on the list it would document an unsatisfiable ``array`` + ``enum``).
    days = ma.fields.List(ma.fields.String(validate=validate.OneOf(DAYS)), required=True)
    startTime = Str(pattern=r"^\d{2}:\d{2}$")
    endTime = Str(pattern=r"^\d{2}:\d{2}$")


class BusinessHoursDTO(DTO):
    """Business hours."""

    name = Str(required=True, max=80, pattern=NAME)
    description = Str(max=255)
    timezone = Str(required=True)
    workingHours = Nest(WorkingHoursDTO, many=True, required=True,
                        validate=validate.Length(min=1, error="Working hours cannot be empty"))
    holidaysId = Str()
    overridesId = Str()
    workingHoursCount = Long()


def example(make) -> dict:
    """Minimal valid business hours."""
    return {"name": f"Hours_{tag()}", "timezone": "America/New_York",
            "workingHours": [{"name": "Weekdays", "days": ["MON", "TUE", "WED", "THU", "FRI"],
                              "startTime": "08:00", "endTime": "17:00"}]}


def export_row(doc: dict, ctx) -> dict:
    """BusinessHoursBulkExportDTO: hours with the holiday list and overrides by name."""
    return {**copy(doc, "name", "description", "timezone"),
            "holidayName": ctx.name("holiday-list", doc.get("holidaysId")),
            "overrideName": ctx.name("overrides", doc.get("overridesId")),
            "workingHours": [{"workingHourName": w.get("name"), **copy(w, "startTime", "endTime", "days")}
                             for w in doc.get("workingHours") or ()]}


SPEC = Resource(
    "business-hours", "Business Hours", BusinessHoursDTO, example,
    refs=(Ref("holidaysId", "holiday-list"), Ref("overridesId", "overrides")),
    list_drop=("workingHours",), search=("name",), sortable=True, readonly=("workingHoursCount",), export=export_row)
