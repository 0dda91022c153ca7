"""On the real screens: no rendered line ends inside a word or between a number and its unit
(the labels' own wrapped text, at the label's real width and font, in 长者模式 too)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import SIZES
from tests.unit.test_word_breaks import HAN, word_spans

STOPS = (
    "home",
    "disclosure-page",
    "eligibility-question-number",
    "eligibility-result-likely",
    "ticket-not-printed",
    "complaints",
)


def _paragraph_lines(source: str, wrapped: str) -> list[tuple[str, list[str]]]:
    """Each paragraph of `source` with the rendered lines it became."""
    lines, out = wrapped.split("\n"), []
    for paragraph in source.split("\n"):
        want, got = paragraph.replace(" ", ""), []
        while lines and "".join(got).replace(" ", "") != want:
            got.append(lines.pop(0))
        out.append((paragraph, got))
    return out


def _mid_word(paragraph: str, lines: list[str], fits) -> list[str]:
    bad, at = [], 0
    for line in lines[:-1]:
        at = paragraph.index(line.rstrip(), at) + len(line.rstrip())
        for start, end in word_spans(paragraph):
            if start < at < end and fits(paragraph[max(0, start - 1) : end + 2]):
                bad.append(f"{paragraph[start:at]}/{paragraph[at:end]} in {lines}")
    return bad


@pytest.mark.parametrize("size", SIZES)
def test_no_rendered_line_breaks_inside_a_word(ui, shots, size):
    from kiosk.ui.tour import all_stops
    from kiosk.ui.widgets import WrapLabel, measure_function, resident_text

    driver = ui(size=size, speech={"player": "none"})
    app = driver.app
    stops = dict(all_stops())
    problems, checked = [], 0
    for elder in (False, True):
        app.access.settings = app.settings.replace("access", elder_default=elder)
        for name in STOPS:
            stops[name](driver)
            app.access.elder = elder
            driver.settle()
            mode = "elder" if elder else "normal"
            driver.screenshot(shots / f"words-{size[0]}x{size[1]}-{mode}-{name}.png")
            for label in driver.find_all(cls="WrapLabel"):
                if not isinstance(label, WrapLabel) or not driver.is_visible(label):
                    continue
                source = label.source if label.staff else resident_text(label.source)
                if "\n" not in label.text or not HAN.search(source):
                    continue
                measure = measure_function(label.font_name, label.font_size, label.bold)
                inner = label.width * 0.97

                def fits(piece, measure=measure, inner=inner):
                    return measure(piece) <= inner

                for paragraph, lines in _paragraph_lines(source, label.text):
                    checked += len(lines)
                    problems += [f"{name} {mode}: {p}" for p in _mid_word(paragraph, lines, fits)]
    assert checked > 40, "enough wrapped lines were looked at"
    assert not problems, "\n".join(problems[:20])


def test_a_live_kiosk_loads_word_breaks_after_its_first_frame_and_rewraps(ui):
    """The live path: labels first break between characters (no 0.2 s dictionary before the
    first frame), then, once the thread has loaded the words, every label wraps again."""
    from kiosk import cjkwrap
    from kiosk.ui import widgets

    driver = ui(size=(1080, 1920))
    label = widgets.WrapLabel(source="农民工讨要工资可以申请法律援助", size_hint=(None, None))
    driver.app.root.add_widget(label)
    cjkwrap._cut = None  # as on a kiosk before its first frame (the Driver loads it at once)
    assert cjkwrap._deferred, "the UI defers loading"
    label.width = label.font_size * 4.5  # four characters a line
    driver.settle()
    assert label.text.split("\n")[0] == "农民工讨"  # between characters
    widgets.start_word_breaks()
    assert driver.wait(cjkwrap.words_ready, timeout=20)
    driver.pump(3)
    assert label.text.split("\n")[0] == "农民工", label.text
