"""`[signage] layout = strip`: a door-head LED strip (384x64, 352x80, 192x96 px ...).

One line of large text — now serving, the window's name, notices — scrolls smoothly from
right to left; a text that fits stands still, centred (e.g. a window-top strip showing its
counter's number). The line is drawn once into a texture and only its position changes each
frame, computed from the time (not summed frame steps), so a late frame never makes the text
jump or drift; the software renderer then has one textured rectangle to draw per frame.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, Rectangle, StencilPop, StencilPush, StencilUnUse, StencilUse
from kivy.properties import StringProperty

from kiosk import clock
from kiosk.signage import lines as queue_lines
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen

TEXT_SHARE = 0.78  # font size as a share of the strip's height (line height ~ 1.0-1.2 x font)
GAP = "　　"  # ideographic spaces between the items of the line


class StripScreen(KioskScreen):
    navigable = False
    line = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._texture: Any = None
        self._start = 0.0
        self._event: Any = None
        self.frames = 0  # drawn frame steps, for the benchmark
        with self.canvas:
            Color(*theme.HEADER)
            self._back = Rectangle(pos=self.pos, size=self.size)
            StencilPush()
            self._mask = Rectangle(pos=self.pos, size=self.size)
            StencilUse()
            self._colour = Color(1, 1, 1, 1)
            self._rect = Rectangle(pos=self.pos, size=(0, 0))
            StencilUnUse()
            self._mask2 = Rectangle(pos=self.pos, size=self.size)
            StencilPop()
        self.bind(pos=self._layout, size=self._layout)
        self._refresh = Clock.create_trigger(lambda _dt: self.refresh(), 0)
        self.app.bind(urgent_notices=self._refresh, notices=self._refresh, site_name=self._refresh)
        if hasattr(self.app, "hall_state"):
            self.app.bind(hall_state=self._refresh)

    # --- what the line says ----------------------------------------------------------------

    def items(self) -> list[str]:
        app = self.app
        counter = app.settings.signage.counter
        state = getattr(app, "hall_state", None)
        if counter:
            name, serving = queue_lines.one_counter(state or {}, counter)
            if not state and app.site:  # no hall server: the window's name from the pack
                name = next((w.number or w.name for w in app.site.windows if w.id == counter), name)
            # the number alone, as large as the strip allows (the counter's name is painted
            # above it anyway); its name while nobody is being served
            found = [serving or name]
        else:
            found = queue_lines.serving_lines(state) if state else []
            found = found or [app.site_name]
        found += [f"{strings.NOTICE_URGENT}：{t}" for t in app.urgent_notices]
        found += [f"{strings.NOTICE}：{t}" for t in app.notices]
        return found

    def refresh(self) -> None:
        text = GAP.join(self.items())
        if text == self.line and self._texture is not None:
            return
        self.line = text
        label = CoreLabel(
            text=text,
            font_size=max(int(self.height * TEXT_SHARE), 10),
            font_name="Kiosk",
            bold=True,
            color=(1, 0.84, 0.2, 1),  # amber on dark blue: the classic LED strip, high contrast
        )
        label.refresh()
        self._texture = label.texture
        self._rect.texture = self._texture
        self._rect.size = self._texture.size
        self._start = clock.monotonic()
        self.step()

    @property
    def scrolling(self) -> bool:
        return self._texture is not None and self._texture.width > self.width

    def speed(self) -> float:
        """Pixels per second: [signage] strip_speed characters of the strip's font size."""
        return self.app.settings.signage.strip_speed * self.height * TEXT_SHARE

    # --- drawing -------------------------------------------------------------------------

    def step(self, *_: Any) -> None:
        if self._texture is None:
            return
        width, height = self._texture.size
        y = self.y + (self.height - height) / 2
        if not self.scrolling:
            self._rect.pos = (self.x + (self.width - width) / 2, y)
        else:
            travel = width + self.width  # enter at the right edge, leave at the left
            offset = (clock.monotonic() - self._start) * self.speed() % travel
            self._rect.pos = (round(self.x + self.width - offset), y)
        self.frames += 1

    def _layout(self, *_: Any) -> None:
        for rect in (self._back, self._mask, self._mask2):
            rect.pos, rect.size = self.pos, self.size
        self._texture = None
        self._refresh()

    def show(self, **params: Any) -> None:
        self._refresh()
        if self._event is None:
            self._event = Clock.schedule_interval(self.step, 0)  # every frame

    def on_leave(self, *_: Any) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None


def _strip(driver: Any) -> None:
    driver.app.go("strip", remember=False)
