"""The long eligibility result keeps its main actions (打印清单, 打印清单并取号, 扫码带走)
pinned above the footer: visible without scrolling, in both modes and orientations."""

from __future__ import annotations

import pytest

from tests.ui.conftest import SIZES
from tests.ui.test_number_pad_layout import _in_scroll, _rect

ACTIONS = ("print-checklist", "print-and-ticket", "show-qr")


def _inside(widget, view) -> bool:
    _x, y, _w, h = _rect(widget)
    _vx, view_y, _vw, view_h = _rect(view)
    return y >= view_y - 1 and y + h <= view_y + view_h + 1


@pytest.mark.parametrize("size", SIZES)
def test_main_actions_are_pinned_and_bring_the_qr_and_the_status_into_view(
    ui, tmp_path, shots, size
):
    from kiosk.ui.tour import all_stops

    driver = ui(size=size, speech={"player": "none"}, printer={"url": f"image://{tmp_path}/p/"})
    app = driver.app
    visit = dict(all_stops())["eligibility-result-likely"]
    for elder in (False, True):
        app.access.settings = app.settings.replace("access", elder_default=elder)
        visit(driver)
        driver.settle()
        screen = app.screens.current_screen
        assert screen.name == "eligibility-result"
        scroll = screen.ids.scroll
        content = scroll.children[0]
        assert content.height > scroll.height * 2, "a long page: the test means something"
        mode = "elder" if elder else "normal"
        driver.screenshot(shots / f"result-actions-{size[0]}x{size[1]}-{mode}.png")
        for action in ACTIONS:
            button = driver.find(action=action)
            x, y, w, h = _rect(button)
            assert not _in_scroll(button), action
            assert y >= app.root.ids.nav.top - 1 and y + h <= app.root.ids.header.y + 1, action
            assert x >= 0 and x + w <= app.root.width + 1, action
        assert not driver.overflows()
        # 扫码带走: the QR card comes into view at once
        qr = driver.find(cls="QRCode")
        assert not _inside(qr, scroll)
        driver.press(action="show-qr")
        driver.settle()
        assert _inside(qr, scroll), "the QR is in view after 扫码带走"
        # 打印清单 from the top of the page: the status shows, in view, on the QR card
        scroll.scroll_y = 1
        driver.settle()
        driver.press(action="print-checklist")
        assert driver.wait(lambda s=screen: s.status and "正在" not in s.status, timeout=15)
        driver.settle()
        assert _inside(screen.status_label, scroll), screen.status
        driver.screenshot(shots / f"result-actions-{size[0]}x{size[1]}-{mode}-printed.png")
