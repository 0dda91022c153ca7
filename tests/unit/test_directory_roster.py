"""Duty rosters: daily, weekly Wednesday, monthly, explicit dates, holidays, month ends."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from kiosk.directory.roster import next_duty, on_duty, roster
from kiosk.packs import model

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
# 2025: National Day holiday 1-8 October, make-up working days Sunday 28 Sept and Saturday 11 Oct.
NATIONAL_DAY = frozenset(date(2025, 10, d) for d in range(1, 9))
CALENDAR = model.Calendar(
    holidays=NATIONAL_DAY | {date(2025, 1, 1)},
    extra_workdays=frozenset({date(2025, 9, 28), date(2025, 10, 11)}),
    names={**{d: "国庆节" for d in NATIONAL_DAY}, date(2025, 1, 1): "元旦"},
)


def rule(**values) -> model.DutyRule:
    values.setdefault("id", "r")
    values.setdefault("site", "s")
    values.setdefault("who", "值班律师")
    return model.DutyRule(**values)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


def duty_days(r: model.DutyRule, first: date, last: date, calendar=CALENDAR) -> list[date]:
    return [d for d in days(first, last) if on_duty(r, d, calendar)]


def test_daily_is_every_day_except_holidays():
    daily = rule(pattern="daily")
    assert duty_days(daily, date(2025, 9, 29), date(2025, 10, 10)) == [
        date(2025, 9, 29),
        date(2025, 9, 30),
        date(2025, 10, 9),
        date(2025, 10, 10),
    ]


def test_daily_on_working_days_includes_make_up_days():
    workdays = rule(pattern="daily", weekdays=(MON, TUE, WED, THU, FRI))
    found = duty_days(workdays, date(2025, 9, 27), date(2025, 10, 12))
    assert date(2025, 9, 27) not in found  # an ordinary Saturday
    assert date(2025, 9, 28) in found  # Sunday, but a make-up working day (调休)
    assert date(2025, 10, 11) in found  # Saturday make-up day
    assert not any(d in NATIONAL_DAY for d in found)
    assert date(2025, 10, 12) not in found


def test_holidays_count_when_the_rule_says_so():
    always = rule(pattern="daily", skip_holidays=False)
    assert on_duty(always, date(2025, 10, 1), CALENDAR)


def test_weekly_wednesday_and_the_week_of_national_day():
    wednesday = rule(pattern="weekly", weekdays=(WED,), brand="镇街律师周三见")
    found = duty_days(wednesday, date(2025, 9, 1), date(2025, 10, 31))
    assert all(d.weekday() == WED for d in found)
    assert date(2025, 10, 1) not in found  # National Day falls on a Wednesday
    assert found == [
        date(2025, 9, 3),
        date(2025, 9, 10),
        date(2025, 9, 17),
        date(2025, 9, 24),
        date(2025, 10, 15),  # 8 October is still a holiday
        date(2025, 10, 22),
        date(2025, 10, 29),
    ]
    assert next_duty(wednesday, date(2025, 9, 24), CALENDAR) == date(2025, 10, 15)
    assert next_duty(wednesday, date(2025, 10, 15), CALENDAR) == date(2025, 10, 22), (
        "strictly after"
    )


def test_weekly_monday_duty_on_a_make_up_saturday():
    monday = rule(pattern="weekly", weekdays=(MON,))
    assert on_duty(monday, date(2025, 10, 11), CALENDAR)


def test_monthly_day_of_month_and_month_ends():
    fifteenth = rule(pattern="monthly", month_days=(15,))
    assert duty_days(fifteenth, date(2025, 1, 1), date(2025, 3, 31)) == [
        date(2025, 1, 15),
        date(2025, 2, 15),
        date(2025, 3, 15),
    ]
    month_end = rule(pattern="monthly", month_days=(31,))
    found = duty_days(month_end, date(2024, 1, 1), date(2025, 4, 30), calendar=None)
    assert date(2024, 2, 29) in found  # leap year
    assert date(2025, 2, 28) in found
    assert date(2025, 4, 30) in found  # 31 means the last day in a 30-day month
    assert len(found) == 16
    assert next_duty(month_end, date(2025, 1, 31)) == date(2025, 2, 28)
    thirtieth = rule(pattern="monthly", month_days=(30,))
    assert duty_days(thirtieth, date(2025, 2, 1), date(2025, 3, 31), None) == [
        date(2025, 2, 28),
        date(2025, 3, 30),
    ]


def test_last_day_of_month_written_as_minus_one():
    last = rule(pattern="monthly", month_days=(-1,))
    found = duty_days(last, date(2025, 1, 1), date(2025, 12, 31), None)
    assert [d.month for d in found] == list(range(1, 13))
    assert all((d + timedelta(1)).day == 1 for d in found)


def test_monthly_nth_weekday_first_last_and_missing_fifth():
    first_monday = rule(pattern="monthly", nth_weekday=(1, MON))
    assert duty_days(first_monday, date(2025, 3, 1), date(2025, 4, 30), None) == [
        date(2025, 3, 3),
        date(2025, 4, 7),
    ]
    last_friday = rule(pattern="monthly", nth_weekday=(-1, FRI))
    assert duty_days(last_friday, date(2025, 2, 1), date(2025, 3, 31), None) == [
        date(2025, 2, 28),
        date(2025, 3, 28),
    ]
    fifth_wednesday = rule(pattern="monthly", nth_weekday=(5, WED))
    assert duty_days(fifth_wednesday, date(2025, 1, 1), date(2025, 3, 31), None) == [
        date(2025, 1, 29)
    ]


def test_monthly_duty_on_a_holiday_is_skipped():
    first = rule(pattern="monthly", month_days=(1,))
    assert not on_duty(first, date(2025, 10, 1), CALENDAR)
    assert next_duty(first, date(2025, 9, 1), CALENDAR) == date(2025, 11, 1)


def test_explicit_dates_even_on_a_holiday_and_exceptions_win():
    listed = rule(pattern="dates", dates=(date(2025, 10, 3), date(2025, 10, 20)))
    assert duty_days(listed, date(2025, 10, 1), date(2025, 10, 31)) == [
        date(2025, 10, 3),
        date(2025, 10, 20),
    ]
    cancelled = rule(
        pattern="weekly",
        weekdays=(WED,),
        dates=(date(2025, 9, 6),),
        except_dates=(date(2025, 9, 10), date(2025, 9, 6)),
    )
    assert duty_days(cancelled, date(2025, 9, 1), date(2025, 9, 17)) == [
        date(2025, 9, 3),
        date(2025, 9, 17),
    ]
    extra = rule(pattern="weekly", weekdays=(WED,), dates=(date(2025, 9, 6),))
    assert date(2025, 9, 6) in duty_days(extra, date(2025, 9, 1), date(2025, 9, 10))


def test_start_and_end_bound_a_rule():
    bounded = rule(pattern="daily", start=date(2025, 3, 10), end=date(2025, 3, 12))
    assert duty_days(bounded, date(2025, 3, 1), date(2025, 3, 31), None) == [
        date(2025, 3, 10),
        date(2025, 3, 11),
        date(2025, 3, 12),
    ]
    assert next_duty(bounded, date(2025, 3, 1)) == date(2025, 3, 10)
    assert next_duty(bounded, date(2025, 3, 12)) is None


def test_a_rule_with_no_dates_left_has_no_next_duty():
    listed = rule(pattern="dates", dates=(date(2025, 1, 5),))
    assert next_duty(listed, date(2025, 1, 5)) is None
    assert next_duty(listed, date(2025, 1, 4)) == date(2025, 1, 5)
    assert next_duty(rule(pattern="weekly"), date(2025, 1, 1)) is None  # no weekday given


@pytest.fixture
def pack() -> model.Pack:
    hours = model.Hours(weekly=((((time(9), time(12)), (time(14), time(17, 30))),) * 5) + ((), ()))
    return model.Pack(
        id="t",
        name="t",
        sites=(
            model.Site(id="center", name="中心", level="center", hours=hours),
            model.Site(id="station", name="工作站", level="station", hours=hours),
        ),
        rosters=(
            rule(
                id="daily", site="center", who="张律师", pattern="daily", weekdays=(0, 1, 2, 3, 4)
            ),
            rule(
                id="wed",
                site="station",
                who="李律师",
                pattern="weekly",
                weekdays=(WED,),
                hours=((time(9), time(12)),),
            ),
            rule(id="month", site="station", who="王律师", pattern="monthly", month_days=(31,)),
        ),
        calendar=CALENDAR,
    )


def test_roster_of_a_site_for_a_day(pack):
    wednesday = roster(pack, "station", date(2025, 9, 17))
    assert [d.rule.who for d in wednesday.on_duty] == ["李律师"]
    assert wednesday.on_duty[0].hours == ((time(9), time(12)),)  # the rule's own hours
    assert wednesday.next_date() == date(2025, 9, 24)
    month_end = roster(pack, "station", date(2025, 9, 30))
    assert [d.rule.who for d in month_end.on_duty] == ["王律师"]
    assert month_end.next_date() == date(2025, 10, 15)  # 1 Oct and 8 Oct are holidays
    center = roster(pack, "center", date(2025, 9, 17))
    assert center.on_duty[0].hours == ((time(9), time(12)), (time(14), time(17, 30)))
    assert roster(pack, "center", date(2025, 10, 2)).on_duty == ()
    assert roster(pack, "nowhere", date(2025, 10, 2)).duties == ()
    as_json = wednesday.on_duty[0].as_dict()
    assert as_json["hours"] == ["09:00-12:00"] and as_json["next"] == date(2025, 9, 24)


def test_a_monthly_rule_without_a_day_is_undated_not_never():
    from kiosk.directory.roster import undated

    someday = rule(pattern="monthly", brand="村居律师月月见")
    assert undated(someday) and next_duty(someday, date(2025, 1, 1)) is None
    assert not undated(rule(pattern="monthly", month_days=(5,)))
    assert not undated(rule(pattern="weekly", weekdays=(WED,)))


def test_no_duty_on_a_day_the_site_is_closed_nor_offered_as_the_next_date(pack):
    # 31 May 2025 is a Saturday: the station is closed, so its month-end duty (which keeps the
    # site's hours) is not held, and the next date offered on Friday 30 May is Monday 30 June.
    saturday = roster(pack, "station", date(2025, 5, 31))
    assert [d.rule.who for d in saturday.on_duty] == []
    friday = roster(pack, "station", date(2025, 5, 30))
    month = next(d for d in friday.duties if d.rule.id == "month")
    assert month.next_date == date(2025, 6, 30)
    every_day = model.Pack(
        id="t",
        name="t",
        sites=pack.sites,
        rosters=(rule(id="all", site="center", who="赵律师", pattern="daily"),),
        calendar=CALENDAR,
    )
    assert roster(every_day, "center", date(2025, 9, 20)).on_duty == ()  # a Saturday
    assert roster(every_day, "center", date(2025, 9, 19)).next_date() == date(2025, 9, 22)
    # A duty with its own hours (a Saturday surgery) and an explicit date still hold.
    surgery = rule(
        id="sat", site="center", pattern="weekly", weekdays=(SAT,), hours=((time(9), time(11)),)
    )
    listed = rule(id="listed", site="center", pattern="dates", dates=(date(2025, 9, 21),))
    special = model.Pack(
        id="t", name="t", sites=pack.sites, rosters=(surgery, listed), calendar=CALENDAR
    )
    assert [d.rule.id for d in roster(special, "center", date(2025, 9, 20)).on_duty] == ["sat"]
    assert [d.rule.id for d in roster(special, "center", date(2025, 9, 21)).on_duty] == ["listed"]
