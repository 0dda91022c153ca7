"""Fixes for what an elderly resident trips on, checked on the live path (not the tour)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import SIZES

SPEECH = {"player": "none"}


@pytest.mark.parametrize("size", SIZES)
def test_live_print_failure_number_is_the_largest_thing_on_screen(ui, tmp_path, shots, size):
    """The path a resident meets (not the tour): a dead printer, first visit, both modes."""
    from kiosk import clock
    from tests.tickets.fakeprinter import FakePrinter
    from tests.tickets.packs import make_pack

    with FakePrinter() as closed:
        url = closed.url  # nothing listens here any more
    with clock.freeze("2025-06-03 10:00"):
        driver = ui(
            size=size,
            content=make_pack(tmp_path / "pack"),
            printer={"url": url, "timeout": "1"},
            speech=SPEECH,
        )
        app = driver.app
        for elder in (False, True):
            app.home()
            if elder:
                driver.press(action="elder")
            driver.press(cls="Tile", action="tickets")
            driver.press(action="service:consultation")
            driver.press(action="ticket-take")
            screen = app.screens.get_screen("ticket")
            assert driver.wait(lambda s=screen: s.state == "failed", timeout=15)
            driver.pump(3)  # what the resident sees a moment later, without a test's settle
            mode = "elder" if elder else "normal"
            driver.screenshot(shots / f"access-ticket-failed-{size[0]}x{size[1]}-{mode}.png")
            number = screen.ids.number.__self__
            others = [
                w
                for w in driver.find_all(cls="Label")
                if w is not number and w.text.strip() and w.height > 0
            ]
            biggest = max(others, key=lambda w: w.font_size)
            assert number.font_size >= 1.5 * biggest.font_size, (number.font_size, biggest.text)
            assert number.texture_size[1] >= max(
                w.texture_size[1] / max(1, w.text.count("\n") + 1) for w in others
            )
            assert not driver.overflows()


# Staff-only stops; "evaluator" is the rating tablet before it is set up, a note for the
# installer naming kiosk.ini keys (a configured evaluator shows only Chinese).
STAFF_STOPS = ("admin", "admin-pin", "ticket-admin", "evaluator")


def test_residents_never_see_unverified_marks_or_english_on_any_screen(ui):
    import re

    from kiosk import clock
    from kiosk.launch import TOUR_AT
    from kiosk.ui.tour import all_stops

    frozen = clock.freeze(TOUR_AT)
    driver = ui(speech=SPEECH)
    driver.clock = frozen.__enter__()  # the stops move the tour's clock (the idle question)
    seen = []
    for name, visit in all_stops():
        if name in STAFF_STOPS:
            continue
        visit(driver)
        driver.settle()
        for label in driver.find_all(cls="Label"):
            text = re.sub(r"“[^”]*”", "", label.text)  # what the resident typed, quoted back
            # A web address under its QR code and "APP" are how these channels are written.
            text = re.sub(r"(https?://|www\.)\S+|APP", "", text)
            if "待核实" in text or re.search(r"[A-Za-z]{3,}", text):
                seen.append(f"{name}: {text[:60]!r}")
        driver.app.close_overlay()
        driver.app.idle.kick()
    frozen.__exit__(None, None, None)
    assert not seen, "\n".join(seen)
    # Staff still see what content says, on the admin screen.
    from kiosk.ui.widgets import resident_text

    assert resident_text("电话：待核实") == "电话：以现场为准"
    assert resident_text("没能打印（连接不上打印机（10.0.0.9:9100: Connection refused））") == (
        "没能打印（连接不上打印机）"
    )


def test_long_page_says_more_below_and_a_touch_drag_reaches_the_very_end(ui, shots):
    from kivy.tests.common import UnitTestTouch

    from kiosk.ui.scrolling import ScrollView
    from kiosk.ui.tour import all_stops

    driver = ui(speech=SPEECH)
    dict(all_stops())["directory-detail-here"](driver)
    driver.settle()
    view = next(w for w in driver.find_all(cls="ScrollView") if isinstance(w, ScrollView))
    assert view.more_below and view._cue_bg.size[0] > 0, "下面还有 is shown"
    driver.screenshot(shots / "access-more-below.png")
    x, y = view.to_window(view.center_x, view.y + view.height * 0.2)
    for _ in range(12):  # drag up, the way a finger scrolls a page, again and again
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        driver.pump(1)
        for step in range(1, 11):
            touch.touch_move(x, y + step * view.height * 0.06)
            driver.pump(1)
        touch.touch_up()
        driver.pump(3)
    driver.wait(lambda: view.scroll_y <= 0.0001, timeout=3)
    assert view.scroll_y <= 0.0001, f"stopped short: scroll_y {view.scroll_y}"
    bottom = view.children[0]
    assert abs(bottom.to_window(bottom.x, bottom.y)[1] - view.to_window(view.x, view.y)[1]) < 2
    assert not view.more_below and view._cue_bg.size[0] == 0, "at the end the cue goes"
    _assert_no_cue_pixels(driver, view, shots / "access-more-below-end.png")


def _assert_no_cue_pixels(driver, view, path) -> None:
    """Where the cue would be drawn, no pixel has its colour (what a resident sees, not state)."""
    from PIL import Image

    from kiosk.ui import theme

    driver.screenshot(path)
    image = Image.open(path).convert("RGB")
    x0, y0 = view.to_window(view.x, view.y)
    top = image.height - int(y0) - 1  # window y runs up, image rows run down
    box = (int(x0), max(0, top - int(view.height * 0.15)), int(x0 + view.width), top)
    cue = tuple(round(c * 255) for c in theme.PRIMARY_DARK[:3])
    near = sum(
        1
        for pixel in image.crop(box).getdata()
        if all(abs(a - b) <= 6 for a, b in zip(pixel, cue, strict=False))
    )
    assert near < 50, f"{near} pixels of the 下面还有 cue's colour where nothing is below"
