"""普法视频 in the real window: the tile appears only when the pack has videos; a video plays
without the idle question interrupting it; a missing file says so kindly."""

from __future__ import annotations

import pytest

from tests.media import pack_with_videos
from tests.ui.conftest import SIZES


def test_no_videos_no_tile(ui):
    driver = ui()
    assert "videos" not in [t.action for t in driver.find_all(cls="Tile")]


def test_a_video_plays_to_the_end_without_the_idle_question(ui, tmp_path, shots):
    pack = pack_with_videos(tmp_path, seconds=3)
    driver = ui(content=pack, session={"idle_timeout": "1", "idle_countdown": "1"})
    app = driver.app
    driver.press(cls="Tile", action="videos")
    assert driver.find(action="video:mediation-basics").source.startswith("人民调解是什么（3秒）")
    driver.press(action="video:mediation-basics")
    player = app.screens.current_screen.ids.player
    assert driver.wait(lambda: player.loaded and player.position > 0.2, timeout=10)
    driver.screenshot(shots / "videos-playing.png")
    assert driver.find(action="video-toggle").source == "暂停"
    assert not driver.find_all(cls="IdleOverlay"), "watching is not idling"
    assert driver.wait(lambda: app.screens.current_screen.message != "", timeout=10)
    assert "播放完了" in app.screens.current_screen.message
    assert app.screens.current == "player", "the end of a video does not throw the resident out"
    assert driver.find(action="video-toggle").source == "重新播放"
    # once it has ended, normal idle reset applies again
    assert driver.wait(lambda: app.screens.current == "home", timeout=6)
    assert driver.wait(lambda: player.source == "" and not player.loaded, timeout=3), (
        "the player was unloaded on leaving"
    )


def test_a_video_file_gone_from_disk_is_explained(ui, tmp_path):
    pack = pack_with_videos(tmp_path)
    driver = ui(content=pack)
    (pack / "media" / "second.mp4").unlink()  # e.g. a disk fault after the pack was loaded
    driver.press(cls="Tile", action="videos")
    driver.press(action="video:second")
    assert driver.find(cls="WrapLabel", text="找不到")


@pytest.mark.parametrize("size", SIZES)
def test_video_screens_fit(ui, tmp_path, size):
    driver = ui(size=size, content=pack_with_videos(tmp_path))
    driver.press(cls="Tile", action="videos")
    assert driver.overflows() == []
    driver.press(action="video:mediation-basics")
    assert driver.overflows() == []
