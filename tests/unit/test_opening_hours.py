"""One opening-hours formatter: the directory's pages and the ticket screens say the same.

Before, `tickets.rules.hours_text` grouped days its own way ("周二、周四", 23:59 for the end of a
day) while the directory wrote runs of days ("周二", "周四", 24:00): a resident could read two
descriptions of one window's hours on two screens.
"""

from __future__ import annotations

from datetime import time

from hypothesis import given
from hypothesis import strategies as st

from kiosk.directory import hours as directory_hours
from kiosk.packs import model, openinghours
from kiosk.packs.source import load_source
from kiosk.tickets import rules
from tests.conftest import CONTENT

MORNING = ((time(9), time(12)),)
FULL_DAY = ((time(9), time(12)), (time(14), time(17, 30)))
WHOLE = ((time(0), time(23, 59, 59)),)
days = st.sampled_from([(), MORNING, FULL_DAY, WHOLE])


def _agree(hours: model.Hours) -> None:
    page = [line for line in openinghours.week_lines(hours) if not line.endswith("休息")]
    assert rules.hours_text(hours) == "；".join(page)


@given(st.tuples(days, days, days, days, days, days, days))
def test_the_ticket_line_is_the_directory_page_without_its_closed_days(weekly):
    _agree(model.Hours(weekly=weekly))


def test_every_site_and_service_of_the_default_pack_reads_the_same_on_both_screens():
    pack = load_source(CONTENT)
    checked = 0
    for site in pack.sites:
        for service in pack.services_at(site.id):
            effective = rules.effective_hours(service, site)
            if effective is not None:
                _agree(effective)
                checked += 1
        if site.hours is not None:
            _agree(site.hours)
    assert checked, "the default pack has services with hours"


def test_words_of_a_typical_week():
    office = model.Hours(weekly=(FULL_DAY,) * 5 + (MORNING, ()))
    assert openinghours.week_lines(office) == [
        "周一至周五 09:00-12:00、14:00-17:30",
        "周六 09:00-12:00",
        "周日 休息",
    ]
    assert rules.hours_text(office) == "周一至周五 09:00-12:00、14:00-17:30；周六 09:00-12:00"
    # The end of a day is 24:00 on both screens (the ticket said 23:59 before).
    always = model.Hours(weekly=(WHOLE,) * 7)
    assert rules.hours_text(always) == "每天 00:00-24:00"
    assert directory_hours.clock_time(time(23, 59, 59)) == "24:00"
    assert rules.hours_text(None) == "" and rules.hours_text(model.Hours()) == ""
