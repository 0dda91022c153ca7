"""`kiosk tour`: visit every screen and save a PNG of each, checking that nothing overflows.

Feature screen modules add their own stops as a module-level TOUR_STOPS list of
(name, visit) pairs, where visit(driver) navigates to the state worth a picture.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.config import Settings
from kiosk.packs.loader import LoadedContent

Visit = Callable[[Any], None]


def _home(driver: Any) -> None:
    driver.app.reset_session()


def _idle(driver: Any) -> None:
    """A resident left in the middle of a page: the time runs out and the kiosk itself asks
    (the app's own idle check, not an overlay put up by hand)."""
    app = driver.app
    _page(driver)
    app.idle.kick()
    from kiosk.clock import FrozenClock

    # The tour freezes the clock; tests that walk the stops run on the real one, moved on.
    moved = getattr(driver, "clock", None) or FrozenClock()
    moved.advance(seconds=app.idle.timeout + 1)  # 长者模式 waits longer
    app._tick(0)  # the twice-a-second check, now rather than at the next half second


def _pin(driver: Any) -> None:
    from kiosk.ui.overlays import PinOverlay

    driver.app.reset_session()
    driver.app.show_overlay(PinOverlay())


def _admin(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("admin")


def _disclosure(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("disclosure")


def _page(driver: Any) -> None:
    app = driver.app
    pages = app.content.pack.pages_for(app.settings.kiosk.site)
    app.reset_session()
    app.go("disclosure")
    if pages:
        app.go("page", page_id=pages[0].id)


STOPS: list[tuple[str, Visit]] = [
    ("home", _home),
    ("disclosure", _disclosure),
    ("disclosure-page", _page),
    ("idle-question", _idle),
    ("admin-pin", _pin),
    ("admin", _admin),
]


def all_stops() -> list[tuple[str, Visit]]:
    """The shell's stops, then each screen module's TOUR_STOPS."""
    from kiosk.ui.screens import screen_modules

    stops = list(STOPS)
    for module in screen_modules():
        stops += getattr(module, "TOUR_STOPS", [])
    return stops


def run_tour(
    settings: Settings, loaded: LoadedContent, out: Path, frozen: Any
) -> tuple[list[Path], list[str]]:
    """`frozen` is the clock.freeze() handle the pictures are taken under (stops may move
    it forward, e.g. to let the idle question come)."""
    from kiosk.ui.driver import Driver

    width, height = settings.display.size
    driver = Driver.start(settings, loaded, stats=False)  # pictures only: nothing counted
    driver.clock = frozen
    written, problems = [], []
    try:
        for index, (name, visit) in enumerate(all_stops(), start=1):
            visit(driver)
            driver.settle()
            path = driver.screenshot(out / f"{width}x{height}-{index:02d}-{name}.png")
            written.append(path)
            problems += [f"{name}: {p}" for p in driver.overflows()]
            driver.app.close_overlay()
            driver.app.idle.kick()
    finally:
        driver.stop()
    from kiosk import clock
    from kiosk.ui.tour_layouts import run_layouts  # LED strips: windows of their own

    at = clock.now().replace(tzinfo=None).isoformat(timespec="seconds")
    written += run_layouts(settings, out, at)
    return written, problems


# Screens nobody can see in 长者模式: the sign (no touch, no header tools) and the attract loop
# (it runs only after the idle reset, which ends 长者模式).
NO_ELDER_MODE = ("signage", "attract")


def run_audit(
    settings: Settings, loaded: LoadedContent, out: Path | None, frozen: Any
) -> list[dict[str, Any]]:
    """`kiosk tour --audit`: every stop in normal mode and in 长者模式, measured (and saved as
    PNG when `out` is given)."""
    from kiosk.ui.driver import Driver

    width, height = settings.display.size
    driver = Driver.start(settings, loaded, stats=False)  # measuring only: nothing counted
    driver.clock = frozen
    from kiosk.ui.audit import audit_now  # imports Kivy's window: only after it is sized
    from kiosk.ui.sync import show_stale_strip

    rows: list[dict[str, Any]] = []
    try:
        for mode in ("normal", "elder"):
            # The visit's reset puts 长者模式 back to the site default: make that the mode.
            driver.app.access.settings = settings.replace("access", elder_default=(mode == "elder"))
            for index, (name, visit) in enumerate(all_stops(), start=1):
                if mode == "elder" and name.startswith(NO_ELDER_MODE):
                    continue
                visit(driver)
                driver.app.access.elder = mode == "elder"
                rows.append(audit_now(driver, name, mode))  # settles the layout first
                if out is not None:
                    suffix = "-elder" if mode == "elder" else ""
                    driver.screenshot(out / f"{width}x{height}-{index:02d}-{name}{suffix}.png")
                driver.app.close_overlay()
                driver.app.idle.kick()
                show_stale_strip(driver.app, False)  # the stale stops leave it up
    finally:
        driver.stop()
    return rows
