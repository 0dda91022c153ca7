"""Who is on duty at a site on a given day, and when they are next on duty.

Rules come from the pack (`model.DutyRule`): 中心律师天天见 (daily), 镇街律师周三见 (weekly on
Wednesday), 村居律师月月见 (monthly: a day of the month, or the nth weekday), or a list of dates.
A day is checked in this order:

1. outside the rule's start/end: not on duty;
2. listed in `except_dates`: not on duty (staff cancelled it);
3. listed in `dates`: on duty, even on a holiday (staff arranged it explicitly);
4. a public holiday and `skip_holidays`: not on duty;
5. the pattern. Weekday patterns treat a make-up working day (调休) as a Monday, like opening
   hours do. Month days past the end of a short month mean its last day (31 -> 30 April,
   28/29 February); -1 is always the last day. `nth_weekday` (n, day) with n = -1 is the last
   such weekday; a fifth one that a month lacks is simply not there.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from kiosk.packs import model
from kiosk.packs.openinghours import clock_time

HORIZON_DAYS = 400  # how far ahead "next duty" looks (a yearly rule still shows)


def effective_weekday(day: date, calendar: model.Calendar | None = None) -> int:
    """0 = Monday; a make-up working day (调休) counts as a Monday."""
    if calendar and day in calendar.extra_workdays:
        return 0
    return day.weekday()


def month_day_matches(day: date, wanted: int) -> bool:
    last = _calendar.monthrange(day.year, day.month)[1]
    if wanted < 0:
        return day.day == last + 1 + wanted if -wanted <= last else False
    if wanted == 0:
        return False
    return day.day == min(wanted, last)


def nth_weekday_matches(day: date, n: int, weekday: int) -> bool:
    if day.weekday() != weekday or n == 0:
        return False
    if n > 0:
        return (day.day - 1) // 7 + 1 == n
    last = _calendar.monthrange(day.year, day.month)[1]
    return (last - day.day) // 7 + 1 == -n


def pattern_matches(rule: model.DutyRule, day: date, calendar: model.Calendar | None) -> bool:
    if rule.pattern == "daily":
        return not rule.weekdays or effective_weekday(day, calendar) in rule.weekdays
    if rule.pattern == "weekly":
        return effective_weekday(day, calendar) in rule.weekdays
    if rule.pattern == "monthly":
        if any(month_day_matches(day, wanted) for wanted in rule.month_days):
            return True
        return rule.nth_weekday is not None and nth_weekday_matches(day, *rule.nth_weekday)
    return False  # "dates": only the listed dates


def on_duty(rule: model.DutyRule, day: date, calendar: model.Calendar | None = None) -> bool:
    """Whether `rule` puts someone on duty on `day` (see the module docstring for the order)."""
    if (rule.start and day < rule.start) or (rule.end and day > rule.end):
        return False
    if day in rule.except_dates:
        return False
    if day in rule.dates:
        return True
    if rule.skip_holidays and calendar and day in calendar.holidays:
        return False
    return pattern_matches(rule, day, calendar)


def at_site(
    rule: model.DutyRule,
    day: date,
    site: model.Site | None,
    calendar: model.Calendar | None = None,
) -> bool:
    """On duty at the site on `day`: the rule says so and someone can meet the duty there.
    A duty without hours of its own keeps the site's hours, so on a day the site is closed
    (weekend, public holiday) there is no duty; dates listed explicitly and duties with their
    own hours (e.g. a Saturday surgery) hold regardless."""
    if not on_duty(rule, day, calendar):
        return False
    if site is None or rule.hours or day in rule.dates:
        return True
    return bool(site.hours.intervals_on(day, calendar))


def next_duty(
    rule: model.DutyRule,
    after: date,
    calendar: model.Calendar | None = None,
    horizon_days: int = HORIZON_DAYS,
    site: model.Site | None = None,
) -> date | None:
    """The first day strictly after `after` on which `rule` is on duty at `site` (None if
    none soon)."""
    last = after + timedelta(days=horizon_days)
    if rule.end is not None:
        last = min(last, rule.end)
    day = after + timedelta(days=1)
    if rule.start is not None and day < rule.start:
        day = rule.start
    while day <= last:
        if at_site(rule, day, site, calendar):
            return day
        day += timedelta(days=1)
    return None


def undated(rule: model.DutyRule) -> bool:
    """A monthly rule whose day is not fixed yet (村居律师月月见 "每月定期"): no dates to show."""
    return rule.pattern == "monthly" and not (rule.month_days or rule.nth_weekday or rule.dates)


def rules_for(pack: model.Pack, site_id: str) -> tuple[model.DutyRule, ...]:
    return tuple(rule for rule in pack.rosters if rule.site == site_id)


@dataclass(frozen=True)
class Duty:
    """One rule's answer for a day: on duty or not, its hours that day, and the next date."""

    rule: model.DutyRule
    today: bool
    hours: tuple[model.Interval, ...]  # the rule's own hours, else the site's hours that day
    next_date: date | None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.rule.id,
            "who": self.rule.who,
            "role": self.rule.role,
            "brand": self.rule.brand,
            "phone": self.rule.phone,
            "on_duty": self.today,
            "hours": [f"{clock_time(a)}-{clock_time(b)}" for a, b in self.hours],
            "next": self.next_date,
            "day_not_fixed": undated(self.rule),
        }


@dataclass(frozen=True)
class Roster:
    site: str
    day: date
    duties: tuple[Duty, ...]

    @property
    def on_duty(self) -> tuple[Duty, ...]:
        return tuple(d for d in self.duties if d.today)

    def next_date(self) -> date | None:
        """The next day after `day` on which anyone of this site is on duty."""
        dates = [d.next_date for d in self.duties if d.next_date is not None]
        return min(dates) if dates else None


def roster(pack: model.Pack, site_id: str, day: date) -> Roster:
    """Every duty rule of a site, evaluated for `day`."""
    site = pack.site(site_id)
    duties = []
    for rule in rules_for(pack, site_id):
        today = at_site(rule, day, site, pack.calendar)
        hours: tuple[model.Interval, ...] = rule.hours
        if not hours and site is not None:
            hours = site.hours.intervals_on(day, pack.calendar)
        upcoming = next_duty(rule, day, pack.calendar, site=site)
        duties.append(Duty(rule, today, hours if today else (), upcoming))
    duties.sort(key=lambda d: (not d.today, d.next_date or date.max, d.rule.who))
    return Roster(site_id, day, tuple(duties))


def duty_days(
    rule: model.DutyRule, days: Iterable[date], calendar: model.Calendar | None = None
) -> list[date]:
    return [day for day in days if on_duty(rule, day, calendar)]
