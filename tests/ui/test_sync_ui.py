"""Content sync in the real window: background thread, the deferred switch, staff rows, the
residents' stale notice. A real pack server runs on loopback inside the test process."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import SIZES

NOTICE = "notices:\n- id: moved\n  title: 人民调解室已搬到二楼\n"


@pytest.fixture
def published(tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    from kiosk.packs import manifest
    from tests.integration.packserver import Publisher, pattern, running

    keys = manifest.generate_keypair(tmp_path / "keys")
    (tmp_path / "server").mkdir()
    publisher = Publisher(tmp_path / "server", keys)
    publisher.media("clip.mp4", pattern(200_000, 1))
    publisher.publish()
    with running(publisher.out) as server:
        yield publisher, server


def sync_section(publisher: Any, server: Any, **extra: str) -> dict[str, str]:
    return {
        "url": server.url,
        "public_key": publisher.public_key,
        "interval": "3600",
        "jitter": "0",
        "timeout": "3",
        **extra,
    }


def started(driver: Any) -> Any:
    assert driver.wait(lambda: driver.app.background.get("sync") is not None, timeout=5), (
        "sync starts"
    )
    return driver.app.background.get("sync")


def sync_now(driver: Any, until: Any, timeout: float = 20) -> None:
    controller = started(driver)
    before = controller.results
    controller.trigger()
    assert driver.wait(lambda: controller.results > before, timeout=timeout), "a result came"
    assert driver.wait(until, timeout=2)


def press_in_scroll(driver: Any, action: str) -> None:
    """Staff scroll the admin screen to reach its buttons; so does the test."""
    from kivy.uix.scrollview import ScrollView

    widget = driver.find(action=action)
    parent = widget.parent
    while parent is not None and not isinstance(parent, ScrollView):
        parent = parent.parent
    parent.scroll_to(widget, animate=False)
    driver.pump(3)
    driver.tap(widget)


def stale_notices(driver: Any) -> list[str]:
    return [type(w).__name__ for w in driver.find_all(cls="StaleStrip")] + [
        type(w).__name__ for w in driver.find_all(cls="StaleBadge")
    ]


def banners(driver: Any) -> list[str]:
    return [b.text for b in driver.find_all(cls="Banner")]


def test_a_new_pack_waits_until_the_resident_has_finished(ui, published):
    publisher, server = published
    driver = ui(sync=sync_section(publisher, server))
    app = driver.app
    assert app.content.origin == "bundled"
    sync_now(driver, lambda: app.content.origin == "built")
    assert app.content.pack.version == 1

    driver.press(cls="Tile", action="disclosure")
    app.session.busy = True  # a resident in the middle of something
    (publisher.src / "notices.yaml").write_text(NOTICE, encoding="utf-8")
    publisher.publish()
    sync_now(driver, lambda: app.background.get("sync").pending is not None)
    assert app.content.pack.version == 1, "not switched under the resident"
    assert app.screens.current == "disclosure"
    driver.pump(5)
    assert app.content.pack.version == 1

    driver.press(action="home")  # the visit ends: the session is reset
    assert app.content.pack.version == 2
    assert app.background.get("sync").pending is None
    assert any("人民调解室已搬到二楼" in text for text in banners(driver))


def test_a_new_pack_is_shown_at_once_when_nobody_is_busy(ui, published):
    publisher, server = published
    driver = ui(sync=sync_section(publisher, server))
    app = driver.app
    sync_now(driver, lambda: app.content.origin == "built")
    (publisher.src / "notices.yaml").write_text(NOTICE, encoding="utf-8")
    publisher.publish()
    sync_now(driver, lambda: app.content.pack.version == 2)
    assert app.background.get("sync").pending is None
    driver.pump(3)
    assert any("人民调解室已搬到二楼" in text for text in banners(driver))


def test_the_idle_reset_also_lets_the_waiting_pack_in(ui, published):
    publisher, server = published
    driver = ui(
        sync=sync_section(publisher, server), session={"idle_timeout": "2", "idle_countdown": "1"}
    )
    app = driver.app
    sync_now(driver, lambda: app.content.origin == "built")
    driver.press(cls="Tile", action="disclosure")
    app.session.busy = True
    publisher.publish()
    sync_now(driver, lambda: app.background.get("sync").pending is not None)
    assert app.content.pack.version == 1
    assert driver.wait(lambda: app.content.pack.version == 2, timeout=8)
    assert app.screens.current == "home"


@pytest.mark.parametrize("size", SIZES)
def test_admin_shows_the_sync_state_and_syncs_on_demand(ui, published, size, shots, monkeypatch):
    from kiosk import admin

    # No check of its own before 立即同步 (it comes 3 s after the first frame, which a loaded
    # machine can reach before the admin screen is read): the "not synced yet" row is forced.
    monkeypatch.setattr("kiosk.ui.sync.FIRST_DELAY", 3600.0)
    publisher, server = published
    driver = ui(
        size=size,
        sync=sync_section(publisher, server),
        admin={"pin_hash": admin.hash_pin("2468")},
    )
    app = driver.app
    started(driver)
    app.go("admin")
    driver.pump(3)
    values = {row.label: row.value for row in driver.find_all(cls="InfoRow")}
    assert values["内容同步"] == "尚未同步"
    press_in_scroll(driver, "admin:立即同步")
    assert driver.wait(lambda: app.content.origin == "built", timeout=20)
    assert driver.wait(
        lambda: (
            {r.label: r.value for r in driver.find_all(cls="InfoRow")}.get("当前内容包") == "第1版"
        ),
        timeout=5,
    )
    values = {row.label: row.value for row in driver.find_all(cls="InfoRow")}
    assert values["内容同步"] == "在线，内容为最新"
    assert values["上次成功"] != "无"
    assert "MB" in values["磁盘"]
    assert "已安装的内容包" in values["内容版本"]
    driver.screenshot(shots / f"sync-admin-{size[0]}x{size[1]}.png")
    assert driver.overflows() == []

    server.faults.status["/manifest.json"] = 503
    press_in_scroll(driver, "admin:立即同步")
    assert driver.wait(
        lambda: (
            "503" in {r.label: r.value for r in driver.find_all(cls="InfoRow")}.get("同步错误", "")
        ),
        timeout=20,
    )
    values = {row.label: row.value for row in driver.find_all(cls="InfoRow")}
    assert values["内容同步"] == "暂时连不上服务器，继续使用现有内容"
    assert values["当前内容包"] == "第1版"
    driver.screenshot(shots / f"sync-admin-offline-{size[0]}x{size[1]}.png")
    assert driver.overflows() == []


@pytest.mark.parametrize("size", SIZES)
def test_residents_see_a_discreet_notice_only_while_content_is_stale(
    ui, published, tmp_path, size, shots
):
    from kiosk import clock
    from kiosk.packs.installed import Installed
    from kiosk.sync.status import Record

    publisher, server = published
    first = (clock.now() - timedelta(hours=100)).isoformat(timespec="seconds")
    store = Installed(tmp_path / "var" / "packs")
    store.ensure()
    failed = Record(first_attempt=first, last_attempt=first, last_outcome="failed")
    failed.last_error_kind = "offline"
    failed.save(store)

    driver = ui(size=size, sync=sync_section(publisher, server))
    app = driver.app
    started(driver)
    driver.pump(3)
    assert stale_notices(driver) == ["StaleStrip"]  # the header row holds the 长者模式 tools
    assert driver.find(cls="WrapLabel", text="可能不是最新")
    driver.screenshot(shots / f"sync-stale-home-{size[0]}x{size[1]}.png")
    assert driver.overflows() == []
    driver.press(cls="Tile", action="disclosure")
    assert stale_notices(driver), "on every screen"
    driver.screenshot(shots / f"sync-stale-disclosure-{size[0]}x{size[1]}.png")
    assert driver.overflows() == []

    sync_now(driver, lambda: app.content.origin == "built")
    driver.pump(3)
    assert stale_notices(driver) == [], "gone once a sync succeeds"


def test_the_ui_keeps_drawing_while_a_large_download_runs(ui, published):
    """The download runs off the UI thread: frames go on while bytes arrive. The server is
    slowed so that the download is still running after the frames the test draws; frame
    times themselves are measured by tests/bench/sync_frames.py."""
    from kivy.clock import Clock

    from tests.integration.packserver import pattern

    publisher, server = published
    driver = ui(sync=sync_section(publisher, server, timeout="30"))
    app = driver.app
    sync_now(driver, lambda: app.content.origin == "built")
    publisher.media("big.mp4", pattern(20_000_000, 3))
    publisher.publish()
    server.faults.rate = 1_000_000  # 20 s for the file
    app.background.get("sync").trigger()
    engine = app.background.get(
        "sync"
    ).engine  # each run starts a new Progress: read it after the start
    assert driver.wait(
        lambda: engine.progress.phase == "downloading" and engine.progress.done > 0, timeout=30
    ), "the download started"
    progress = engine.progress
    done, frames = progress.done, Clock.frames
    driver.pump(30)
    assert Clock.frames - frames >= 30
    assert progress.phase == "downloading" and progress.done > done, (
        "bytes kept arriving while the frames were drawn"
    )
    assert app.content.pack.version == 1, "the new pack is not shown before it is complete"
    server.faults.rate = None
    assert driver.wait(lambda: app.content.pack.version == 2, timeout=60)


def test_no_syncing_while_staff_preview_sources(ui, published):
    from kiosk.ui import sync

    publisher, server = published
    driver = ui(content=publisher.src, sync=sync_section(publisher, server))
    app = driver.app
    # The background start-up hook has run (it is what decides about syncing) ...
    assert driver.wait(lambda: app.background_started, timeout=10)
    assert app.background.get("sync") is None
    assert app.content.origin == "preview"
    # ... and 立即同步, which makes a running sync ask the server at once, asks nothing.
    sync._sync_now(app)
    assert not driver.wait(lambda: bool(server.log()), timeout=3)
    assert app.content.origin == "preview"
