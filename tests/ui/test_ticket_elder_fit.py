"""The ticket screens (printing, printed with 绿色通道, not printed) when 长者模式 is switched on
while the ticket is shown, as the tour does: nothing spills out of its column, both sizes."""

from __future__ import annotations

import pytest

from tests.ui.conftest import SIZES


@pytest.mark.parametrize("size", SIZES)
def test_ticket_screens_fit_when_elder_mode_comes_on_while_shown(ui, shots, size):
    from kiosk.ui.screens.ticket import TOUR_STOPS

    driver = ui(size=size, speech={"player": "none"})
    app = driver.app
    for name, visit in TOUR_STOPS:
        app.access.settings = app.settings.replace("access", elder_default=False)
        visit(driver)
        app.access.elder = True
        driver.settle()
        assert app.theme.elder
        driver.screenshot(shots / f"ticket-elder-{size[0]}x{size[1]}-{name}.png")
        assert driver.overflows() == [], name
        number = app.screens.get_screen("ticket").ids.number
        assert driver.is_visible(number) and number.text, name
