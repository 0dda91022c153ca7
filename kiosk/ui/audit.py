"""Measure what a resident meets on a screen: text size, touch-target size and contrast.

Read from the live widget tree after layout: every visible label's font size in px, every
visible button's smaller side in px, and the contrast ratio (WCAG 2 formula) between each
label's colour and the colour actually painted behind it (the nearest fill of the label or an
ancestor that covers it, translucent layers blended, the window's clear colour last).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kivy.core.window import Window
from kivy.graphics import Color, Rectangle, RoundedRectangle
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label

REFERENCE_SHORT_SIDE = 1080
# (min text px, min target px, min contrast) at a 1080-px short side
THRESHOLDS = {"normal": (32.0, 120.0, 4.5), "elder": (48.0, 160.0, 7.0)}


@dataclass
class Measure:
    value: float
    widget: str


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _blend(top: list[float], under: tuple[float, float, float]) -> tuple[float, float, float]:
    alpha = top[3] if len(top) > 3 else 1.0
    return tuple(top[i] * alpha + under[i] * (1 - alpha) for i in range(3))  # type: ignore[return-value]


def _fills(node: Any, x: float, y: float) -> list[list[float]]:
    """Colours `node` paints under window point (x, y), last painted first."""
    found: list[list[float]] = []
    colour: list[float] | None = None
    for canvas in (node.canvas.before, node.canvas):
        if canvas is None:
            continue
        for instruction in canvas.children:
            if isinstance(instruction, Color):
                colour = list(instruction.rgba)
            elif isinstance(instruction, Rectangle | RoundedRectangle) and colour is not None:
                own = getattr(node, "texture", None)
                if own is not None and instruction.texture is own:
                    continue  # the label's text or the image itself, not a fill
                left, bottom = node.to_window(*instruction.pos)
                width, height = instruction.size
                if left <= x <= left + width and bottom <= y <= bottom + height and colour[3] > 0:
                    found.append(colour)
    return list(reversed(found))


def background_of(label: Any) -> tuple[float, float, float]:
    """The colour painted behind the middle of `label`."""
    x, y = label.to_window(label.center_x, label.center_y)
    layers: list[list[float]] = []
    node = label
    while node is not None:
        for colour in _fills(node, x, y):
            layers.append(colour)
            if colour[3] >= 0.99:
                break
        if layers and layers[-1][3] >= 0.99:
            break
        parent = node.parent
        node = None if parent is node else parent
    base = tuple(Window.clearcolor[:3]) if not layers or layers[-1][3] < 0.99 else None
    colour: tuple[float, float, float] = base or tuple(layers[-1][:3])  # type: ignore[assignment]
    for layer in reversed(layers[:-1] if base is None else layers):
        colour = _blend(layer, colour)
    return colour


def _describe(widget: Any) -> str:
    text = " ".join((getattr(widget, "source", "") or getattr(widget, "text", "")).split())
    action = getattr(widget, "action", "")
    name = type(widget).__name__
    return f"{name}{'[' + action + ']' if action else ''} {text[:24]!r}".strip()


def measure(widgets: list[Any]) -> dict[str, Measure | None]:
    """Smallest text, smallest target and lowest contrast among the visible `widgets`."""
    text = target = low = None
    for widget in widgets:
        if widget.width <= 0 or widget.height <= 0:
            continue
        if isinstance(widget, ButtonBehavior) and not getattr(widget, "audit_skip", False):
            side = min(widget.width, widget.height)
            if target is None or side < target.value:
                target = Measure(side, _describe(widget))
        if isinstance(widget, Label) and widget.text.strip():
            size = float(widget.font_size)
            if text is None or size < text.value:
                text = Measure(size, _describe(widget))
            under = background_of(widget)
            ratio = contrast(_blend(list(widget.color), under), under)
            if low is None or ratio < low.value:
                low = Measure(ratio, _describe(widget))
    return {"text": text, "target": target, "contrast": low}


def settle_layout(driver: Any, rounds: int = 2) -> None:
    """Let wrapping and layout finish without drawing a frame.

    The audit reads sizes, fonts and the colours of canvas instructions from the widget tree:
    it needs the clock's layout and wrapping callbacks, not pixels. Drawing and flipping a
    frame under Xvfb's software GL costs ~0.2 s; the tour and screenshots still draw
    (driver.settle)."""
    from kivy.clock import Clock
    from kivy.lang import Builder

    from kiosk.ui.widgets import WrapLabel

    def tick(frames: int) -> None:
        for _ in range(frames):
            Clock.tick()
            Builder.sync()
            Clock.tick_draw()
            Builder.sync()

    tick(3)
    for _ in range(rounds):
        for widget in driver.walk():
            if isinstance(widget, WrapLabel):
                widget.wrap_now()
        tick(3)


def audit_now(driver: Any, screen: str, mode: str) -> dict[str, Any]:
    """One row of `kiosk tour --audit` for what the window shows now."""
    settle_layout(driver)
    widgets = [
        w for w in driver.walk() if driver.is_visible(w) and not _hidden_by_overlay(driver, w)
    ]
    found = measure(widgets)
    scale = min(Window.size) / REFERENCE_SHORT_SIDE
    text_min, target_min, contrast_min = THRESHOLDS[mode]
    text, target, low = found["text"], found["target"], found["contrast"]
    row: dict[str, Any] = {
        "screen": screen,
        "mode": mode,
        "min_text_px": round(text.value, 1) if text else None,
        "min_target_px": round(target.value, 1) if target else None,
        "min_contrast": round(low.value, 2) if low else None,
    }
    problems = []
    if text and text.value < text_min * scale - 0.5:
        problems.append(f"text {text.value:.0f} px < {text_min * scale:.0f}: {text.widget}")
    if target and target.value < target_min * scale - 0.5:
        problems.append(f"target {target.value:.0f} px < {target_min * scale:.0f}: {target.widget}")
    if low and low.value < contrast_min - 0.005:
        problems.append(f"contrast {low.value:.2f} < {contrast_min}: {low.widget}")
    row["ok"] = not problems
    row["problems"] = problems
    return row


def _hidden_by_overlay(driver: Any, widget: Any) -> bool:
    """Under an overlay only the overlay counts: the shell below cannot be touched or read."""
    overlay = getattr(driver.app, "overlay", None)
    if overlay is None:
        return False
    node = widget
    while node is not None:
        if node is overlay:
            return False
        parent = node.parent
        node = None if parent is node else parent
    return True
