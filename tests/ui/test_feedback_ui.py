"""好差评 on the real screen: the end-of-visit rating, the window 评价器 against the real hall
server, the 投诉建议 tile, and every new screen looked at in both orientations."""

from __future__ import annotations

import pytest

from tests.ui.conftest import PORTRAIT, SIZES


def rows(driver, sql):
    from kiosk.feedback import items

    return items.open_feedback(driver.app.settings).conn.execute(sql).fetchall()


def events(driver, kind):
    from kiosk import stats

    stats.flush(5)
    return [r for r in stats.events_after(driver.app.settings, 0, 1000) if r["kind"] == kind]


@pytest.mark.parametrize("size", SIZES)
def test_every_new_screen_fits_in_both_orientations(ui, size, shots):
    from kiosk.ui.screens import complaints, feedback

    driver = ui(size=size)
    problems = {}
    for name, visit in feedback.TOUR_STOPS + complaints.TOUR_STOPS:
        visit(driver)
        driver.settle()
        driver.screenshot(shots / f"feedback-{name}-{size[0]}x{size[1]}.png")
        problems[name] = driver.overflows()
    driver.app.go("feedback-admin")
    driver.settle()
    driver.screenshot(shots / f"feedback-admin-{size[0]}x{size[1]}.png")
    problems["admin"] = driver.overflows()
    assert all(not found for found in problems.values()), problems


PROMPT = {"feedback": {"prompt": "yes", "prompt_seconds": "600"}}


def visit_and_go_home(driver, tile="directory"):
    driver.press(cls="Tile", action=tile)
    assert driver.app.screens.current != "home"
    driver.press(action="home")


def test_a_resident_rates_at_the_end_of_a_visit_with_reasons_and_a_call_back(ui, shots):
    driver = ui(size=PORTRAIT, **PROMPT)
    app = driver.app
    visit_and_go_home(driver)
    assert app.screens.current == "rate"
    driver.screenshot(shots / "feedback-visit-rate.png")
    driver.press(action="rate-2")
    driver.press(action="reason-办事效率")
    driver.press(action="rate-want-call")
    for digit in "13800138000":
        driver.press(action=f"phone-{digit}")
    driver.screenshot(shots / "feedback-visit-phone.png")
    driver.press(action="phone-submit")
    assert driver.find(text="感谢您的评价！")
    stored = rows(
        driver, "SELECT level, channel, service, reasons, phone, status FROM feedback_items"
    )
    assert stored == [(2, "kiosk", "directory", "办事效率", "13800138000", "待回访")]
    assert [(e["subject"], e["value"]) for e in events(driver, "rating")] == [("directory", 2.0)]
    assert driver.wait(lambda: app.screens.current == "home", timeout=15)
    assert app.session.is_empty()


def test_home_and_the_idle_reset_forget_an_unsent_rating(ui):
    from kiosk import clock

    driver = ui(size=PORTRAIT, **PROMPT)
    app = driver.app
    visit_and_go_home(driver)
    driver.press(action="rate-1")  # 非常不满意 chosen, reasons showing, nothing sent yet
    driver.press(action="reason-服务态度")
    driver.press(action="home")
    assert app.screens.current == "home"  # 首页 on the question goes home: asked once only
    visit_and_go_home(driver, "disclosure")  # a new visit is asked again
    assert app.screens.current == "rate"
    driver.press(action="rate-2")
    with clock.freeze(clock.now()) as frozen:  # the resident walks away: the idle reset
        frozen.advance(seconds=app.settings.session.idle_timeout + 1)
        assert driver.wait(lambda: app.overlay is not None, timeout=10)  # 还在使用吗？
        frozen.advance(seconds=app.settings.session.idle_countdown + 1)
        assert driver.wait(lambda: app.screens.current == "home", timeout=10)
    assert rows(driver, "SELECT COUNT(*) FROM feedback_items") == [(0,)]
    assert events(driver, "rating") == []


