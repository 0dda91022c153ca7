"""法律援助自测 in the real window: a full walk, back and change, review edits, the result."""

from __future__ import annotations

import pytest

from tests.ui.conftest import SIZES


def _press(driver, **criteria):
    """Tap a widget, scrolling it into view first as a resident would."""
    from kivy.uix.scrollview import ScrollView

    driver.settle()  # wrapping and layout first, so the scroll position is right
    widget = driver.find(**criteria)
    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, ScrollView):
            content = node.children[0]
            spare = content.height - node.height
            if spare > 0:  # centre the widget in the view
                offset = widget.to_window(*widget.center)[1] - content.to_window(*content.pos)[1]
                node.scroll_y = min(1, max(0, (offset - node.height / 2) / spare))
                driver.pump(3)
            break
        node = node.parent
    driver.tap(widget)
    return widget


def _walk(driver):
    from kiosk.ui.screens.eligibility import walk_for

    return walk_for(driver.app)


def _current_qid(driver):
    screen = driver.app.screens.current_screen
    return screen.question.id if screen.name == "eligibility-question" else screen.name


def _type(driver, digits):
    for key in digits:
        _press(driver, action="pad-dot" if key == "." else f"pad-{key}")
    _press(driver, action="number-ok")


def _no_overflow(driver, where, problems):
    problems += [f"{where}: {p}" for p in driver.overflows()]


def test_full_walk_then_edit_on_the_review_screen_then_the_result(ui, shots):
    driver = ui()
    app = driver.app
    problems: list[str] = []
    driver.press(cls="Tile", action="eligibility")
    assert app.screens.current == "eligibility"
    driver.press(action="eligibility-start")
    assert _current_qid(driver) == "matter"
    _no_overflow(driver, "matter", problems)
    _press(driver, action="answer:support_payments")
    assert _current_qid(driver) == "assistance_status"
    assert driver.find(cls="WrapLabel", text="第 2 题")
    _press(driver, action="answer:no")
    assert _current_qid(driver) == "household_size"
    _type(driver, "2")
    _type(driver, "5000")
    assert _current_qid(driver) == "monthly_rigid_expenses"  # 2500 per person: expenses matter
    _no_overflow(driver, "number", problems)
    _type(driver, "256")
    assert _current_qid(driver) == "deadline_within_7_days"  # exactly 2372: no asset question
    _press(driver, action="answer:no")

    assert app.screens.current == "eligibility-review"
    rows = {row.qid: row.answer for row in driver.find_all(cls="AnswerRow")}
    assert rows == {
        "matter": "要赡养费、抚养费、扶养费",
        "assistance_status": "否",
        "household_size": "2 人",
        "monthly_household_income": "5000 元",
        "monthly_rigid_expenses": "256 元",
        "deadline_within_7_days": "否",
    }
    _no_overflow(driver, "review", problems)
    driver.screenshot(shots / "eligibility-walk-review.png")

    # 修改: one fen more of expenses brings the family under the line
    driver.press(action="edit:monthly_rigid_expenses")
    assert _current_qid(driver) == "monthly_rigid_expenses"
    assert app.screens.current_screen.pad.value == "256"
    _press(driver, action="pad-dot")
    _type(driver, "02")
    assert _current_qid(driver) == "high_value_assets"  # newly relevant, asked before the review
    _press(driver, action="answer:no")
    assert app.screens.current == "eligibility-review"
    rows = {row.qid: row.answer for row in driver.find_all(cls="AnswerRow")}
    assert rows["monthly_rigid_expenses"] == "256.02 元" and rows["high_value_assets"] == "否"

    driver.press(action="see-result")
    assert app.screens.current == "eligibility-result"
    assert driver.find(action="outcome:likely_eligible")
    assert driver.find(cls="WrapLabel", text="很可能可以申请")
    assert driver.find(cls="WrapLabel", text="2371.99")
    assert driver.find(cls="WrapLabel", text="7日内审查决定")
    assert driver.find(cls="WrapLabel", text="家庭经济状况说明")
    assert driver.find(cls="WrapLabel", text="渝北区法律援助中心")
    qr = driver.find(cls="QRCode")
    assert "家庭经济状况说明" in qr.data and "5000" not in qr.data and qr.texture is not None
    _no_overflow(driver, "result", problems)
    driver.screenshot(shots / "eligibility-walk-result.png")

    _press(driver, action="article:legal_aid_law:41")
    assert driver.find(cls="ArticleOverlay")
    assert driver.find(
        cls="WrapLabel", text="因经济困难申请法律援助的，申请人应当如实说明经济困难状况"
    )
    _no_overflow(driver, "article", problems)
    driver.press(action="article-close")
    assert not driver.find_all(cls="ArticleOverlay")

    from kiosk.eligibility import stats

    assert stats.flush(), "the count is written off the UI thread"
    assert stats.by_outcome(app.db()) == {"likely_eligible": 1}
    assert [r["rule"] for r in stats.rows(app.db())] == ["low_net_income"]

    driver.press(action="back")  # from the result: the review
    assert app.screens.current == "eligibility-review"
    driver.press(action="back")  # from the review: the last question
    assert _current_qid(driver) == "deadline_within_7_days"
    assert problems == []

    session = app.session
    driver.press(action="home")
    assert app.session is not session and "eligibility" not in app.session.features
    assert stats.flush()
    assert stats.by_outcome(app.db()) == {"likely_eligible": 1}, "seeing it again is not recounted"


