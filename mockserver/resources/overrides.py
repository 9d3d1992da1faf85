"""Overrides (``overrides``): one-off changes to business hours (open late, closed early)."""
from __future__ import annotations

from .holiday_list import FREQUENCY, NAME, RecurrenceDTO
from .spec import DTO, Bool, Child, Long, Nest, Resource, Str, tag


class OverrideDTO(Child):
    """One override."""

    name = Str(required=True, max=80, pattern=NAME)
    startDateTime = Str()
    endDateTime = Str()
    workingHours = Bool(required=True)
    frequency = Str(enum=FREQUENCY)
    recurrence = Nest(RecurrenceDTO)


class OverridesDTO(DTO):
    """A set of overrides."""

    name = Str(required=True, max=80, pattern=NAME)
    description = Str(max=255)
    timezone = Str(required=True)
    overrides = Nest(OverrideDTO, many=True, required=True)
    latestOverride = Nest(OverrideDTO)
    overridesCount = Long()


def example(make) -> dict:
    """A minimal valid override set."""
    return {"name": f"Overrides_{tag()}", "timezone": "America/New_York",
            "overrides": [{"name": "Inventory", "startDateTime": "2027-03-01T08:00", "endDateTime": "2027-03-01T12:00",
                           "workingHours": False, "frequency": "DontRepeat"}]}


SPEC = Resource("overrides", "Overrides", OverridesDTO, example,
                list_drop=("overrides",), search=("name",), sortable=True,
                readonly=("latestOverride", "overridesCount"))
