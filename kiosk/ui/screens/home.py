"""The home screen: the site's entries as big tiles, the 12348 hotline, current notices."""

from __future__ import annotations

from typing import Any

from kivy.app import App

from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.widgets import Banner, Tile


class HomeScreen(KioskScreen):
    navigable = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        app = App.get_running_app()
        app.bind(entries=self._build_tiles, notices=self._build_notices)
        self._build_tiles()
        self._build_notices()

    def _build_tiles(self, *_: Any) -> None:
        grid = self.ids.tiles
        grid.clear_widgets()
        for feature in App.get_running_app().entries:
            title, subtitle = strings.ENTRIES[feature]
            tile = Tile(
                title=title, subtitle=subtitle, action=feature,
                background=theme.TILE_COLOURS.get(feature, theme.PRIMARY),
            )
            tile.bind(on_release=lambda t: App.get_running_app().open_entry(t.action))
            grid.add_widget(tile)

    def _build_notices(self, *_: Any) -> None:
        box = self.ids.notices
        box.clear_widgets()
        for title in App.get_running_app().notices:
            box.add_widget(Banner(text=f"{strings.NOTICE}：{title}"))


load_kv(__file__)
