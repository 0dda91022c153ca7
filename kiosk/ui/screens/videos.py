"""普法视频: the pack's legal-education videos — a list, then one video playing.

While a video plays nobody touches the screen, so the player keeps the idle timer from
interrupting it; when it ends (or is stopped) normal idle reset applies again. The player is
unloaded on leaving, as ffpyplayer otherwise keeps memory and threads (see research notes).
"""

from __future__ import annotations

import gc
import os
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from kiosk import clock
from kiosk.ui import strings
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.widgets import KioskButton, WrapLabel

STALL_SECONDS = 6.0  # no progress this long while "playing": the video cannot be played


def duration_text(seconds: int) -> str:
    if seconds <= 0:
        return ""
    minutes, rest = divmod(seconds, 60)
    return (
        strings.VIDEO_DURATION.format(minutes=minutes, seconds=rest)
        if minutes
        else strings.VIDEO_SECONDS.format(seconds=rest)
    )


class VideosScreen(KioskScreen):
    title = strings.VIDEOS_TITLE

    def show(self, **params: Any) -> None:
        box = self.ids.videos
        box.clear_widgets()
        videos = self.app.content.pack.videos
        if not videos:
            box.add_widget(WrapLabel(source=strings.VIDEOS_EMPTY))
        for video in videos:
            label = video.title
            length = duration_text(video.duration)
            if length:
                label += f"（{length}）"
            button = KioskButton(source=label, action=f"video:{video.id}", halign="left")
            button.bind(on_release=lambda _b, vid=video.id: self.app.go("player", video_id=vid))
            box.add_widget(button)
        self.ids.scroll.scroll_y = 1


class PlayerScreen(KioskScreen):
    title = strings.VIDEOS_TITLE
    playing = BooleanProperty(False)
    message = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._keepalive = None
        self._progress = (0.0, 0.0)  # (position, monotonic time it was seen)
        self._video: Any = None

    def show(self, video_id: str = "", **params: Any) -> None:
        pack = self.app.content.pack
        video = next((v for v in pack.videos if v.id == video_id), None)
        player = self.ids.player
        self.message = ""
        path = pack.path_of(video.file) if video else None
        self.ids.video_title.source = video.title if video else ""
        self.ids.video_description.source = video.description if video else ""
        if not path or not os.path.isfile(path):
            self.message = strings.VIDEO_MISSING
            return
        player.source = path
        player.eos = False
        player.state = "play"
        self.playing = True
        self._video = video
        self._progress = (0.0, clock.monotonic())
        self._keepalive = Clock.schedule_interval(self._keep_awake, 1.0)

    def _keep_awake(self, _dt: float) -> None:
        """Watching is not idling — but only while the picture really moves: a video that
        never starts or stalls must not keep the kiosk on an empty player forever."""
        player = self.ids.player
        now = clock.monotonic()
        position = player.position if player.loaded else 0.0
        if position > self._progress[0] + 0.01:
            self._progress = (position, now)
        self.playing = player.state == "play" and not player.eos
        if not self.playing:
            return
        if now - self._progress[1] > STALL_SECONDS:
            video = self._video
            reason = (
                strings.ATTRACT_VIDEO_STALLED if player.loaded else strings.ATTRACT_VIDEO_BROKEN
            )
            self.app.video_problems[video.file] = f"{video.title}（{video.file}）：{reason}"
            player.state = "stop"
            self.playing = False
            self.message = strings.VIDEO_BROKEN
            return
        self.app.idle.kick()

    def on_eos(self) -> None:
        self.playing = False
        self.message = strings.VIDEO_ENDED

    def toggle(self) -> None:
        player = self.ids.player
        if player.eos:
            player.eos = False
            player.seek(0)
            self.message = ""
            player.state = "play"
        else:
            player.state = "pause" if player.state == "play" else "play"
        self.playing = player.state == "play"
        self._progress = (player.position if player.loaded else 0.0, clock.monotonic())

    def on_leave(self, *_: Any) -> None:
        if self._keepalive is not None:
            self._keepalive.cancel()
            self._keepalive = None
        player = self.ids.player
        player.state = "stop"
        player.unload()
        player.eos = False
        player.source = ""
        self.playing = False
        gc.collect()

    def forget(self) -> None:
        self.message = ""


def _videos(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("videos")


TOUR_STOPS = [("videos", _videos)]

load_kv(__file__)
