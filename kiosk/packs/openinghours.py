"""Opening hours in words, one way for every feature: the directory's detail page, the
ticket screens and slips, `kiosk roster` all describe the same `model.Hours` alike.

    周一至周五 09:00-12:00、14:00-17:30      consecutive days with equal hours form one run
    周六至周日 休息                           closed runs (left out of the one-line form)
    每天 00:00-24:00                         every day the same

`week_lines` is the full list (a site's detail page); `week_text` the one-line form of the
open days (a ticket, a service card), made from the same lines.
"""

from __future__ import annotations

from datetime import time

from kiosk.packs import model

END_OF_DAY = time(23, 59, 59)

# The words of opening hours (Chinese, as residents read them).
DAY_RANGE = "{first}至{last}"
DAY_SEPARATOR = "、"
EVERY_DAY = "每天"
RESTING = "休息"
INTERVAL_SEPARATOR = "、"
LINE_SEPARATOR = "；"


def clock_time(value: time) -> str:
    """09:00; the end of a day written 24:00 in the source is shown as 24:00."""
    return "24:00" if value >= END_OF_DAY else f"{value:%H:%M}"


def interval_text(intervals: tuple[model.Interval, ...]) -> str:
    """'09:00-12:00、14:00-17:30', or 休息 for a closed day."""
    if not intervals:
        return RESTING
    return INTERVAL_SEPARATOR.join(
        f"{clock_time(start)}-{clock_time(end)}" for start, end in intervals
    )


def week_lines(hours: model.Hours, closed: bool = True) -> list[str]:
    """One line per run of consecutive days with equal hours; closed runs only if `closed`."""
    if hours.is_always_closed():
        return []
    if len(set(hours.weekly)) == 1:
        return [f"{EVERY_DAY} {interval_text(hours.weekly[0])}"]
    lines = []
    start = 0
    for index in range(1, 8):
        if index == 7 or hours.weekly[index] != hours.weekly[start]:
            if closed or hours.weekly[start]:
                lines.append(f"{days_text(start, index - 1)} {interval_text(hours.weekly[start])}")
            start = index
    return lines


def week_text(hours: model.Hours | None) -> str:
    """The open days in one line: '周一至周五 09:00-17:00；周六 09:00-12:00' ("" when none)."""
    return LINE_SEPARATOR.join(week_lines(hours, closed=False)) if hours is not None else ""


def days_text(first: int, last: int) -> str:
    """周一, 周一、周二, 周一至周五 (weekday indexes, Monday 0)."""
    names = model.WEEKDAY_NAMES
    if first == last:
        return names[first]
    if last == first + 1:
        return names[first] + DAY_SEPARATOR + names[last]
    return DAY_RANGE.format(first=names[first], last=names[last])
