"""Drive the real app in this process, frame by frame: for UI tests and `kiosk tour`.

The window is created at its final size (resizing under Xvfb spoils screenshots), touches go
through Kivy's normal input path (so the idle timer sees them), and screenshots are rendered
from the widget tree with export_to_png.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kiosk.config import Settings
from kiosk.packs.loader import LoadedContent
from kiosk.ui import boot


class Driver:
    def __init__(self, app: Any) -> None:
        self.app = app

    @classmethod
    def start(
        cls, settings: Settings, loaded: LoadedContent, hardened: bool = True, stats: bool = True
    ) -> Driver:
        from kiosk.ui.main import window_options

        boot.prepare(window_options(settings), settings.kiosk.data_dir / "kivy")
        from kivy.base import EventLoop, runTouchApp

        from kiosk import cjkwrap
        from kiosk.ui.app import KioskApp

        # Word breaks from the first picture on (a live kiosk loads them after its first
        # frame): tests and the tour must not depend on when a thread finishes.
        cjkwrap.load_words()

        app = KioskApp(settings, loaded, hardened=hardened)
        app.stats_enabled = stats
        app._run_prepare()
        runTouchApp(embedded=True)
        EventLoop.window.dispatch("on_resize", *EventLoop.window.size)
        driver = cls(app)
        driver.pump(5)
        return driver

    # --- time --------------------------------------------------------------------------

    def pump(self, frames: int = 3) -> None:
        """Draw `frames` frames; none once the app has stopped (a real kiosk's loop ends)."""
        from kivy.app import App
        from kivy.base import EventLoop

        for _ in range(frames):
            if App.get_running_app() is not self.app:
                return
            EventLoop.idle()

    def layout(self, rounds: int = 3) -> None:
        """What a frame does except drawing it: clock events, input, kv rules, layouts and
        label textures. Checks of sizes and text need no pixels, and under Xvfb every drawn
        frame costs a software-rendered full window (about 0.1 s of CPU at 1080x1920)."""
        from kivy.app import App
        from kivy.base import EventLoop
        from kivy.clock import Clock
        from kivy.lang import Builder

        for _ in range(rounds):
            if App.get_running_app() is not self.app:
                return
            Clock.tick()
            EventLoop.dispatch_input()
            Builder.sync()
            Clock.tick_draw()
            Builder.sync()

    def wait(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(1)
            if predicate():
                return True
            time.sleep(0.01)
        return predicate()

    # --- finding -----------------------------------------------------------------------

    def walk(self, root: Any = None) -> Iterator[Any]:
        from kivy.core.window import Window

        start = root or Window
        yield from start.walk(restrict=True) if root else _walk_window(Window)

    def find_all(
        self,
        cls: type | str | None = None,
        text: str | None = None,
        action: str | None = None,
        root: Any = None,
        visible: bool = True,
    ) -> list[Any]:
        found = []
        for widget in self.walk(root):
            if cls is not None:
                name = cls if isinstance(cls, str) else cls.__name__
                if name not in (k.__name__ for k in type(widget).__mro__):
                    continue
            if (
                text is not None
                and text not in (getattr(widget, "source", "") or "")
                and text not in (getattr(widget, "text", "") or "")
            ):
                continue
            if action is not None and getattr(widget, "action", None) != action:
                continue
            if visible and not self.is_visible(widget):
                continue
            found.append(widget)
        return found

    def find(self, **criteria: Any) -> Any:
        found = self.find_all(**criteria)
        if not found:
            raise LookupError(f"no visible widget matching {criteria}")
        return found[0]

    def is_visible(self, widget: Any) -> bool:
        from kivy.uix.screenmanager import Screen

        node = widget
        while node is not None:
            if getattr(node, "opacity", 1) == 0 or getattr(node, "disabled", False):
                return False
            if isinstance(node, Screen) and node.manager and node.manager.current != node.name:
                return False
            parent = node.parent
            if parent is node:
                break
            node = parent
        return True

    # --- input -------------------------------------------------------------------------

    def tap(self, widget: Any) -> None:
        """Tap the widget's centre, first scrolling it into view as a person would.

        A tap outside the window or outside the scrolled area reaches nothing, so it raises
        instead of passing silently (a test that taps such a widget proves nothing)."""
        self.scroll_into_view(widget)
        x, y = widget.to_window(*widget.center)
        from kivy.core.window import Window

        if not (0 <= x < Window.width and 0 <= y < Window.height):
            raise LookupError(f"{widget!r} lies outside the window at ({x:.0f}, {y:.0f})")
        self.tap_at(x, y)

    def scroll_into_view(self, widget: Any) -> None:
        """Scroll every enclosing ScrollView until the widget's centre shows in it."""
        from kivy.uix.scrollview import ScrollView

        node = widget.parent
        while node is not None and node is not node.parent:
            if isinstance(node, ScrollView) and not _centre_inside(widget, node):
                node.scroll_to(widget, padding=10, animate=False)
                self.pump(2)
                if not _centre_inside(widget, node):
                    raise LookupError(f"{widget!r} cannot be scrolled into view")
            node = node.parent

    def tap_at(self, x: float, y: float) -> None:
        from kivy.tests.common import UnitTestTouch

        touch = UnitTestTouch(x, y)
        touch.touch_down()
        self.layout(1)  # the finger is down: events run, nothing needs drawing yet
        touch.touch_up()
        self.pump(1)  # the frame a person sees after the tap
        self.layout(1)

    def press(self, **criteria: Any) -> Any:
        """Tap the first visible match, waiting (up to 10 s) for it to appear as a person
        waits for a screen to show: on a loaded machine a screen can take a few frames."""
        if not self.find_all(**criteria):
            self.wait(lambda: bool(self.find_all(**criteria)), timeout=10.0)
        widget = self.find(**criteria)
        self.tap(widget)
        return widget

    def key(self, keycode: int) -> None:
        from kivy.core.window import Window

        Window.dispatch("on_key_down", keycode, 0, "", [])
        Window.dispatch("on_keyboard", keycode, 0, "", [])
        Window.dispatch("on_key_up", keycode, 0)
        self.pump(2)

    # --- output ------------------------------------------------------------------------

    def screenshot(self, path: Path) -> Path:
        from kivy.core.window import Window

        self.settle()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        Window.children[0].export_to_png(str(path)) if len(
            Window.children
        ) == 1 else self._export_window(path)
        return path

    def _export_window(self, path: Path) -> None:
        from kivy.core.window import Window

        # Several top-level widgets (a popup): render the window's own canvas.
        Window.canvas.ask_update()
        self.pump(1)
        Window.screenshot(name=str(path))
        produced = sorted(path.parent.glob(path.stem + "*" + path.suffix))
        if produced and produced[-1] != path:
            produced[-1].rename(path)

    def settle(self) -> None:
        """Let wrapping and layout finish (they are deferred a frame or two), without drawing:
        screenshots render the widget tree themselves, checks read sizes."""
        from kiosk.ui.widgets import WrapLabel

        self.layout(3)
        for _ in range(200):  # a long list fills in a few rows per frame
            screen = self.app.screens.current_screen
            if not getattr(screen, "filling", False):
                break
            self.layout(1)
        for widget in self.walk():
            if isinstance(widget, WrapLabel):
                widget.wrap_now()
        self.layout(3)

    def overflows(self) -> list[str]:
        from kiosk.ui.inspect import find_overflows

        self.settle()
        return find_overflows(self.app.root)

    def stop(self) -> None:
        from kivy.base import stopTouchApp

        self.app.stop()
        stopTouchApp()


def _walk_window(window: Any) -> Iterator[Any]:
    for child in list(window.children):
        yield from child.walk(restrict=True)


def _centre_inside(widget: Any, view: Any) -> bool:
    """Whether the widget's centre lies within the view's area, in window coordinates."""
    x, y = widget.to_window(*widget.center)
    left, bottom = view.to_window(view.x, view.y)
    return left <= x <= left + view.width and bottom <= y <= bottom + view.height
