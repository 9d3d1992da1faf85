"""Holiday list (``holiday-list``): days the business hours do not apply."""
from __future__ import annotations

from .spec import DTO, Child, Ids, Int, Long, Nest, Resource, Str, tag

NAME = r"^[a-zA-Z0-9_-]+(\s[a-zA-Z0-9_-]+)*$"
FREQUENCY = ("DontRepeat", "Daily", "Weekly", "Monthly", "Yearly")
DATE = r"^\d{4}-\d{2}-\d{2}$"


class RecurrenceDTO(Child):
    """How a holiday or override repeats."""

    interval = Int(required=True, min=1)
    occurrenceInTheMonth = Str(enum=("FIRST", "SECOND", "THIRD", "FOURTH", "LAST"))
    daysOfWeek = Ids()
    specificDayOfMonth = Int(min=1, max=31)
    specificMonth = Str(enum=("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"))
    endDate = Str(pattern=DATE)


class HolidaysDTO(Child):
    """One holiday."""

    name = Str(required=True, max=80, pattern=NAME)
    startDate = Str(pattern=DATE)
    endDate = Str(pattern=DATE)
    startTime = Str()
    endTime = Str()
    frequency = Str(enum=FREQUENCY)
    recurrence = Nest(RecurrenceDTO)
    overlapsWith = Ids()


class HolidayListDTO(DTO):
    """A holiday list."""

    name = Str(required=True, max=80, pattern=NAME)
    description = Str(max=255)
    holidays = Nest(HolidaysDTO, many=True, required=True)
    holidaysCount = Long()


def example(make) -> dict:
    """A minimal valid holiday list."""
    return {"name": f"Holidays_{tag()}",
            "holidays": [{"name": "New Year", "startDate": "2027-01-01", "endDate": "2027-01-01",
                          "frequency": "DontRepeat"}]}


SPEC = Resource("holiday-list", "Holiday List", HolidayListDTO, example,
                list_drop=("holidays",), search=("name",), sortable=True, readonly=("holidaysCount",))
