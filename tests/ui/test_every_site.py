"""No text overflows on any screen: every site of the default pack, every stop of the tour,
in both orientations — the kiosk of a village room shows long official names too.

One UI process per site and orientation (a process walking all six sites took longer than
the UI child limit); each starts as that site's kiosk, as a kiosk standing there would.
"""

from __future__ import annotations

import pytest

from tests.ui.conftest import SIZES, default_sites

SITES = default_sites()


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("size", SIZES)
def test_every_site_every_screen_fits(ui, size, site, shots):
    from kiosk.ui.tour import all_stops

    assert len(SITES) > 3, "the default pack has the centre, stations and rooms"
    driver = ui(size=size, kiosk={"site": site})
    app = driver.app
    assert app.site is not None and app.site.id == site
    has_queue = bool(app.content.pack.services_at(site))
    assert ("tickets" in app.entries) == has_queue, f"取号 only where {site} has a queue"
    problems = []
    for name, visit in all_stops():
        visit(driver)
        problems += [f"{site} / {name}: {p}" for p in driver.overflows()]  # settles first
        app.close_overlay()
    app.reset_session()
    driver.settle()
    driver.screenshot(shots / f"site-{site}-{size[0]}x{size[1]}.png")
    assert problems == []
