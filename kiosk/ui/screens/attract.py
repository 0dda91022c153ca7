"""The attract loop: when nobody has touched the home screen for a while, invite people in.

It plays the pack's 普法 videos muted with their captions, then urgent notices, the site's
windows and 公示 slides, always under "请点击屏幕开始"; any touch goes home at once.
A video that does not start (missing, damaged, a codec the machine lacks) or stops moving is
skipped and noted for staff on the admin screen — never a black box — and the loop never
keeps the kiosk awake on its own: it is the rest state, like the home screen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from kivy.clock import Clock
from kivy.properties import StringProperty

from kiosk import captions, clock
from kiosk.ui import strings
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.screens.signage import SignSizes, Slide, base_slides, block_label

WATCH_SECONDS = 0.25
STALL_SECONDS = 6.0  # a video that shows no progress this long is broken
MAX_VIDEO_SECONDS = 600  # a loop shows each video at most this long


@dataclass(frozen=True)
class Item:
    kind: str  # video | slide
    video: Any = None
    slide: Slide | None = None


class AttractScreen(KioskScreen):
    navigable = False
    caption = StringProperty("")
    heading = StringProperty("")
    mode = StringProperty("slide")  # slide | video

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.items: list[Item] = []
        self.position = -1
        self._watch: Any = None
        self._next: Any = None
        self._track = captions.Track([])
        self._started = 0.0
        self._progress = (0.0, 0.0)  # (position, monotonic time it was seen)
        self._slide: Slide | None = None
        self._fill_trigger = Clock.create_trigger(self._fill_slide, 0)
        self.ids.slide_area.bind(size=self._fill_trigger)

    # --- the loop --------------------------------------------------------------------------

    def show(self, **params: Any) -> None:
        app = self.app
        pack = app.content.pack
        items = [Item("video", video=v) for v in pack.videos if v.file not in app.video_problems]
        items += [Item("slide", slide=s) for s in base_slides(app)]
        self.items = items
        self.position = -1
        self.next_item()

    def next_item(self, *_: Any) -> None:
        self._stop_video()
        if self._next is not None:
            self._next.cancel()
            self._next = None
        if not self.items:
            return
        for _attempt in range(len(self.items)):
            self.position = (self.position + 1) % len(self.items)
            item = self.items[self.position]
            if item.kind == "slide" or self._play(item.video):
                break
        if self.items[self.position].kind == "slide":
            self._show_slide(self.items[self.position].slide)

    def _show_slide(self, slide: Any) -> None:
        self.mode = "slide"
        self.heading = slide.title
        self._slide = slide
        self._fill_trigger()
        self._next = Clock.schedule_once(self.next_item, self.app.settings.signage.slide_seconds)

    def _fill_slide(self, *_: Any) -> None:
        """Lay the slide out once the area's size is known (and again if it changes)."""
        slide = self._slide
        if self.mode != "slide" or slide is None:
            return
        root = self.app.root
        # People stand close to a kiosk: sized by the short side, like the rest of its screens
        sizes = SignSizes.for_height(min(root.width, root.height))
        body = self.ids.body
        body.spacing = sizes.gap  # the same gap as counted below
        body.clear_widgets()
        room = self.ids.slide_area.height - sizes.gap
        used = 0.0
        for block in slide.blocks:  # as much of the slide as fits; the sign shows the rest
            label = block_label(block, sizes)
            label.width = body.width or self.width
            label.wrap_now()
            if used + label.height > room and body.children:
                break
            body.add_widget(label)
            used += label.height + sizes.gap

    def _play(self, video: Any) -> bool:
        """Start `video` muted; False (and a note for staff) when its file is not there."""
        path = self.app.content.pack.path_of(video.file)
        if not path or not os.path.isfile(path):
            self._broken(video, strings.ATTRACT_VIDEO_MISSING)
            return False
        self.mode = "video"
        self.heading = video.title
        self._track = captions.Track(captions.load(self.app.content.pack.path_of(video.captions)))
        self.caption = ""
        player = self.ids.player
        player.volume = 0  # muted: the hall is quiet; captions carry the words
        player.source = path
        player.state = "play"
        now = clock.monotonic()
        self._started, self._progress = now, (0.0, now)
        self._current = video
        self._watch = Clock.schedule_interval(self._check, WATCH_SECONDS)
        return True

    def _check(self, _dt: float) -> None:
        """Captions follow the picture; a video that does not move on is skipped."""
        player = self.ids.player
        now = clock.monotonic()
        position = player.position if player.loaded else 0.0
        if position > self._progress[0] + 0.01:
            self._progress = (position, now)
        self.caption = self._track.at(position)
        if player.eos or now - self._started > MAX_VIDEO_SECONDS:
            self.next_item()
        elif now - self._progress[1] > STALL_SECONDS:
            reason = (
                strings.ATTRACT_VIDEO_STALLED if player.loaded else strings.ATTRACT_VIDEO_BROKEN
            )
            self._broken(self._current, reason)
            self.next_item()

    def _broken(self, video: Any, reason: str) -> None:
        self.app.video_problems[video.file] = f"{video.title}（{video.file}）：{reason}"
        self.items = [i for i in self.items if not (i.kind == "video" and i.video == video)]
        self.position = max(self.position - 1, -1)

    def _stop_video(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        player = self.ids.player
        if player.source:
            player.state = "stop"
            player.unload()
            player.source = ""
        self.caption = ""

    # --- leaving ---------------------------------------------------------------------------

    def on_touch_down(self, touch: Any) -> bool:
        """Any touch: home at once (the touch itself is not passed on to a tile)."""
        self.app.reset_session()
        return True

    def on_leave(self, *_: Any) -> None:
        self._stop_video()
        if self._next is not None:
            self._next.cancel()
            self._next = None


# --- admin screen and tour -----------------------------------------------------------------


def admin_rows(app: Any) -> list[tuple[str, str, bool]]:
    return [(strings.ATTRACT_PROBLEM, text, True) for text in app.video_problems.values()]


def _attract_slide(driver: Any) -> None:
    app = driver.app
    app.reset_session()
    screen = app.go("attract", remember=False)
    slides = [i for i, item in enumerate(screen.items) if item.kind == "slide"]
    if slides:
        screen.position = slides[0] - 1
        screen.next_item()


TOUR_STOPS = [("attract", _attract_slide)]

load_kv(__file__)
