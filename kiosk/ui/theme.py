"""Colours and sizes in one place.

Sizes are given for the 1080-pixel short side of a 1080x1920 portrait screen and scale with the
short side of the window, so landscape 1920x1080 keeps the same text and touch-target sizes.
Minimums at 1080: touch targets 120 px high, body text 36 px. 长者模式 (`elder`) multiplies
text by ELDER_TEXT and touch targets by ELDER_TOUCH, so every screen gets bigger at once.

Every text/background pair of the palette reaches 7:1 (WCAG AAA), the 长者模式 threshold, so
high contrast holds in both modes; `kiosk tour --audit` measures it on every screen.
"""

from __future__ import annotations

from typing import ClassVar

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty
from kivy.utils import get_color_from_hex

REFERENCE_SHORT_SIDE = 1080
ELDER_TEXT = 1.4  # 长者模式: text x1.4 (WeChat 关怀模式's factor)
ELDER_TOUCH = 1.3  # 长者模式: touch targets x1.3 (140 -> 182 px at 1080)
# 长者模式 factors of the bars: the nav bar's buttons grow (their padding shrinks), the header
# grows only by its tools, so landscape keeps room for the screen itself.
ELDER_GEOMETRY = {"touch": ELDER_TOUCH, "big_touch": ELDER_TOUCH, "tool": ELDER_TOUCH, "nav": 1.1}


def rgba(hex_colour: str) -> list[float]:
    return get_color_from_hex(hex_colour)


# Palette: calm, high contrast (7:1 or better for every text/background pair used).
BACKGROUND = rgba("#F4F1EA")
SURFACE = rgba("#FFFFFF")
HEADER = rgba("#123F73")
HEADER_TEXT = rgba("#FFFFFF")
PRIMARY = rgba("#164A8C")
PRIMARY_DARK = rgba("#123F73")
PRIMARY_TEXT = rgba("#FFFFFF")
TEXT = rgba("#1A1A1A")
TEXT_MUTED = rgba("#4A4A4A")
HOTLINE = rgba("#841A14")
HOTLINE_TEXT = rgba("#FFFFFF")
WARNING = rgba("#6B3A00")
WARNING_BG = rgba("#FFF1D6")
SUCCESS = rgba("#155027")
DIVIDER = rgba("#D6D0C4")
PRESSED = rgba("#0E3159")
OVERLAY_DIM = [0, 0, 0, 0.55]
NAV_BG = rgba("#E6E0D4")
NAV_BUTTON = rgba("#FFFFFF")
NAV_TEXT = rgba("#123F73")


class Theme(EventDispatcher):
    """Scaled sizes; kv rules bind to these so a resize re-lays everything out."""

    scale = NumericProperty(1.0)
    large_text = BooleanProperty(False)
    # 长者模式: bigger text and targets for this visit (the App switches it; reset forgets it)
    elder = BooleanProperty(False)

    # text sizes (px at scale 1)
    body = NumericProperty(40)
    small = NumericProperty(36)
    title = NumericProperty(56)
    headline = NumericProperty(72)
    huge = NumericProperty(150)
    # geometry (px at scale 1)
    touch = NumericProperty(140)  # minimum button height
    big_touch = NumericProperty(180)
    pad = NumericProperty(32)
    gap = NumericProperty(24)
    header = NumericProperty(180)
    nav = NumericProperty(170)
    tool = NumericProperty(124)  # height of the header's tool buttons (长者模式, 朗读, 呼叫)
    radius = NumericProperty(20)

    BASE: ClassVar[dict[str, int]] = {
        "body": 40,
        "small": 36,
        "title": 56,
        "headline": 72,
        "huge": 150,
        "touch": 140,
        "big_touch": 180,
        "pad": 32,
        "gap": 24,
        "header": 180,
        "nav": 170,
        "tool": 124,
        "radius": 20,
    }
    TEXT_KEYS: ClassVar[tuple[str, ...]] = ("body", "small", "title", "headline")

    def fit(self, width: float, height: float) -> None:
        """Recompute every size for a window of width x height."""
        self.scale = min(width, height) / REFERENCE_SHORT_SIDE
        self._apply()

    def on_large_text(self, *_: object) -> None:
        self._apply()

    def on_elder(self, *_: object) -> None:
        self._apply()

    def _apply(self) -> None:
        text = (1.25 if self.large_text else 1.0) * (ELDER_TEXT if self.elder else 1.0)
        touch = 1 if self.elder else 0  # exponent: factor ** 0 == 1 in normal mode
        for key, value in self.BASE.items():
            factor = text if key in self.TEXT_KEYS else ELDER_GEOMETRY.get(key, 1.0) ** touch
            setattr(self, key, round(value * self.scale * factor))
