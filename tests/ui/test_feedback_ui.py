"""好差评 on the real screen: the end-of-visit rating, the window 评价器 against the real hall
server, the 投诉建议 tile, and every new screen looked at in both orientations."""

from __future__ import annotations

import pytest

from tests.ui.conftest import PORTRAIT, SIZES


def rows(driver, sql):
    from kiosk.feedback import items

    return items.open_feedback(driver.app.settings).conn.execute(sql).fetchall()


def events(driver, kind):
    from kiosk import stats

    stats.flush(5)
    return [r for r in stats.events_after(driver.app.settings, 0, 1000) if r["kind"] == kind]


@pytest.mark.parametrize("size", SIZES)
def test_every_new_screen_fits_in_both_orientations(ui, size, shots):
    from kiosk.ui.screens import feedback

    driver = ui(size=size)
    problems = {}
    for name, visit in feedback.TOUR_STOPS:
        visit(driver)
        driver.settle()
        driver.screenshot(shots / f"feedback-{name}-{size[0]}x{size[1]}.png")
        problems[name] = driver.overflows()
    driver.app.go("feedback-admin")
    driver.settle()
    driver.screenshot(shots / f"feedback-admin-{size[0]}x{size[1]}.png")
    problems["admin"] = driver.overflows()
    assert all(not found for found in problems.values()), problems
