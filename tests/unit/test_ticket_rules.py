"""Opening hours, holidays, caps and 'stop before closing' decide whether a ticket is offered."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from kiosk.packs.model import Calendar, Hours, Service, Site
from kiosk.packs.source import parse_hours
from kiosk.tickets import rules

TZ = ZoneInfo("Asia/Shanghai")
WEEKDAYS = parse_hours({"周一至周五": "09:00-12:00, 14:00-17:30"})
SITE = Site(id="s", name="中心", level="center", hours=WEEKDAYS)
NATIONAL_DAY = Calendar(
    holidays=frozenset({datetime(2025, 10, 1).date()}),
    extra_workdays=frozenset({datetime(2025, 9, 28).date()}),
    names={datetime(2025, 10, 1).date(): "国庆节"},
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def service(**values) -> Service:
    return Service(id="aid", site="s", name="法律援助", prefix="B", **values)


def test_open_during_hours_and_closed_at_lunch_with_the_afternoon_opening():
    assert rules.availability(service(), SITE, Calendar(), at("2025-06-03 10:00")).open
    lunch = rules.availability(service(), SITE, Calendar(), at("2025-06-03 12:30"))
    assert not lunch.open and lunch.code == "not_yet"
    assert lunch.next_opening == at("2025-06-03 14:00")
    assert lunch.reason == "现在还没到办理时间。下次取号：今天 14:00"


def test_after_closing_on_friday_the_next_opening_is_monday():
    evening = rules.availability(service(), SITE, Calendar(), at("2025-06-06 17:30"))
    assert evening.code == "ended"
    assert evening.next_opening == at("2025-06-09 09:00")
    assert "6月9日（周一）09:00" in evening.reason


def test_a_holiday_is_closed_with_its_name_and_a_make_up_sunday_is_open():
    holiday = rules.availability(service(), SITE, NATIONAL_DAY, at("2025-10-01 10:00"))
    assert holiday.code == "holiday"
    assert "国庆节" in holiday.reason
    assert holiday.next_opening == at("2025-10-02 09:00")
    sunday = rules.availability(service(), SITE, NATIONAL_DAY, at("2025-09-28 10:00"))
    assert sunday.open


def test_service_hours_override_the_site_hours():
    tuesday_only = service(hours=parse_hours({"周二": "09:00-11:00"}))
    assert rules.availability(tuesday_only, SITE, Calendar(), at("2025-06-03 10:00")).open
    wednesday = rules.availability(tuesday_only, SITE, Calendar(), at("2025-06-04 10:00"))
    assert wednesday.code == "ended"
    assert wednesday.next_opening == at("2025-06-10 09:00")


def test_the_daily_cap_closes_the_day_and_points_to_the_next_working_day():
    capped = service(daily_cap=30)
    assert rules.availability(capped, SITE, Calendar(), at("2025-06-06 10:00"), 29).open
    full = rules.availability(capped, SITE, Calendar(), at("2025-06-06 10:00"), 30)
    assert full.code == "full"
    assert full.reason.startswith("今天的号已取完（每天30个）")
    assert full.next_opening == at("2025-06-09 09:00")


def test_stop_before_close_ends_issuing_early():
    moment = at("2025-06-03 17:05")
    assert rules.availability(service(), SITE, Calendar(), moment).open
    stopped = rules.availability(service(), SITE, Calendar(), moment, stop_before_close=30)
    assert stopped.code == "stopped"
    assert stopped.next_opening == at("2025-06-04 09:00")


def test_no_hours_anywhere_means_open_but_the_cap_still_counts():
    bare = Site(id="s", name="工作室", level="room")
    assert rules.availability(service(), bare, Calendar(), at("2025-06-08 23:00")).open
    full = rules.availability(service(daily_cap=2), bare, Calendar(), at("2025-06-08 23:00"), 2)
    assert full.code == "full"


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        ({"周一至周五": "09:00-12:00, 14:00-17:30"}, "周一至周五 09:00-12:00、14:00-17:30"),
        ({"周二、周四": "09:00-12:00"}, "周二 09:00-12:00；周四 09:00-12:00"),
        (
            {"周一至周五": "09:00-17:00", "周六": "09:00-12:00"},
            "周一至周五 09:00-17:00；周六 09:00-12:00",
        ),
        ({"周一、周二": "09:00-12:00"}, "周一、周二 09:00-12:00"),
    ],
)
def test_hours_are_written_the_way_a_notice_board_writes_them(spec, text):
    assert rules.hours_text(parse_hours(spec)) == text


def test_effective_hours_fall_back_to_the_site():
    assert rules.effective_hours(service(), SITE) is WEEKDAYS
    assert rules.effective_hours(service(), Site(id="x", name="x", level="room")) is None
    own = Hours(weekly=(((time(8), time(9)),),) + ((),) * 6)
    assert rules.effective_hours(service(hours=own), SITE) is own
