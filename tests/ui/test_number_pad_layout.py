"""The eligibility number pad in the real window: every key above the footer and below the
header, not in a scrolling area, and at the same place on every number question — in normal
mode and 长者模式, portrait and landscape."""

from __future__ import annotations

import pytest

from tests.ui.conftest import SIZES


def _rect(widget):
    x, y = widget.to_window(widget.x, widget.y)
    return round(x), round(y), round(widget.width), round(widget.height)


def _in_scroll(widget) -> bool:
    from kivy.uix.scrollview import ScrollView

    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, ScrollView):
            return True
        node = node.parent
    return False


@pytest.mark.parametrize("size", SIZES)
def test_pad_keys_never_under_the_footer_and_in_the_same_place_on_every_question(ui, shots, size):
    from kiosk.ui.screens.eligibility import walk_for

    driver = ui(size=size, speech={"player": "none"})
    app = driver.app
    root = app.root
    for elder in (False, True):
        app.reset_session()
        if elder:
            driver.press(action="elder")
        questions = [q for q in walk_for(app).ruleset.questions if q.type == "number"]
        assert len(questions) >= 2, "the default pack asks several numbers"
        places: dict[str, tuple[int, int, int, int]] | None = None
        for question in questions:
            app.go("eligibility-question", qid=question.id)
            driver.settle()
            mode = "elder" if elder else "normal"
            driver.screenshot(shots / f"pad-{size[0]}x{size[1]}-{mode}-{question.id}.png")
            keys = [
                w
                for w in driver.find_all()
                if str(getattr(w, "action", "")).startswith(("pad-", "number-ok", "answer:unsure"))
                and driver.is_visible(w)
            ]
            assert len(keys) >= 12, [getattr(k, "action", "") for k in keys]
            footer_top = root.ids.nav.top
            header_bottom = root.ids.header.y
            for key in keys:
                x, y, w, h = _rect(key)
                where = (question.id, mode, key.action, (x, y, w, h))
                assert y >= footer_top - 1, ("under the footer", where, footer_top)
                assert y + h <= header_bottom + 1, ("under the header", where, header_bottom)
                assert x >= 0 and x + w <= root.width + 1, where
                assert not _in_scroll(key), ("scrolls away", where)
            # the slot left of 0 is 清空, or the decimal point for money: the same place
            slot = {"pad-dot": "pad-extra", "pad-clear": "pad-extra"}
            found = {slot.get(k.action, k.action): _rect(k) for k in keys}
            found.pop("answer:unsure", None)  # beside 确定 when the question offers it
            if places is None:
                places = found
            assert found == places, (question.id, mode)
            assert not driver.overflows()
