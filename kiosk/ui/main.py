"""Start the Kivy app for real (blocking), after configuring Kivy for kiosk use."""

from __future__ import annotations

from pathlib import Path

from kiosk.config import Settings
from kiosk.packs.loader import LoadedContent
from kiosk.ui import boot


def window_options(settings: Settings) -> boot.WindowOptions:
    return boot.WindowOptions(
        size=settings.display.size,
        position=settings.display.position,
        fullscreen=settings.display.fullscreen,
        rotation=settings.display.rotation,
        maxfps=settings.display.maxfps,
    )


def run_app(
    settings: Settings, loaded: LoadedContent, smoke: bool = False, screenshot: Path | None = None
) -> int:
    boot.prepare(window_options(settings), settings.kiosk.data_dir / "kivy")
    from kiosk.ui.app import KioskApp

    app = KioskApp(settings, loaded, hardened=settings.display.fullscreen, smoke=smoke)
    app.smoke_screenshot = screenshot
    app.run()
    return 0
