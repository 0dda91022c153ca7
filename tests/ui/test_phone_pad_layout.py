"""The rating's call-back number pad (不满意 → 留下电话，请工作人员回电) in the real window:
every key, 提交评价 and 不留电话，直接提交 above the footer and below the header, and none of
them in a part of a scrolling area the resident would first have to scroll to — in normal
mode and 长者模式, portrait and landscape."""

from __future__ import annotations

import pytest

from tests.ui.conftest import SIZES

KEYS = [f"phone-{d}" for d in "0123456789"] + ["phone-delete"]


def _rect(widget) -> tuple[int, int, int, int]:
    x, y = widget.to_window(widget.x, widget.y)
    return round(x), round(y), round(widget.width), round(widget.height)


def _scrolls(widget):
    """The scrolling areas around the widget, innermost first."""
    from kivy.uix.scrollview import ScrollView

    found, node = [], widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, ScrollView):
            found.append(node)
        node = node.parent
    return found


@pytest.mark.parametrize("size", SIZES)
def test_call_back_pad_and_both_buttons_visible_without_scrolling(ui, shots, size):
    from kiosk.ui.screens.feedback import TOUR_STOPS

    visit = dict(TOUR_STOPS)["rate-phone"]  # 不满意 → 留下电话: the pad with a number typed
    driver = ui(size=size, speech={"player": "none"})
    app = driver.app
    root = app.root
    for elder in (False, True):
        # the visit starts with a session reset, which puts 长者模式 back to the site default
        app.access.settings = app.settings.replace("access", elder_default=elder)
        visit(driver)
        assert app.theme.elder == elder
        driver.settle()
        mode = "elder" if elder else "normal"
        driver.screenshot(shots / f"phone-pad-{size[0]}x{size[1]}-{mode}.png")
        shown = {
            w.action: w
            for w in driver.find_all()
            if str(getattr(w, "action", "")).startswith("phone-") and driver.is_visible(w)
        }
        wanted = [*KEYS, "phone-submit", "phone-skip"]
        if elder or size[0] > size[1]:
            wanted.append("phone-clear")
        assert sorted(shown) == sorted(wanted), mode
        footer_top = root.ids.nav.top
        header_bottom = root.ids.header.y
        minimum = 160 if elder else 120
        for action in wanted:
            widget = shown[action]
            x, y, w, h = _rect(widget)
            where = (mode, action, (x, y, w, h))
            assert y >= footer_top - 1, ("under the footer", where, footer_top)
            assert y + h <= header_bottom + 1, ("under the header", where, header_bottom)
            assert x >= 0 and x + w <= root.width + 1, where
            assert min(w, h) >= minimum - 1, ("too small to tap", where)
            for scroll in _scrolls(widget):
                _x, sy, _w, sh = _rect(scroll)
                assert sy - 1 <= y and y + h <= sy + sh + 1, ("scrolled away", where, (sy, sh))
        assert not driver.overflows()
