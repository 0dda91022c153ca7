"""Signage mode on the hall's large screen: starts on the slides, turns them by itself, every
slide fits, and nobody is asked "还在使用吗？"."""

from __future__ import annotations

import pytest

from tests.ui.conftest import SIZES


@pytest.mark.parametrize("size", SIZES)
def test_signage_turns_slides_that_all_fit(ui, size, shots):
    driver = ui(
        size=size,
        kiosk={"mode": "signage"},
        signage={"slide_seconds": "3"},
        session={"idle_timeout": "1", "idle_countdown": "1"},
    )
    app = driver.app
    assert app.screens.current == "signage"
    assert not driver.find_all(action="back") and not driver.find_all(cls="Tile")
    screen = app.screens.current_screen
    assert driver.wait(lambda: len(screen.pages) > 1, timeout=5)
    pack = app.content.pack
    titles = [title for title, _ in screen.pages]
    for page in pack.pages_for(app.settings.kiosk.site):
        assert page.title in titles, f"公示 page {page.title} is on the sign"
    problems = []
    for index in range(len(screen.pages)):
        screen.index = index
        screen._render()
        driver.settle()
        problems += [f"slide {index + 1}: {p}" for p in driver.overflows()]
        driver.screenshot(shots / f"signage-{size[0]}x{size[1]}-{index + 1:02d}.png")
    assert problems == []
    screen.index = 0
    screen._render()
    assert driver.wait(lambda: screen.index == 1, timeout=5), "slides turn by themselves"
    assert not driver.find_all(cls="IdleOverlay"), "a sign never asks whether someone is there"
    assert app.screens.current == "signage"
