"""长者模式, 朗读 and 呼叫工作人员 in the real window: what a resident sees and hears.

The speaker is the one mocked edge ([speech] player = none records what would be played, for
as long as the WAV lasts); the voice is real espeak-ng and the hall server is the real one.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest
import requests

from tests.ui.conftest import SIZES

SPEECH = {"player": "none"}


def said(app: Any, kind: str = "say") -> list[str]:
    return [text for k, text in app.access.speaker.requests if k == kind]


@pytest.mark.parametrize("size", SIZES)
def test_elder_mode_grows_everything_and_is_forgotten_by_home_and_idle(ui, size, shots):
    driver = ui(
        size=size,
        session={"idle_timeout": "60", "idle_countdown": "1"},
        access={"elder_idle_timeout": "200"},
        speech=SPEECH,
    )
    app = driver.app
    name = f"{size[0]}x{size[1]}"
    driver.press(cls="Tile", action="disclosure")
    heading_before = max(w.font_size for w in driver.find_all(cls="WrapLabel"))
    back_before = driver.find(action="back").height
    driver.screenshot(shots / f"access-{name}-normal.png")

    driver.press(action="elder")
    driver.settle()
    assert app.theme.elder and app.screens.current == "disclosure", "stays on the same screen"
    heading = max(w.font_size for w in driver.find_all(cls="WrapLabel"))
    assert heading >= heading_before * 1.4 - 1
    assert driver.find(action="back").height >= 160 > back_before
    assert app.idle.timeout == 200, "longer idle timeout in 长者模式"
    assert not driver.overflows()
    driver.screenshot(shots / f"access-{name}-elder.png")

    driver.press(action="home")
    assert not app.theme.elder, "首页 ends the visit and 长者模式 with it"
    assert app.idle.timeout == 60

    driver.press(action="elder")
    driver.press(cls="Tile", action="disclosure")
    first = app.session
    app.idle.last -= 201 + 1  # as if nobody had touched the screen for 202 s
    assert driver.wait(lambda: app.session is not first, timeout=10), "the idle reset came"
    assert app.screens.current == "home" and not app.theme.elder


def test_elder_mode_can_be_the_site_default(ui):
    driver = ui(access={"elder_default": "yes"}, speech=SPEECH)
    app = driver.app
    assert app.theme.elder
    driver.press(action="elder")
    assert not app.theme.elder
    driver.press(cls="Tile", action="disclosure")
    driver.press(action="home")
    assert app.theme.elder, "the next resident starts in the site's default again"


def test_read_aloud_reads_each_screen_and_answer_and_stops_on_leaving(ui):
    driver = ui(speech=SPEECH)
    app = driver.app
    driver.press(action="read-aloud")
    speaker = app.access.speaker
    assert driver.wait(lambda: said(app))
    assert "您好" in said(app)[-1] and "一二三四八" in said(app)[-1], "12348 digit by digit"
    assert driver.wait(lambda: said(app, "play"), timeout=10), "espeak-ng made the WAV"
    player = app.access.player
    wav = player.played[-1]
    assert wav.stat().st_size > 10_000

    stopped = player.stopped
    driver.press(cls="Tile", action="disclosure")
    assert player.stopped > stopped, "leaving the screen silences it at once"
    assert driver.wait(lambda: "公示信息" in said(app)[-1])
    assert said(app)[-1].startswith("公示信息"), "the tapped tile, then the new screen"

    count = len(said(app))
    driver.press(action="read-aloud")
    assert not app.access.read_aloud
    assert not speaker.speaking
    driver.press(action="back")
    driver.pump(5)
    assert len(said(app)) == count, "off: nothing more is said"

    driver.press(action="read-aloud")
    driver.press(cls="Tile", action="disclosure")
    driver.press(action="home")
    assert not app.access.read_aloud, "首页 forgets 朗读 too"


def test_call_staff_reaches_the_real_hall_server_and_can_be_cancelled(ui, tmp_path):
    from kiosk import config
    from kiosk.hall.server import HallServer
    from kiosk.packs.source import load_source
    from tests.conftest import CONTENT, write_config

    (tmp_path / "hall").mkdir()
    hall_ini = write_config(tmp_path / "hall", {"hall": {"host": "yes", "port": "0", "player": ""}})
    server = HallServer(config.load(hall_ini), load_source(CONTENT)).start()
    try:
        driver = ui(
            hall={"url": server.url},
            kiosk={"label": "3号机", "place": "大厅东侧"},
            speech=SPEECH,
        )
        app = driver.app

        def help_list() -> list[dict[str, Any]]:
            return requests.get(server.url + "api/state", timeout=5).json()["help"]

        driver.press(cls="Tile", action="disclosure")
        driver.press(action="call-staff")
        assert driver.find(cls="HelpOverlay")
        assert driver.wait(lambda: app.access.help_state == "sent", timeout=10)
        calls = help_list()
        assert [(c["label"], c["place"]) for c in calls] == [("3号机", "大厅东侧")]
        assert calls[0]["kiosk"].startswith("k-")
        assert driver.find(cls="WrapLabel", text="3号机需要帮助")
        assert driver.find(cls="WrapLabel", text="工作人员马上就来")

        driver.press(action="help-cancel")
        assert not driver.find_all(cls="HelpOverlay")
        assert driver.wait(lambda: not help_list(), timeout=10), "取消 removed it from the hall"

        # Staff clear a call at the counter: the kiosk stops showing it.
        driver.press(action="call-staff")
        assert driver.wait(lambda: help_list(), timeout=10)
        driver.press(action="help-ok")
        assert app.access.help_state == "sent"
        kiosk = help_list()[0]["kiosk"]
        requests.delete(server.url + f"api/help/{kiosk}", timeout=5).raise_for_status()
        assert driver.wait(lambda: app.access.help_state == "none", timeout=15)
    finally:
        server.stop()


def test_call_staff_without_a_hall_server_chimes_and_notes_it_for_staff(ui):
    from kiosk.ui.access import admin_rows

    driver = ui(speech=SPEECH)
    app = driver.app
    driver.press(action="call-staff")
    assert app.access.help_state == "local"
    assert driver.find(cls="WrapLabel", text="本机已响铃")
    assert app.access.player.played[-1].name == "help-chime.wav"
    assert any("未设置大厅服务器" in value for _label, value, _warn in admin_rows(app))
    driver.press(action="help-ok")

    # A hall server that does not answer: the same chime, and why, for staff.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    app.access.reset()
    app.access.settings = app.settings.replace("hall", url=f"http://127.0.0.1:{closed}/")
    driver.press(action="call-staff")
    assert driver.wait(lambda: app.access.help_state == "local", timeout=10)
    assert len(app.access.player.played) == 2
    rows = [value for _label, value, _warn in admin_rows(app)]
    assert any("未连大厅服务器" in value for value in rows)
    driver.press(action="help-ok")
    app.go("admin")
    driver.settle()
    assert driver.find(cls="WrapLabel", text="未连大厅服务器")
