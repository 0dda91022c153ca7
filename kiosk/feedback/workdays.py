"""Due dates in working days: weekends and public holidays do not count, 调休 days do."""

from __future__ import annotations

from datetime import date, timedelta

from kiosk.packs.model import Calendar


def is_workday(day: date, calendar: Calendar | None = None) -> bool:
    if calendar is not None:
        if day in calendar.extra_workdays:
            return True
        if day in calendar.holidays:
            return False
    return day.weekday() < 5


def add_workdays(start: date, days: int, calendar: Calendar | None = None) -> date:
    """The day `days` working days after `start` (the day of the rating does not count)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_workday(day, calendar):
            left -= 1
    return day
