"""No text overflows on any screen: every site of the default pack, every stop of the tour,
in both orientations — the kiosk of a village room shows long official names too."""

from __future__ import annotations

import dataclasses

import pytest

from tests.ui.conftest import SIZES


@pytest.mark.skip(
    reason="known failure: with the new screens, walking every site takes longer than the 180 s UI child limit; needs trimming (issue 16 stays open)"
)
@pytest.mark.parametrize("size", SIZES)
def test_every_site_every_screen_fits(ui, size, shots):
    from kiosk.ui.tour import all_stops

    driver = ui(size=size)
    app = driver.app
    sites = app.content.pack.sites
    assert len(sites) > 3
    problems = []
    for site in sites:
        app.settings = app.settings.replace("kiosk", site=site.id)
        app.set_content(dataclasses.replace(app.content))
        has_queue = bool(app.content.pack.services_at(site.id))
        assert ("tickets" in app.entries) == has_queue, f"取号 only where {site.id} has a queue"
        for name, visit in all_stops():
            visit(driver)
            driver.settle()
            problems += [f"{site.id} / {name}: {p}" for p in driver.overflows()]
            driver.app.close_overlay()
        app.reset_session()
        driver.settle()
        driver.screenshot(shots / f"site-{site.id}-{size[0]}x{size[1]}.png")
    assert problems == []
