"""Opening hours as residents read them: open now or not, and when the doors open next.

Uses `model.Hours` and the pack's Calendar (holidays closed, 调休 days open). Moments are
converted to the site's time zone first, so a kiosk whose machine clock runs in UTC still says
"已下班" at 17:31 in Chongqing. The week in words comes from `kiosk.packs.openinghours`, the
one formatter the ticket screens use too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from kiosk import clock
from kiosk.directory import words
from kiosk.packs import model
from kiosk.packs.openinghours import END_OF_DAY, clock_time

OPEN, BREAK, NOT_YET, CLOSED, DAY_OFF, UNKNOWN = (
    "open",
    "break",
    "not_yet",
    "closed",
    "day_off",
    "unknown",
)


@dataclass(frozen=True)
class OpenState:
    state: str  # one of OPEN, BREAK, NOT_YET, CLOSED, DAY_OFF, UNKNOWN
    moment: datetime
    closes_at: datetime | None = None  # while open
    next_opening: datetime | None = None  # while not open
    holiday: str = ""  # name of today's public holiday, if any

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    @property
    def label(self) -> str:
        """现在开放 / 午间休息 / 还未开门 / 已下班 / 今天休息 / 开放时间请电话咨询."""
        if self.state == DAY_OFF and self.holiday:
            return words.HOLIDAY.format(name=self.holiday)
        return {
            OPEN: words.OPEN,
            BREAK: words.BREAK,
            NOT_YET: words.NOT_YET,
            CLOSED: words.CLOSED,
            DAY_OFF: words.DAY_OFF,
            UNKNOWN: words.UNKNOWN,
        }[self.state]

    @property
    def detail(self) -> str:
        """'17:30 下班' while open, otherwise '下次开放时间：明天（周二）09:00'."""
        if self.state == OPEN:
            if self.closes_at is None:
                return ""  # open round the clock
            return words.CLOSES_AT.format(time=clock_time(self.closes_at.time()))
        if self.state == UNKNOWN:
            return ""
        if self.next_opening is None:
            return words.NO_NEXT_OPENING
        return words.NEXT_OPENING.format(when=when(self.next_opening, self.moment))

    @property
    def text(self) -> str:
        return "，".join(part for part in (self.label, self.detail) if part)


def local(moment: datetime | None) -> datetime:
    """`moment` (default: now) in the site's time zone."""
    if moment is None:
        return clock.now()
    if moment.tzinfo is None:
        return moment.replace(tzinfo=clock.timezone())
    return moment.astimezone(clock.timezone())


def open_state(
    hours: model.Hours, moment: datetime | None = None, calendar: model.Calendar | None = None
) -> OpenState:
    now = local(moment)
    if hours.is_always_closed():
        return OpenState(UNKNOWN, now)
    if hours.is_open(now, calendar):
        return OpenState(OPEN, now, closes_at=_closing(hours, now, calendar))
    upcoming = hours.next_opening(now, calendar)
    today = hours.intervals_on(now.date(), calendar)
    holiday = calendar.names.get(now.date(), "") if calendar else ""
    if not today:
        state = DAY_OFF
    elif now.time() < today[0][0]:
        state = NOT_YET
    elif upcoming is not None and upcoming.date() == now.date():
        state = BREAK
    else:
        state = CLOSED
    return OpenState(state, now, next_opening=upcoming, holiday=holiday)


def _closing(hours: model.Hours, now: datetime, calendar: model.Calendar | None) -> datetime | None:
    """When the doors close. An interval to 24:00 runs on into the next day's from 00:00;
    None when they do not close within a week (open round the clock)."""
    closes = hours.closes_at(now, calendar)
    day = now.date()
    for _ in range(8):
        if closes is None or closes.time() != END_OF_DAY:
            return closes
        day += timedelta(days=1)
        following = hours.intervals_on(day, calendar)
        if not following or following[0][0] != time(0, 0):
            return closes
        closes = datetime.combine(day, following[0][1], now.tzinfo)
    return None


def day_label(day: date, today: date) -> str:
    """今天 / 明天 / 后天 / 3月10日, with the weekday for dates beyond today."""
    weekday = model.WEEKDAY_NAMES[day.weekday()]
    offset = (day - today).days
    if offset == 0:
        return words.TODAY
    if offset == 1:
        return f"{words.TOMORROW}（{weekday}）"
    if offset == 2:
        return f"{words.DAY_AFTER}（{weekday}）"
    return f"{words.DATE.format(month=day.month, day=day.day)}（{weekday}）"


def when(moment: datetime, now: datetime) -> str:
    """'今天 14:00', '明天（周二）09:00', '3月10日（周一）09:00'."""
    return f"{day_label(moment.date(), now.date())} {clock_time(moment.time())}"
