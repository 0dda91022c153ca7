"""Building blocks every screen uses: wrapped Chinese labels, big buttons, cards, tiles."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import Label as CoreLabel
from kivy.graphics.texture import Texture
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    ListProperty,
    NumericProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.label import Label

from kiosk import cjkwrap
from kiosk.ui import scrolling, theme

scrolling.install()  # every kv `ScrollView` shows "下面还有" and drags to the very end
cjkwrap.defer()  # word breaks load after the first frame (start_word_breaks), not before it

_measurers: dict[tuple[str, float, bool], cjkwrap.Measure] = {}
MEASURED_LIMIT = 50_000  # widths remembered per font; a long-running kiosk stays bounded


def measure_function(font_name: str, font_size: float, bold: bool) -> cjkwrap.Measure:
    """Text width in one font, remembered: labels rewrap on every size change (the home
    screen alone measures the same few words hundreds of times before its first frame)."""
    key = (font_name, round(font_size, 1), bold)
    measure = _measurers.get(key)
    if measure is None:
        core = CoreLabel(font_name=font_name, font_size=font_size, bold=bold)
        widths: dict[str, float] = {}

        def measure(text: str) -> float:
            width = widths.get(text)
            if width is None:
                if len(widths) >= MEASURED_LIMIT:
                    widths.clear()
                width = widths[text] = core.get_extents(text)[0]
            return width

        _measurers[key] = measure
    return measure


# Content marks what staff have not checked yet with 待核实. Residents never see the mark: a
# bracketed remark that carries it goes, a bare one reads 以现场为准 ("as on site").
_UNVERIFIED_REMARK = re.compile(r"[（(][^（()）]*待核实[^（()）]*[)）]")
# Technical details in brackets (an error's English text, a device path) are for staff.
_TECHNICAL_REMARK = re.compile(r"[（(][^（()）]*[A-Za-z]{3,}[^（()）]*[)）]")


def resident_text(text: str) -> str:
    """`text` as a resident may see it: without staff-only 待核实 marks or English details."""
    if "待核实" in text:
        text = _UNVERIFIED_REMARK.sub("", text).replace("待核实", "以现场为准")
    if "（" in text or "(" in text:
        text = _TECHNICAL_REMARK.sub("", text)
    return text


def wrap_text(text: str, width: float, font_name: str, font_size: float, bold: bool) -> str:
    if width <= 1 or not text:
        return text
    measure = measure_function(font_name, font_size, bold)
    # A small margin absorbs kerning differences between pieces and the whole line.
    return "\n".join(cjkwrap.wrap(text, width * 0.97, measure))


def start_word_breaks() -> None:
    """Load the word segmenter in a thread (called after the first frame); when it is ready,
    every label, on screen or built off screen, wraps again between words."""
    if cjkwrap.words_ready():
        return

    def work() -> None:
        if cjkwrap.load_words():
            Clock.schedule_once(_rewrap_everything, 0)

    threading.Thread(target=work, daemon=True, name="word-breaks").start()


def _rewrap_everything(*_: Any) -> None:
    from kivy.app import App
    from kivy.core.window import Window

    app = App.get_running_app()
    roots = list(Window.children) if Window else []
    manager = getattr(app, "screens", None)
    roots += list(getattr(manager, "screens", []))
    for root in roots:
        for widget in root.walk():
            if isinstance(widget, WrapLabel):
                widget._trigger_wrap()


class WrapLabel(Label):
    """A label that breaks Chinese lines properly and grows to fit its text.

    Set `source` (not `text`); `text` holds the wrapped form. With `fit_height` the label's
    height follows its text, so it can live in scrolling lists.
    """

    source = StringProperty("")
    fit_height = BooleanProperty(True)
    min_height = NumericProperty(0)
    # For fixed-height labels (fit_height False) that must never spill, e.g. a long official
    # site name in the header: set `max_font_size` and the text shrinks, down to
    # `min_font_size`, until it fits the label's height.
    max_font_size = NumericProperty(0)
    min_font_size = NumericProperty(36)
    # Staff screens show content as written (with 待核实); residents never see that mark.
    staff = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        self._trigger_wrap = Clock.create_trigger(self._rewrap, -1)
        super().__init__(**kwargs)
        for name in (
            "source",
            "width",
            "height",
            "font_size",
            "max_font_size",
            "bold",
            "font_name",
            "padding",
            "staff",
        ):
            self.fbind(name, self._trigger_wrap)
        self.fbind("texture_size", self._fit)
        self._trigger_wrap()

    def _rewrap(self, *_: Any) -> None:
        padding = self.padding if isinstance(self.padding, list | tuple) else [self.padding] * 4
        horizontal = padding[0] + (padding[2] if len(padding) == 4 else padding[0])
        inner = max(self.width - horizontal, 1)
        if self.max_font_size and not self.fit_height:
            vertical = padding[1] + (padding[3] if len(padding) == 4 else padding[1])
            self.font_size = self._size_that_fits(inner, self.height - vertical)
        source = self.source if self.staff else resident_text(self.source)
        self.text = wrap_text(source, inner, self.font_name, self.font_size, self.bold)
        self.text_size = (self.width, None)

    def _size_that_fits(self, width: float, height: float) -> float:
        size = self.max_font_size
        while size > self.min_font_size:
            lines = wrap_text(self.source, width, self.font_name, size, self.bold).count("\n") + 1
            line = CoreLabel(font_name=self.font_name, font_size=size).get_extents("国")[1]
            if lines * line * self.line_height <= height:
                break
            size -= 2
        return max(size, self.min_font_size)

    def _fit(self, *_: Any) -> None:
        if self.fit_height:
            self.height = max(self.texture_size[1], self.min_height)

    def wrap_now(self) -> None:
        """Wrap immediately (tests and screenshots need the final layout this frame)."""
        self._rewrap()
        self.texture_update()
        self._fit()


class KioskButton(ButtonBehavior, WrapLabel):
    """A big, high-contrast button at least one touch target tall."""

    background = ColorProperty(theme.PRIMARY)
    pressed = ColorProperty(theme.PRESSED)
    outline = ColorProperty([0, 0, 0, 0])  # a border for light buttons on light panels
    radius = NumericProperty(16)
    # For tests and statistics: what the button does, independent of its Chinese text.
    action = StringProperty("")
    # 朗读 says a tapped button's words (the header's own tools are not answers).
    speak = True

    def on_release(self) -> None:
        _tapped(self)


def _tapped(widget: Any) -> None:
    access = getattr(App.get_running_app(), "access", None)
    if access is not None:
        access.tapped(widget)


class SecondaryButton(KioskButton):
    """A light button with a border: 返回, 首页, cancel, the less likely choice."""


class Tile(ButtonBehavior, BoxLayout):
    """A home-screen entry: a title and a one-line explanation on a coloured card."""

    title = StringProperty("")
    subtitle = StringProperty("")
    background = ColorProperty(theme.PRIMARY)
    action = StringProperty("")
    speak = True

    def on_release(self) -> None:
        _tapped(self)

    def needed_height(self) -> float:
        """Height the title and (if shown) the explanation need, with padding."""
        title, subtitle = self.ids.title_label, self.ids.subtitle_label
        inner = max(self.width - self.padding[0] - self.padding[2], 1)
        for label in (title, subtitle):
            label.width = inner  # what the layout will give it; it may not have run yet
            label.wrap_now()
        shown = subtitle.opacity > 0
        return (
            self.padding[1]
            + self.padding[3]
            + title.height
            + ((self.spacing + subtitle.height) if shown else 0)
        )

    def show_subtitle(self, shown: bool) -> None:
        subtitle = self.ids.subtitle_label
        subtitle.opacity = 1 if shown else 0
        subtitle.fit_height = shown
        if not shown:
            subtitle.height = 0


class QRCode(Image):
    """A QR code drawn sharp (nearest-neighbour scaling) from `data`."""

    data = StringProperty("")

    def on_data(self, *_: Any) -> None:
        from kiosk.qr import qr_image

        if not self.data:
            self.texture = None
            return
        image = qr_image(self.data, box_size=1, border=2).convert("RGB")
        texture = Texture.create(size=image.size, colorfmt="rgb")
        texture.blit_buffer(image.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
        texture.flip_vertical()
        texture.mag_filter = "nearest"
        texture.min_filter = "nearest"
        self.texture = texture


class Card(BoxLayout):
    """A white panel with a rounded border for grouping content."""

    background = ColorProperty(theme.SURFACE)


class InfoRow(BoxLayout):
    """'label: value' on one row (wraps when long); used by detail and admin screens."""

    label = StringProperty("")
    value = StringProperty("")
    warn = BooleanProperty(False)
    staff = BooleanProperty(False)  # on staff screens: content exactly as written


class Banner(BoxLayout):
    """A full-width message strip: notices, warnings, stale-content hints."""

    text = StringProperty("")
    background = ColorProperty(theme.WARNING_BG)
    foreground = ColorProperty(theme.WARNING)
    lines = ListProperty([])


def app_theme() -> theme.Theme:
    return App.get_running_app().theme


Builder.load_file(str(Path(__file__).with_name("widgets.kv")))


def toggle_choice(button: Any, chosen: list[str], value: str) -> None:
    """A multiple-choice chip: tapping adds or removes `value` and shows it filled or plain."""
    if value in chosen:
        chosen.remove(value)
        button.background, button.color = theme.NAV_BUTTON, theme.NAV_TEXT
    else:
        chosen.append(value)
        button.background, button.color = theme.PRIMARY, theme.PRIMARY_TEXT
