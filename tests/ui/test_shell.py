"""The shell in the real window: entries, 返回/首页, idle reset, hardening, staff access."""

from __future__ import annotations

import pytest

from tests.ui.conftest import SIZES


@pytest.mark.parametrize("size", SIZES)
def test_each_home_entry_opens_its_screen_and_back_and_home_return(ui, size):
    driver = ui(size=size)
    app = driver.app
    tiles = driver.find_all(cls="Tile")
    assert [t.action for t in tiles] == app.entries
    assert tiles, "the default test config enables at least one entry"
    for action in [t.action for t in tiles]:
        driver.press(cls="Tile", action=action)
        opened = app.screens.current
        assert opened != "home"
        driver.press(action="back")
        assert app.screens.current == "home"
        driver.press(cls="Tile", action=action)
        assert app.screens.current == opened
        driver.press(action="home")
        assert app.screens.current == "home"


def test_back_and_home_sit_in_the_same_place_on_every_screen(ui):
    driver = ui()
    app = driver.app
    places = set()
    for name in ("disclosure", "admin"):
        app.go(name)
        driver.pump(3)
        back, home = driver.find(action="back"), driver.find(action="home")
        places.add((tuple(back.to_window(*back.pos)), tuple(home.to_window(*home.pos))))
    assert len(places) == 1
    app.reset_session()
    driver.pump(3)
    assert not driver.find_all(action="back"), "返回 is hidden on the home screen"


def test_idle_countdown_asks_then_forgets_everything(ui):
    driver = ui(session={"idle_timeout": "1", "idle_countdown": "2"})
    app = driver.app
    driver.press(cls="Tile", action="disclosure")
    app.session.search_query = "FLYZ"  # something a resident typed
    first_session = app.session
    assert driver.wait(lambda: driver.find_all(cls="IdleOverlay"), timeout=4)
    assert driver.find(cls="WrapLabel", text="还在使用吗")
    assert driver.wait(lambda: app.screens.current == "home", timeout=5)
    assert not driver.find_all(cls="IdleOverlay")
    assert app.session is not first_session
    assert app.session.is_empty()
    assert app.history == []


def test_answering_the_idle_question_keeps_the_resident_where_they_were(ui):
    driver = ui(session={"idle_timeout": "1", "idle_countdown": "5"})
    app = driver.app
    driver.press(cls="Tile", action="disclosure")
    app.session.search_query = "TJ"
    assert driver.wait(lambda: driver.find_all(cls="IdleOverlay"), timeout=4)
    driver.press(action="idle-continue")
    assert not driver.find_all(cls="IdleOverlay")
    assert app.screens.current == "disclosure"
    assert app.session.search_query == "TJ"


def test_escape_f1_and_close_requests_leave_the_kiosk_running(ui):
    from kivy.core.window import Window

    driver = ui()
    app = driver.app
    driver.press(cls="Tile", action="disclosure")
    for key in (27, 282):
        driver.key(key)
    assert Window.dispatch("on_request_close") is True
    driver.pump(3)
    assert app.screens.current == "disclosure"
    assert app.root.parent is Window, "the app is still attached to the window"
    assert app._app_settings is None, "Kivy's settings panel was never built"
    assert not driver.find_all(cls="Settings")


def test_no_cursor_no_multitouch_emulation_no_inspector_in_kiosk_mode(ui):
    from kivy.config import Config
    from kivy.modules import Modules

    ui()
    assert Config.get("graphics", "show_cursor") == "0"
    assert Config.get("graphics", "borderless") == "1"
    assert "disable_multitouch" in Config.get("input", "mouse")
    active = [name for name, mod in Modules.mods.items() if mod.get("activated")]
    assert active == []


@pytest.mark.parametrize("size", SIZES)
def test_touch_targets_and_text_are_big_enough_on_every_screen(ui, size):
    """Buttons at least 120 px high and text at least 36 px, at 1080 px on the short side."""
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.label import Label

    from kiosk.ui.tour import all_stops

    driver = ui(size=size)
    small = []
    for name, visit in all_stops():
        visit(driver)
        driver.settle()
        for widget in driver.walk():
            if not driver.is_visible(widget) or widget.width <= 0:
                continue
            if isinstance(widget, ButtonBehavior) and widget.height < 120:
                small.append(
                    f"{name}: button {getattr(widget, 'action', '')!r} {widget.height:.0f} px high"
                )
            if isinstance(widget, Label) and widget.text.strip() and widget.font_size < 36:
                small.append(f"{name}: text {widget.text[:20]!r} at {widget.font_size:.0f} px")
        driver.app.close_overlay()
    assert small == []


def _tap_corner(driver, times=5):
    corner = driver.app.root.ids.hot_corner
    for _ in range(times):
        driver.tap(corner)


def _enter(driver, pin):
    for digit in pin:
        driver.press(action=f"pin-{digit}")
    driver.press(action="pin-ok")


def test_staff_gesture_wrong_pins_lock_then_right_pin_opens_admin(ui):
    from kiosk import admin, clock

    driver = ui(admin={"pin_hash": admin.hash_pin("2468")})
    app = driver.app
    _tap_corner(driver, 4)
    assert not driver.find_all(cls="PinOverlay"), "four taps are not the gesture"
    _tap_corner(driver, 1)
    assert driver.find(cls="PinOverlay")
    for attempt in range(1, 5):
        _enter(driver, "1111")
        assert driver.find(cls="WrapLabel", text=f"还可以再试 {5 - attempt} 次")
    _enter(driver, "1111")
    assert driver.find(cls="WrapLabel", text="已锁定")
    _enter(driver, "2468")  # right PIN, but locked
    assert app.screens.current == "home"
    driver.press(action="pin-cancel")
    _tap_corner(driver)
    assert driver.find(cls="WrapLabel", text="已锁定"), "the lock survives closing the pad"

    with clock.freeze(clock.now()) as frozen:
        frozen.advance(minutes=5, seconds=1)
        driver.press(action="pin-cancel")
        _tap_corner(driver)
        _enter(driver, "2468")
        assert app.screens.current == "admin"
    assert driver.find(cls="InfoRow", text="").value  # rows are filled
    values = [row.value for row in driver.find_all(cls="InfoRow")]
    assert any("0.1.0" in v for v in values)
    assert any("yubei-center" in v for v in values)
    assert any("渝北区公共法律服务" in v and "版" in v for v in values)


def test_admin_quit_needs_two_taps_and_stops_the_app(ui):
    from kivy.app import App

    from kiosk import admin
    from kiosk.ui import strings

    driver = ui(admin={"pin_hash": admin.hash_pin("2468")})
    app = driver.app
    _tap_corner(driver)
    _enter(driver, "2468")
    assert app.screens.current == "admin"
    stopped = []
    app.bind(on_stop=lambda *_: stopped.append(True))
    quit_button = driver.press(action="admin-quit")  # scrolled into view first, as staff do
    assert not stopped
    assert quit_button.source == strings.ADMIN_QUIT_CONFIRM, "the first tap asks to confirm"
    assert app.screens.current == "admin"
    app.db()  # the database is open, as in a kiosk that has counted its start
    driver.press(action="admin-quit")
    assert stopped
    assert app._db is None, "quitting closes the database"
    assert App.get_running_app() is None