def test_back_follows_the_path_and_changing_an_answer_drops_what_no_longer_applies(ui):
    driver = ui()
    app = driver.app
    driver.press(cls="Tile", action="eligibility")
    driver.press(action="eligibility-start")
    _press(driver, action="answer:labour_or_wages")
    _press(driver, action="answer:yes")
    assert _current_qid(driver) == "deadline_within_7_days"
    driver.press(action="back")
    assert _current_qid(driver) == "migrant_worker"
    assert driver.find(action="answer:yes").source.endswith("（已选）")
    driver.press(action="back")
    assert _current_qid(driver) == "matter"
    _press(driver, action="answer:contract_or_debt")
    assert _current_qid(driver) == "assistance_status"
    assert "migrant_worker" not in _walk(driver).answers
    driver.press(action="back")
    assert _current_qid(driver) == "matter"
    driver.press(action="back")
    assert app.screens.current == "eligibility"
    driver.press(action="back")
    assert app.screens.current == "home"


def test_unsure_answers_lead_to_a_staff_check_with_its_own_wording(ui):
    driver = ui()
    driver.press(cls="Tile", action="eligibility")
    driver.press(action="eligibility-start")
    _press(driver, action="answer:unsure")  # 说不清
    assert _current_qid(driver) == "deadline_within_7_days"
    _press(driver, action="answer:yes")
    driver.press(action="see-result")
    assert driver.find(action="outcome:staff_check")
    assert driver.find(cls="WrapLabel", text="需要工作人员确认")
    assert driver.find(cls="WrapLabel", text="第四十四条")  # the urgent banner
    assert not driver.find_all(cls="WrapLabel", text="很可能可以申请")


def test_number_pad_refuses_impossible_numbers(ui):
    driver = ui()
    driver.press(cls="Tile", action="eligibility")
    driver.press(action="eligibility-start")
    _press(driver, action="answer:support_payments")
    _press(driver, action="answer:no")
    driver.press(action="number-ok")
    assert driver.find(cls="WrapLabel", text="请先点数字键输入")
    _type(driver, "0")
    assert driver.find(cls="WrapLabel", text="不能小于 1")
    assert _current_qid(driver) == "household_size"
    assert not driver.find_all(action="pad-dot"), "no decimal point for a number of people"


def test_unlikely_result_shows_the_free_alternatives(ui):
    from kiosk.ui.screens.eligibility import walk_for
    from kiosk.ui.screens.eligibility_hooks import MAY_NOT

    driver = ui()
    app = driver.app
    app.go("eligibility")
    walk = walk_for(app)
    from kiosk import clock

    for qid, value in MAY_NOT:
        walk.answer(qid, value, clock.today())
    app.go("eligibility-result", remember=False)
    driver.settle()
    assert driver.find(action="outcome:may_not_be_eligible")
    for words in (
        "可能不符合条件",
        "人民调解（免费）",
        "12348",
        "法律咨询窗口",
    ):
        assert driver.find(cls="WrapLabel", text=words), words
    window = next(w for w in app.content.pack.site("yubei-center").windows if w.name == "人民调解")
    assert driver.find(cls="WrapLabel", text=f"{window.number} {window.name}".strip())


@pytest.mark.parametrize("size", SIZES)
def test_no_overflow_on_any_walkthrough_screen(ui, size, shots):
    from kiosk.ui.screens.eligibility_hooks import TOUR_STOPS

    driver = ui(size=size)
    problems = []
    for name, visit in TOUR_STOPS:
        visit(driver)
        driver.settle()
        driver.screenshot(shots / f"{name}-{size[0]}x{size[1]}.png")
        problems += [f"{name}: {p}" for p in driver.overflows()]
        driver.app.close_overlay()
    assert problems == []
