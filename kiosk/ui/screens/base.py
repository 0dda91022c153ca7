"""The base of every screen: a title, parameters from navigation, and forgetting on reset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen


class KioskScreen(Screen):
    """Screens get their data from `app.content` and `app.session`, never from globals.

    `show(**params)` is called each time the screen is navigated to; `forget()` when the
    resident's session is reset, and must drop everything the resident entered.
    """

    title = StringProperty("")
    # Whether 返回/首页 are shown (the home screen hides them).
    navigable = BooleanProperty(True)
    # Whether being on this screen means a resident is in the middle of something.
    busy = BooleanProperty(False)
    # True while a long list is still being filled in, a few rows per frame after the first
    # screenful (the resident sees the top at once); tests and the tour wait for False.
    filling = BooleanProperty(False)

    @property
    def app(self) -> Any:
        return App.get_running_app()

    def show(self, **params: Any) -> None:
        """Prepare for display with navigation parameters."""

    def forget(self) -> None:
        """Drop all per-resident state held by widgets of this screen."""

    def handle_back(self) -> bool:
        """返回 was pressed here: return True when the screen went back by itself (e.g. to
        the previous question of a walkthrough) instead of the navigation history."""
        return False


def load_kv(module_file: str) -> None:
    """Load the .kv file next to a screen module exactly once."""
    path = str(Path(module_file).with_suffix(".kv"))
    Builder.unload_file(path)
    Builder.load_file(path)
