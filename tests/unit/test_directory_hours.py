"""Opening hours around closing time, lunch, midnight, holidays and time zones."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kiosk import clock
from kiosk.directory import hours
from kiosk.packs import model, openinghours
from kiosk.packs.source import parse_hours

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = parse_hours({"周一至周五": "09:00-12:00, 14:00-17:30", "周六、周日": "休息"})
# 2025-03-07 is a Friday; 2025-03-10 the Monday after.


@pytest.fixture(autouse=True)
def site_zone():
    clock.set_timezone("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_one_minute_before_closing_is_open_and_says_when_it_closes():
    state = hours.open_state(OFFICE, at("2025-03-07 17:29"))
    assert state.is_open and state.label == "现在开放"
    assert state.detail == "17:30 下班"
    assert state.text == "现在开放，17:30 下班"


def test_at_closing_time_it_has_closed_until_monday():
    state = hours.open_state(OFFICE, at("2025-03-07 17:30"))
    assert not state.is_open and state.label == "已下班"
    assert state.next_opening == at("2025-03-10 09:00")
    assert state.detail == "下次开放时间：3月10日（周一） 09:00"


def test_on_a_weekday_evening_next_opening_is_tomorrow():
    state = hours.open_state(OFFICE, at("2025-03-05 18:00"))
    assert state.label == "已下班"
    assert state.detail == "下次开放时间：明天（周四） 09:00"


def test_lunch_break_and_before_opening():
    lunch = hours.open_state(OFFICE, at("2025-03-05 12:00"))
    assert lunch.state == hours.BREAK and lunch.label == "午间休息"
    assert lunch.detail == "下次开放时间：今天 14:00"
    early = hours.open_state(OFFICE, at("2025-03-05 08:59"))
    assert early.state == hours.NOT_YET and early.detail == "下次开放时间：今天 09:00"
    assert hours.open_state(OFFICE, at("2025-03-05 09:00")).is_open


def test_weekend_and_the_day_after_tomorrow():
    saturday = hours.open_state(OFFICE, at("2025-03-08 10:00"))
    assert saturday.state == hours.DAY_OFF and saturday.label == "今天休息"
    assert saturday.detail == "下次开放时间：后天（周一） 09:00"


def test_just_before_and_just_after_midnight():
    friday_night = hours.open_state(OFFICE, at("2025-03-07 23:59:59"))
    assert friday_night.next_opening == at("2025-03-10 09:00")
    saturday_start = hours.open_state(OFFICE, at("2025-03-08 00:00"))
    assert saturday_start.state == hours.DAY_OFF
    assert saturday_start.next_opening == at("2025-03-10 09:00")
    sunday_night = hours.open_state(OFFICE, at("2025-03-09 23:59"))
    assert sunday_night.detail == "下次开放时间：明天（周一） 09:00"


def test_evening_hours_to_midnight_run_into_the_small_hours_of_the_next_day():
    late = parse_hours({"周五": "18:00-24:00", "周六": "00:00-02:00, 10:00-12:00"})
    state = hours.open_state(late, at("2025-03-07 23:59:30"))
    assert state.is_open
    assert state.closes_at == at("2025-03-08 02:00")
    assert state.detail == "02:00 下班"
    assert hours.open_state(late, at("2025-03-08 00:00")).is_open
    after = hours.open_state(late, at("2025-03-08 02:00"))
    assert after.state == hours.BREAK and after.detail == "下次开放时间：今天 10:00"


def test_open_round_the_clock_never_claims_a_closing_time():
    always = parse_hours({"每天": "00:00-24:00"})
    for moment in ("2025-03-07 23:59:30", "2025-03-08 00:00", "2025-03-08 12:00"):
        state = hours.open_state(always, at(moment))
        assert state.is_open and state.detail == "" and state.text == "现在开放"
    assert openinghours.week_lines(always) == ["每天 00:00-24:00"]


def test_public_holiday_is_named_and_skipped():
    calendar = model.Calendar(
        holidays=frozenset(date(2025, 10, d) for d in range(1, 9)),
        extra_workdays=frozenset({date(2025, 10, 11)}),
        names={date(2025, 10, d): "国庆节" for d in range(1, 9)},
    )
    state = hours.open_state(OFFICE, at("2025-10-01 10:00"), calendar)
    assert state.label == "今天是国庆节，休息"
    assert state.next_opening == at("2025-10-09 09:00")
    make_up = hours.open_state(OFFICE, at("2025-10-11 10:00"), calendar)
    assert make_up.is_open, "a make-up working day (调休) opens with Monday's hours"


def test_moments_in_another_zone_are_read_in_the_site_zone():
    utc = datetime(2025, 3, 7, 9, 29, tzinfo=ZoneInfo("UTC"))  # 17:29 in Chongqing
    assert hours.open_state(OFFICE, utc).is_open
    later = datetime(2025, 3, 7, 9, 31, tzinfo=ZoneInfo("UTC"))
    assert hours.open_state(OFFICE, later).label == "已下班"


def test_default_moment_is_the_kiosk_clock():
    with clock.freeze("2025-03-05 12:30"):
        assert hours.open_state(OFFICE).state == hours.BREAK


def test_no_hours_in_the_pack_means_ask_by_phone_not_closed_forever():
    state = hours.open_state(model.Hours(), at("2025-03-05 10:00"))
    assert state.state == hours.UNKNOWN
    assert state.text == "开放时间请电话咨询"
    assert openinghours.week_lines(model.Hours()) == []


def test_no_opening_within_the_horizon():
    only = model.Hours(weekly=(((time(9), time(10)),),) + ((),) * 6)
    calendar = model.Calendar(holidays=frozenset(date(2025, 3, d) for d in range(1, 32)))
    state = hours.open_state(only, at("2025-03-05 10:00"), calendar)
    assert state.next_opening == at("2025-04-07 09:00")


def test_weekly_lines_group_days_with_the_same_hours():
    assert openinghours.week_lines(OFFICE) == [
        "周一至周五 09:00-12:00、14:00-17:30",
        "周六、周日 休息",
    ]
    mixed = parse_hours({"周一": "09:00-12:00", "周二至周四": "09:00-17:00", "周五": "09:00-12:00"})
    assert openinghours.week_lines(mixed) == [
        "周一 09:00-12:00",
        "周二至周四 09:00-17:00",
        "周五 09:00-12:00",
        "周六、周日 休息",
    ]


def test_clock_time_of_the_end_of_a_day():
    assert openinghours.clock_time(time(23, 59, 59)) == "24:00"
    assert openinghours.clock_time(time(23, 59)) == "23:59"
