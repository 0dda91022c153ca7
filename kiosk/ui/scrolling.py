"""Every scrolling list of the kiosk: a visible "下面还有" cue and drags that reach the end.

Registered under Kivy's own name `ScrollView`, so every kv rule and screen gets it without
changes. The cue is drawn (not a widget: it never takes layout space) at the bottom of the
view while more content lies below; `ScrollEffect` stops exactly at both ends, where Kivy's
default damped effect settled short of the end after a touch drag.
"""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.effects.scroll import ScrollEffect
from kivy.factory import Factory
from kivy.graphics import Color, Rectangle, RoundedRectangle
from kivy.uix.scrollview import ScrollView as KivyScrollView

from kiosk.ui import strings, theme


class ScrollView(KivyScrollView):
    """A ScrollView with the cue; `more_cue = False` turns it off for one view."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("effect_cls", ScrollEffect)
        self.more_cue = True
        super().__init__(**kwargs)
        with self.canvas.after:
            self._cue_bg_colour = Color(*theme.PRIMARY_DARK)
            self._cue_bg = RoundedRectangle(size=(0, 0))
            self._cue_colour = Color(1, 1, 1, 1)
            self._cue = Rectangle(size=(0, 0))
        self._cue_key: tuple[float, str] | None = None
        self._cue_trigger = Clock.create_trigger(self._update_cue, -1)
        for name in ("scroll_y", "size", "pos"):
            self.fbind(name, self._cue_trigger)
        self.fbind("children", self._watch_child)

    def _watch_child(self, *_: Any) -> None:
        for child in self.children:
            child.fbind("height", self._cue_trigger)
        self._cue_trigger()

    @property
    def more_below(self) -> bool:
        """Content continues under the bottom edge (what the cue says)."""
        child = self.children[0] if self.children else None
        if child is None or child.height <= self.height + 2:
            return False
        hidden_below = (child.height - self.height) * self.scroll_y
        return hidden_below > 8

    def _update_cue(self, *_: Any) -> None:
        app = App.get_running_app()
        if not self.more_cue or app is None or not self.more_below:
            # A zero-size RoundedRectangle still paints its corner radius as a blob: hide by alpha.
            self._cue_bg_colour.a = self._cue_colour.a = 0
            self._cue.size = (0, 0)
            self._cue_bg.size = (0, 0)
            return
        self._cue_bg_colour.a = self._cue_colour.a = 1
        size = app.theme.small
        key = (size, strings.MORE_BELOW)
        if self._cue_key != key:
            core = CoreLabel(text=strings.MORE_BELOW, font_size=size, bold=True)
            core.refresh()
            self._cue.texture = core.texture
            self._cue_key = key
        tw, th = self._cue.texture.size
        pad_x, pad_y = size * 0.6, size * 0.25
        width, height = tw + 2 * pad_x, th + 2 * pad_y
        x = self.x + (self.width - width) / 2
        y = self.y + size * 0.3
        self._cue_bg.pos, self._cue_bg.size = (x, y), (width, height)
        self._cue_bg.radius = [height / 2]
        self._cue.pos, self._cue.size = (x + pad_x, y + pad_y), (tw, th)


def install() -> None:
    """Make `ScrollView` in every kv rule this one (before any kv file is loaded)."""
    Factory.unregister("ScrollView")
    Factory.register("ScrollView", cls=ScrollView)
