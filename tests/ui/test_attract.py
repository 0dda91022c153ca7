"""The attract loop in the real window: it starts after a rest on the home screen, plays the
pack's videos muted with captions, shows slides under "请点击屏幕开始", goes home on any
touch, and skips a broken video with a note for staff instead of a black box. The 普法视频
player no longer keeps the kiosk awake on a video that does not play."""

from __future__ import annotations

import pytest

from tests.media import pack_with_videos
from tests.ui.conftest import SIZES

SRT = "1\n00:00:00,000 --> 00:00:30,000\n调解不收费，有事找调委会\n"


def _pack(tmp_path, broken_first: bool = False):
    pack = pack_with_videos(tmp_path, seconds=12)  # still playing on a loaded machine
    (pack / "media" / "clip.srt").write_text(SRT, encoding="utf-8")
    text = (pack / "videos.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    file: media/clip.mp4\n", "    file: media/clip.mp4\n    captions: media/clip.srt\n"
    )
    if broken_first:
        (pack / "media" / "broken.mp4").write_bytes(b"\x00not a video\x00" * 4000)
        text = text.replace(
            "videos:\n",
            "videos:\n  - id: broken\n    title: 坏掉的视频\n    file: media/broken.mp4\n",
        )
    (pack / "videos.yaml").write_text(text, encoding="utf-8")
    return pack


def test_the_loop_plays_muted_with_captions_and_a_touch_goes_home(ui, tmp_path, shots):
    driver = ui(content=_pack(tmp_path), session={"attract_after": "1"})
    app = driver.app
    assert driver.wait(lambda: app.screens.current == "attract", timeout=30)
    screen = app.screens.current_screen
    player = screen.ids.player
    assert driver.wait(lambda: player.loaded and player.position > 0.2, timeout=30)
    assert player.volume == 0, "muted"
    assert driver.wait(lambda: screen.caption == "调解不收费，有事找调委会", timeout=10)
    assert driver.find(action="attract-start").source == "请点击屏幕开始"
    driver.screenshot(shots / "attract-video-1080x1920.png")
    assert not driver.find_all(cls="IdleOverlay")
    driver.tap_at(200, 900)  # anywhere, e.g. on the picture
    assert app.screens.current == "home"
    assert driver.wait(lambda: player.source == "" and not player.loaded, timeout=3)
    assert app.session.is_empty(), "the touch went home, not into a tile"


@pytest.mark.parametrize("size", SIZES)
def test_slides_fit_under_the_invitation(ui, size, shots):
    driver = ui(size=size, session={"attract_after": "1"})  # the default pack: no videos
    app = driver.app
    assert driver.wait(lambda: app.screens.current == "attract", timeout=30)
    screen = app.screens.current_screen
    assert driver.wait(lambda: screen.mode == "slide" and screen.ids.body.children, timeout=5)
    driver.screenshot(shots / f"attract-slide-{size[0]}x{size[1]}.png")
    assert driver.overflows() == []
    driver.press(action="attract-start")
    assert app.screens.current == "home"


def test_a_broken_video_is_skipped_and_noted_for_staff(ui, tmp_path):
    driver = ui(content=_pack(tmp_path, broken_first=True), session={"attract_after": "1"})
    app = driver.app
    assert driver.wait(lambda: app.screens.current == "attract", timeout=30)
    screen = app.screens.current_screen
    assert driver.wait(lambda: "media/broken.mp4" in app.video_problems, timeout=40)
    assert driver.wait(lambda: screen.heading != "坏掉的视频", timeout=3), "moved on"
    assert all(i.video is None or i.video.id != "broken" for i in screen.items)
    from kiosk.ui.screens.attract import admin_rows

    assert any("坏掉的视频" in value for _label, value, _warn in admin_rows(app))


def test_a_video_that_cannot_play_no_longer_keeps_the_kiosk_awake(ui, tmp_path):
    driver = ui(
        content=_pack(tmp_path, broken_first=True),
        session={"idle_timeout": "2", "idle_countdown": "1", "attract_after": "0"},
    )
    app = driver.app
    driver.press(cls="Tile", action="videos")
    driver.press(action="video:broken")
    assert app.screens.current == "player"
    assert driver.wait(lambda: app.screens.current_screen.message != "", timeout=40)
    assert "无法播放" in app.screens.current_screen.message
    assert driver.wait(lambda: app.screens.current == "home", timeout=30), "idle reset applies"
