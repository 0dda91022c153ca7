"""Configure Kivy before any of it is imported: window geometry, input, kiosk hardening.

Kivy reads its Config when `kivy.core.window` is first imported, so this module must run
first. On a bare X server there is no window manager to honour "fullscreen", so fullscreen
means a borderless window of the configured size placed at 0,0.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WindowOptions:
    size: tuple[int, int] = (1080, 1920)
    position: tuple[int, int] = (0, 0)  # top-left corner on the desktop (an LED region)
    fullscreen: bool = True  # kiosk mode: borderless at 0,0, no cursor, no quitting
    rotation: int = 0
    maxfps: int = 30


def prepare(options: WindowOptions, kivy_home: Path) -> None:
    """Set environment and Kivy Config; call before importing anything from kivy."""
    kivy_home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "MIXED")  # never swallow stderr: errors must show
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ["KIVY_HOME"] = str(kivy_home)
    os.environ.setdefault("KIVY_USE_DEFAULTCONFIG", "1")
    os.environ.setdefault("KIVY_IMAGE", "sdl2,pil")
    os.environ.setdefault("KIVY_VIDEO", "ffpyplayer")
    os.environ.setdefault("KIVY_AUDIO", "ffpyplayer")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

    from kivy.config import Config

    width, height = options.size
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "pause_on_minimize", "0")
    Config.set("kivy", "log_level", os.environ.get("KIOSK_KIVY_LOG", "warning"))
    Config.set("graphics", "fullscreen", "0")
    Config.set("graphics", "borderless", "1" if options.fullscreen else "0")
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "0" if options.fullscreen else "1")
    placed = options.fullscreen or options.position != (0, 0)
    Config.set("graphics", "position", "custom" if placed else "auto")
    Config.set("graphics", "left", str(options.position[0]))
    Config.set("graphics", "top", str(options.position[1]))
    Config.set("graphics", "show_cursor", "0" if options.fullscreen else "1")
    Config.set("graphics", "allow_screensaver", "0")
    Config.set("graphics", "rotation", str(options.rotation))
    Config.set("graphics", "maxfps", str(options.maxfps))
    Config.set("graphics", "multisamples", "0")
    for key, _ in Config.items("input"):
        Config.remove_option("input", key)
    # One mouse provider without the red multitouch-emulation dots; touch screens appear
    # through SDL as mouse/finger events on X11.
    Config.set("input", "mouse", "mouse,disable_multitouch,disable_on_activity")
    for key, _ in Config.items("modules") if Config.has_section("modules") else []:
        Config.remove_option("modules", key)
