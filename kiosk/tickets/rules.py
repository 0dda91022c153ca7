"""Whether a service gives out tickets right now, and if not, why and when again.

The service's own hours (or else its site's) and the pack's holiday calendar decide; a daily
cap and "stop N minutes before closing" (kiosk.ini) can end the day early. A service whose
hours are not written anywhere is treated as always open (the pack check warns about it), so
a missing line in a spreadsheet never silently stops a hall's queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from kiosk.packs import openinghours
from kiosk.packs.model import Calendar, Hours, Notice, Service, Site
from kiosk.tickets import texts


@dataclass(frozen=True)
class Availability:
    open: bool
    code: str  # open | holiday | not_yet | ended | stopped | full
    reason: str = ""  # Chinese, with the next opening; "" when open
    next_opening: datetime | None = None


def effective_hours(service: Service, site: Site | None) -> Hours | None:
    """The hours that apply, or None when neither the service nor its site has any."""
    for hours in (service.hours, site.hours if site else None):
        if hours is not None and not hours.is_always_closed():
            return hours
    return None


def availability(
    service: Service,
    site: Site | None,
    calendar: Calendar,
    moment: datetime,
    issued_today: int = 0,
    stop_before_close: int = 0,
) -> Availability:
    hours = effective_hours(service, site)
    cap = service.daily_cap
    if hours is None:
        if cap and issued_today >= cap:
            return Availability(False, "full", texts.REFUSED_FULL.format(cap=cap))
        return Availability(True, "open")
    today = moment.date()
    next_open = hours.next_opening(moment, calendar)
    if today in calendar.holidays:
        name = calendar.names.get(today, "")
        reason = texts.REFUSED_HOLIDAY.format(name=f"（{name}）" if name else "")
        return _closed("holiday", reason, next_open, moment)
    if not hours.is_open(moment, calendar):
        later_today = next_open is not None and next_open.date() == today
        code, reason = (
            ("not_yet", texts.REFUSED_NOT_YET) if later_today else ("ended", texts.REFUSED_ENDED)
        )
        return _closed(code, reason, next_open, moment)
    closes = hours.closes_at(moment, calendar)
    if stop_before_close and closes and closes - moment <= timedelta(minutes=stop_before_close):
        return _closed("stopped", texts.REFUSED_STOPPED, next_open, moment)
    if cap and issued_today >= cap:
        end_of_day = datetime.combine(today, time(23, 59, 59), moment.tzinfo)
        tomorrow = hours.next_opening(end_of_day, calendar)
        return _closed("full", texts.REFUSED_FULL.format(cap=cap), tomorrow, moment)
    return Availability(True, "open")


def closed_by_notice(
    service: Service, site: Site | None, calendar: Calendar, notice: Notice, moment: datetime
) -> Availability:
    """A notice closes the service: the notice is the reason; tickets again when it expires
    and the service's hours allow (unknown when it has no end)."""
    next_open = None
    if notice.end is not None:
        after = notice.end.replace(tzinfo=moment.tzinfo)
        hours = effective_hours(service, site)
        if hours is None:
            next_open = after
        else:
            next_open = after if hours.is_open(after, calendar) else None
            next_open = next_open or hours.next_opening(after, calendar)
    tail = (
        texts.NEXT_OPENING.format(when=texts.when(next_open, moment))
        if next_open
        else texts.NOTICE_NO_END
    )
    reason = texts.REFUSED_NOTICE.format(title=notice.title.rstrip("。"))
    return Availability(False, "notice", f"{reason}。{tail}", next_open)


def _closed(code: str, reason: str, next_open: datetime | None, now: datetime) -> Availability:
    tail = (
        texts.NEXT_OPENING.format(when=texts.when(next_open, now))
        if next_open
        else texts.NEVER_OPEN
    )
    return Availability(False, code, f"{reason}。{tail}", next_open)


def hours_text(hours: Hours | None) -> str:
    """'周一至周五 09:00-12:00、14:00-17:30；周六 09:00-12:00': the open days in one line, worded
    like the directory's pages (kiosk.packs.openinghours)."""
    return openinghours.week_text(hours)