def test_the_skip_button_and_staff_visits_are_never_asked(ui):
    driver = ui(size=PORTRAIT, **PROMPT)
    app = driver.app
    visit_and_go_home(driver)
    driver.press(action="rate-skip")
    assert app.screens.current == "home" and app.session.is_empty()
    driver.press(cls="Tile", action="directory")
    driver.press(action="back")  # 返回 to the start is not the end of a visit
    assert app.screens.current == "home"
    assert events(driver, "rating") == []
    # A good rating needs no 提交: one tap is stored and thanked.
    visit_and_go_home(driver)
    driver.press(action="rate-4")
    assert driver.find(text="感谢您的评价！")
    assert [e["value"] for e in events(driver, "rating")] == [4.0]
    assert rows(driver, "SELECT COUNT(*) FROM feedback_items") == [(0,)]


def test_complaints_tile_shows_every_channel_and_keeps_a_message(ui, shots):
    features = "directory, eligibility, tickets, complaints"
    driver = ui(size=PORTRAIT, kiosk={"features": features})
    app = driver.app
    driver.press(cls="Tile", action="complaints")
    assert app.screens.current == "complaints"
    assert driver.find(text="12348")
    assert driver.find_all(cls="QRCode"), "online channels from contacts.yaml as QR codes"
    driver.press(action="complaint-ticket")
    assert app.screens.current == "ticket-confirm"
    driver.press(action="back")
    driver.press(action="complaint-form")
    driver.press(action="category-意见建议")
    driver.press(action="phrase-希望延长办公时间")
    driver.press(action="complaint-submit")
    stored = rows(driver, "SELECT kind, category, message, phone, status FROM feedback_items")
    assert stored == [("complaint", "意见建议", "希望延长办公时间", None, "待回访")]
    assert [e["subject"] for e in events(driver, "complaint")] == ["意见建议"]
    driver.screenshot(shots / "feedback-complaint-thanks.png")


def test_the_window_evaluator_asks_when_its_counter_finishes_a_ticket(ui, tmp_path, shots):
    """Against the real hall server (started here), followed over server-sent events."""
    from kiosk import clock
    from tests.hall.env import MORNING, HallEnv, post, running

    with clock.freeze(MORNING):
        (tmp_path / "hall").mkdir()
        env = HallEnv(tmp_path / "hall")
        with running(env) as server:
            driver = ui(
                size=(1920, 1080),
                kiosk={"mode": "evaluator"},
                hall={"url": server.url},
                feedback={"counter": "1", "prompt_seconds": "600"},
            )
            app = driver.app
            screen = app.screens.current_screen
            assert app.screens.current == "evaluator" and screen.waiting
            assert driver.wait(lambda: screen.watcher is not None and screen.watcher.linked, 20)
            key = env.hall.make_key("1")
            number = env.issue("A")
            assert post(server, "/api/counters/1/call", key).status_code == 200
            assert screen.waiting  # called, not yet served: nothing to rate
            assert post(server, "/api/counters/1/done", key).status_code == 200
            assert driver.wait(lambda: not screen.waiting, 20)
            assert driver.find(text=f"{number}号 · 接待指引")
            driver.screenshot(shots / "feedback-evaluator-live-1920x1080.png")
            assert driver.overflows() == []
            driver.press(action="rate-5")
            assert driver.find(text="感谢您的评价！")
            assert driver.wait(lambda: screen.waiting, 15)  # back to waiting for the next one
            (event,) = events(driver, "rating_window")
            assert (event["subject"], event["counter"], event["value"]) == (
                "center-reception",
                "1",
                5.0,
            )
            # A 差评 at the window keeps the ticket number for the follow-up.
            second = env.issue("A")
            post(server, "/api/counters/1/call", key)
            post(server, "/api/counters/1/done", key)
            assert driver.wait(lambda: not screen.waiting, 20)
            driver.press(action="rate-1")
            driver.press(action="reason-办事效率")
            driver.press(action="rate-submit")
            stored = rows(driver, "SELECT channel, counter, ticket, reasons FROM feedback_items")
            assert stored == [("window", "1", second, "办事效率")]


@pytest.mark.parametrize("size", SIZES)
def test_home_with_the_complaints_tile_fits(ui, size, shots):
    features = "directory, eligibility, tickets, videos, disclosure, complaints"
    driver = ui(size=size, kiosk={"features": features})
    assert [t.action for t in driver.find_all(cls="Tile")][-1] == "complaints"
    driver.screenshot(shots / f"feedback-home-{size[0]}x{size[1]}.png")
    assert driver.overflows() == []
