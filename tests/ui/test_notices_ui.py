"""Urgent notices in the real window: a red strip on every resident screen, set from the
admin screen without typing, closing services on the 取号 screen, gone when expired — also
for a kiosk started after the expiry — and a full slide on signage."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.ui.conftest import SIZES
from tests.ui.test_sync_ui import press_in_scroll


def _ocr(path, box) -> str:
    from PIL import Image

    if not shutil.which("tesseract"):
        pytest.skip("tesseract is not installed (the CI script installs it)")
    crop = path.with_name(path.stem + "-crop.png")
    with Image.open(path) as image:
        image.crop(box).convert("L").point(lambda v: 255 - v if v < 128 else 0).save(crop)
    text = subprocess.run(
        ["tesseract", str(crop), "-", "-l", "chi_sim", "--psm", "7"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    crop.unlink()
    return text.replace(" ", "")


def _put_up(tmp_path, text, until, **kwargs):
    from kiosk import clock, config
    from kiosk.notices import local
    from kiosk.notices.compose import compose
    from kiosk.packs.loader import load_content
    from tests.conftest import write_config

    settings = config.load(write_config(tmp_path))
    clock.set_timezone(settings.kiosk.timezone)
    pack = load_content(settings).pack
    saved = local.add(
        settings.store.path, compose(pack, settings.kiosk.site, text, until, **kwargs)
    )
    local.close_all()
    return saved


@pytest.mark.parametrize("size", SIZES)
def test_an_urgent_notice_is_on_every_screen_until_it_expires(ui, tmp_path, size, shots):
    from kiosk import clock

    with clock.freeze("2025-06-03 10:00") as frozen:
        _put_up(tmp_path, "停电检修，暂停办公", "12:00", closes=["all"])
        driver = ui(size=size)
        app = driver.app
        assert driver.wait(lambda: driver.find_all(cls="UrgentStrip"), timeout=10)
        assert driver.find(cls="WrapLabel", text="紧急通知：停电检修，暂停办公")
        home = driver.screenshot(shots / f"notice-urgent-home-{size[0]}x{size[1]}.png")
        strip = driver.find(cls="UrgentStrip")
        top = size[1] - strip.to_window(strip.x, strip.top)[1]
        text = _ocr(home, (0, int(top), size[0], int(top + strip.height)))
        assert "停电检修" in text, text
        driver.press(cls="Tile", action="tickets")
        assert driver.find_all(cls="UrgentStrip"), "on the resident's screens too"
        assert driver.find(cls="WrapLabel", text="暂停取号：停电检修")
        driver.screenshot(shots / f"notice-urgent-tickets-{size[0]}x{size[1]}.png")
        assert driver.overflows() == []
        frozen.advance(hours=2)  # 12:00: expired
        app.notice_watcher.refresh()
        # The list re-reads its queues off the UI thread: wait for it as a resident would.
        assert driver.wait(lambda: not driver.find_all(cls="UrgentStrip"), timeout=10)
        assert driver.wait(
            lambda: not driver.find_all(cls="WrapLabel", text="暂停取号"), timeout=10
        ), "the tickets list still refuses after the notice expired"


def test_a_kiosk_switched_on_after_the_expiry_never_shows_it(ui, tmp_path):
    from kiosk import clock

    with clock.freeze("2025-06-03 10:00"):
        _put_up(tmp_path, "停电检修", "12:00")
    with clock.freeze("2025-06-03 12:00"):
        driver = ui()
        assert driver.wait(lambda: driver.app.notice_watcher is not None, timeout=10)
        driver.pump(3)
        assert not driver.find_all(cls="UrgentStrip")
        assert not driver.find_all(text="停电检修")


def test_staff_publish_a_notice_from_the_admin_screen(ui, tmp_path, shots):
    from kiosk import clock

    with clock.freeze("2025-06-03 10:00"):
        # a notice the hall host shared, cancelled here earlier (a CAP cancel kept locally)
        from datetime import datetime

        from kiosk import config
        from kiosk.notices import local
        from kiosk.notices.compose import cancel
        from kiosk.packs.model import Notice
        from tests.conftest import write_config

        store = config.load(write_config(tmp_path)).store.path
        shared = Notice("n7", "大厅已撤销的通知", end=datetime(2025, 6, 3, 18), level="urgent")
        local.replace_shared(store, [shared])
        local.add(store, cancel(local.stored(store)[0], "yubei-center"))
        local.close_all()
        driver = ui(hardened=False)
        app = driver.app
        driver.wait(lambda: app.notice_watcher is not None, timeout=10)
        assert not driver.find_all(cls="UrgentStrip"), "the cancelled notice is not shown"
        app.go("admin")
        press_in_scroll(driver, "admin:发布紧急通知")
        assert app.screens.current == "notice-compose"
        press_in_scroll(driver, "notice-text:系统维护，暂停取号")
        press_in_scroll(driver, "notice-until:+2h")
        press_in_scroll(driver, "notice-closes:all")
        driver.screenshot(shots / "notice-compose-1080x1920.png")
        assert driver.overflows() == []
        press_in_scroll(driver, "notice-publish")
        assert app.screens.current == "admin"
        rows = [r.value for r in driver.find_all(cls="InfoRow")]
        assert any("系统维护，暂停取号" in v and "本机发布" in v for v in rows), rows
        assert driver.find_all(cls="UrgentStrip")
        press_in_scroll(driver, "admin:撤下本机发布的通知")
        assert not driver.find_all(cls="UrgentStrip"), "and the cancel stays: nothing comes back"


@pytest.mark.parametrize("size", SIZES)
def test_signage_shows_an_urgent_notice_as_a_full_slide_first(ui, tmp_path, size, shots):
    from kiosk import clock

    with clock.freeze("2025-06-03 10:00"):
        _put_up(tmp_path, "今天下午暂停办公", "18:00", closes=["all"], effective="14:00")
        driver = ui(size=size, kiosk={"mode": "signage"}, signage={"slide_seconds": "60"})
        screen = driver.app.screens.current_screen
        assert driver.wait(lambda: screen.pages and screen.pages[0][0] == "紧急通知", timeout=10)
        screen.index = 0
        screen._render()
        shot = driver.screenshot(shots / f"signage-urgent-{size[0]}x{size[1]}.png")
        assert not driver.find_all(cls="UrgentStrip"), "the sign shows it as a slide instead"
        assert driver.overflows() == []
        body = screen.ids.body.children[-1]  # the notice's title, the first block
        _x, window_top = body.to_window(body.x, body.top)
        top = size[1] - window_top
        assert "今天下午暂停办公" in _ocr(shot, (0, int(top), size[0], int(top + body.height)))
