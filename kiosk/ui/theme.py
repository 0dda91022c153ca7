"""Colours and sizes in one place.

Sizes are given for the 1080-pixel short side of a 1080x1920 portrait screen and scale with the
short side of the window, so landscape 1920x1080 keeps the same text and touch-target sizes.
Minimums at 1080: touch targets 120 px high, body text 36 px.
"""

from __future__ import annotations

from typing import ClassVar

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty
from kivy.utils import get_color_from_hex

REFERENCE_SHORT_SIDE = 1080


def rgba(hex_colour: str) -> list[float]:
    return get_color_from_hex(hex_colour)


# Palette: calm, high contrast (WCAG AA or better for every text/background pair used).
BACKGROUND = rgba("#F4F1EA")
SURFACE = rgba("#FFFFFF")
HEADER = rgba("#123F73")
HEADER_TEXT = rgba("#FFFFFF")
PRIMARY = rgba("#1B56A0")
PRIMARY_DARK = rgba("#123F73")
PRIMARY_TEXT = rgba("#FFFFFF")
TEXT = rgba("#1A1A1A")
TEXT_MUTED = rgba("#4A4A4A")
HOTLINE = rgba("#B3261E")
HOTLINE_TEXT = rgba("#FFFFFF")
WARNING = rgba("#8A4B00")
WARNING_BG = rgba("#FFF1D6")
SUCCESS = rgba("#1E6B34")
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
        "radius": 20,
    }
    TEXT_KEYS: ClassVar[tuple[str, ...]] = ("body", "small", "title", "headline")

    def fit(self, width: float, height: float) -> None:
        """Recompute every size for a window of width x height."""
        self.scale = min(width, height) / REFERENCE_SHORT_SIDE
        self._apply()

    def on_large_text(self, *_: object) -> None:
        self._apply()

    def _apply(self) -> None:
        boost = 1.25 if self.large_text else 1.0
        for key, value in self.BASE.items():
            factor = self.scale * (boost if key in self.TEXT_KEYS else 1.0)
            setattr(self, key, round(value * factor))
