"""好差评 and 投诉建议 kept in a real SQLite store: items, due dates, phone deletion, counts."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk import clock, config, stats
from kiosk.feedback import items, texts
from kiosk.feedback.workdays import add_workdays
from kiosk.packs.model import Calendar
from kiosk.stats import events
from tests.conftest import write_config

MONDAY = "2026-09-28 10:00"  # National Day week follows


@pytest.fixture
def settings(tmp_path):
    yield config.load(write_config(tmp_path, {"feedback": {"followup_days": "5"}}))
    events.close_all()


def kinds(settings):
    return [
        (r["kind"], r["subject"], r["counter"], r["value"])
        for r in stats.events_after(settings, 0, 99)
    ]


def test_a_good_rating_is_only_an_anonymous_count(settings):
    with clock.freeze(MONDAY):
        assert items.rate(settings, 4, service="center-notary") is None
    assert kinds(settings) == [("rating", "center-notary", None, 4.0)]
    assert items.items(items.open_feedback(settings)) == []


def test_a_bad_rating_becomes_a_follow_up_item_due_in_working_days(settings):
    holidays = Calendar(
        holidays=frozenset(date(2026, 10, d) for d in range(1, 8)),
        extra_workdays=frozenset({date(2026, 10, 10)}),
    )
    with clock.freeze(MONDAY):
        item = items.rate(
            settings, 2, channel="window", service="center-legal-aid", counter="3",
            ticket="C007", reasons=("办事效率", "其他"), phone="138 0013 8000", calendar=holidays,
        )  # fmt: skip
    assert item is not None and item.status == texts.OPEN and item.phone == "13800138000"
    # Tue 29, Wed 30, then the holiday week, then Thu 8, Fri 9, Sat 10 (调休 working day).
    assert item.due == "2026-10-10"
    assert (item.reasons, item.counter, item.ticket) == ("办事效率,其他", "3", "C007")
    assert kinds(settings) == [("rating_window", "center-legal-aid", "3", 2.0)]
    stored = items.items(items.open_feedback(settings), status="open")
    assert [i.id for i in stored] == [item.id]


def test_leaving_open_deletes_the_phone_and_counts_the_follow_up(settings):
    with clock.freeze(MONDAY) as frozen:
        item = items.rate(settings, 1, phone="13800138000")
        frozen.advance(days=2)
        done = items.update(settings, item.id, texts.CALLED_BACK, note="已致电说明")
    assert done.phone is None and done.status == "已回访" and done.note == "已致电说明"
    assert done.closed_at.startswith("2026-09-30")
    assert ("followup", "rating", None, 2.0) in kinds(settings)
    raw = items.open_feedback(settings).conn.execute("SELECT phone FROM feedback_items").fetchall()
    assert raw == [(None,)]
    with pytest.raises(items.FeedbackError):
        items.update(settings, item.id, "done")
    with pytest.raises(items.FeedbackError):
        items.update(settings, 999, texts.RECTIFIED)


def test_phones_older_than_the_retention_period_are_deleted_even_if_open(settings):
    with clock.freeze("2026-01-05 09:00") as frozen:
        old = items.rate(settings, 1, phone="13800000001")
        frozen.advance(days=settings.feedback.retention_days)
        new = items.rate(settings, 2, phone="13800000002")
        assert items.purge(settings) == 0  # exactly at the limit: kept
        frozen.advance(days=1)
        assert items.purge(settings) == 1
    db = items.open_feedback(settings)
    assert items.get(db, old.id).phone is None and items.get(db, old.id).status == texts.OPEN
    assert items.get(db, new.id).phone == "13800000002"


def test_a_complaint_is_an_item_with_category_and_message(settings):
    with clock.freeze(MONDAY):
        item = items.complain(settings, "意见建议", "希望延长办公时间")
    assert (item.kind, item.category, item.message, item.phone) == (
        "complaint", "意见建议", "希望延长办公时间", None,
    )  # fmt: skip
    assert kinds(settings) == [("complaint", "意见建议", None, None)]
    with pytest.raises(items.FeedbackError):
        items.complain(settings, "乱写")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: items.rate(s, 0), "level"),
        (lambda s: items.rate(s, 6), "level"),
        (lambda s: items.rate(s, 1, reasons=("态度",)), "reasons"),
        (lambda s: items.rate(s, 1, phone="12345"), "phone"),
        (lambda s: items.rate(s, 3, channel="web"), "channel"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(settings, call, message):
    with pytest.raises(items.FeedbackError, match=message):
        call(settings)
    assert stats.events_after(settings, 0, 9) == []


def test_working_days_skip_weekends_without_a_calendar():
    assert add_workdays(date(2026, 12, 4), 1) == date(2026, 12, 7)  # Friday -> Monday
    assert add_workdays(date(2026, 12, 5), 5) == date(2026, 12, 11)  # Saturday -> next Friday
