"""Find text that does not fit: labels whose text is bigger than the label, and widgets that
stick out of their parent or the window. Used by the UI tests and by `kiosk tour`."""

from __future__ import annotations

from typing import Any

from kivy.core.window import Window
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen, ScreenManager
from kivy.uix.scrollview import ScrollView

TOLERANCE = 2.0


def _rect(widget: Any) -> tuple[float, float, float, float]:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, x + widget.width, y + widget.height


def _describe(widget: Any) -> str:
    text = getattr(widget, "source", "") or getattr(widget, "text", "")
    label = f" {text[:30]!r}" if text else ""
    widget_id = next(
        (k for k, v in (getattr(widget.parent, "ids", {}) or {}).items() if v is widget), ""
    )
    return f"{type(widget).__name__}{'#' + widget_id if widget_id else ''}{label}"


def _visible_children(widget: Any) -> list[Any]:
    if isinstance(widget, ScreenManager):
        current = widget.current_screen
        return [current] if current is not None else []
    return [c for c in widget.children if getattr(c, "opacity", 1) > 0]


def find_overflows(root: Any) -> list[str]:
    problems: list[str] = []
    window = (0.0, 0.0, float(Window.width), float(Window.height))

    def visit(widget: Any, clip: tuple[float, float, float, float], vertical_free: bool) -> None:
        x1, y1, x2, y2 = _rect(widget)
        cx1, cy1, cx2, cy2 = clip
        out_x = x1 < cx1 - TOLERANCE or x2 > cx2 + TOLERANCE
        out_y = not vertical_free and (y1 < cy1 - TOLERANCE or y2 > cy2 + TOLERANCE)
        if (out_x or out_y) and widget.width > 0 and widget.height > 0:
            problems.append(
                f"{_describe(widget)} at ({x1:.0f},{y1:.0f})-({x2:.0f},{y2:.0f}) is outside "
                f"({cx1:.0f},{cy1:.0f})-({cx2:.0f},{cy2:.0f})"
            )
        if isinstance(widget, Label) and widget.text.strip():
            if widget._trigger_texture.is_triggered:  # settled labels are already rendered
                widget.texture_update()
            tw, th = widget.texture_size
            if tw > widget.width + TOLERANCE or th > widget.height + TOLERANCE:
                problems.append(
                    f"{_describe(widget)}: text {tw:.0f}x{th:.0f} does not fit in "
                    f"{widget.width:.0f}x{widget.height:.0f}"
                )
        if isinstance(widget, ScrollView):
            inner_clip = _rect(widget)
            for child in _visible_children(widget):
                visit(child, inner_clip, True)
            return
        own = (x1, y1, x2, y2)
        for child in _visible_children(widget):
            # Screens fill their manager; children must stay inside their parent.
            visit(child, own if not isinstance(child, Screen) else clip, vertical_free)

    visit(root, window, False)
    return problems
