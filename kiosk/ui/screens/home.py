"""The home screen: the site's entries as big tiles, the 12348 hotline, current notices."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty

from kiosk.ui import features, strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.widgets import Banner, Tile

MAX_NOTICES = 2


class HomeScreen(KioskScreen):
    navigable = False
    landscape = BooleanProperty(False)
    portrait_cols = NumericProperty(2)

    def on_size(self, *_: Any) -> None:
        self.landscape = self.width > self.height
        self.on_landscape()

    def on_landscape(self, *_: Any) -> None:
        """Portrait: the hotline is a strip under the tiles; landscape: a column beside them.

        Set in Python because a kv size_hint that switches to None keeps whatever height the
        first layout pass gave it.
        """
        hotline, number, words = self.ids.hotline, self.ids.hotline_number, self.ids.hotline_text
        welcome = self.ids.welcome
        size = App.get_running_app().theme
        if self.landscape or size.elder:  # 长者模式: the tiles say it themselves
            welcome.opacity, welcome.min_height, welcome.fit_height = 0, 0, False
            welcome.size_hint_y, welcome.height = None, 0
        else:
            welcome.opacity, welcome.fit_height = 1, True
            welcome.wrap_now()
        if self.landscape:
            hotline.orientation = "vertical"
            hotline.size_hint = (0.3, 1)
            words.size_hint_y = 1
            number.font_size = size.huge * 0.75
            number.size_hint = (1, None)
            number.height = number.texture_size[1]
            self.ids.hotline_call.font_size = size.title * 0.85  # one line in the column
            hint = self.ids.hotline_hint  # the narrow column has room for the number only
            hint.opacity, hint.fit_height, hint.size_hint_y, hint.height = 0, False, None, 0
        else:
            hotline.orientation = "horizontal"
            hotline.size_hint = (1, None)
            hotline.height = size.scale * (330 if size.elder else 300)
            words.size_hint_y = 1
            number.size_hint = (None, 1)
            number.font_size = size.huge
            self.ids.hotline_call.font_size = size.title
            hint = self.ids.hotline_hint
            if size.elder:  # 长者模式: the call to action and the number only
                hint.opacity, hint.fit_height, hint.size_hint_y, hint.height = 0, False, None, 0
            else:
                hint.opacity, hint.fit_height, hint.size_hint_y = 1, True, None
                hint.wrap_now()
            number.width = number.texture_size[0]

    def _fit_tiles(self, *_: Any) -> None:
        """Tiles too short for title and explanation (many entries, notices, landscape) show
        their titles only, all alike."""
        tiles = list(self.ids.tiles.children)
        size = App.get_running_app().theme
        elder = size.elder  # 长者模式: fewer words, bigger ones
        # 长者模式 in portrait: one tile a row, unless that makes them short (many entries, a
        # notice, the stale-content strip); then two columns of tall tiles.
        grid = self.ids.tiles
        rows = max(1, len(tiles))
        one_column = (grid.height - grid.spacing[1] * (rows - 1)) / rows
        self.portrait_cols = 1 if elder and one_column >= size.big_touch else 2
        for tile in tiles:
            tile.show_subtitle(not elder)
        if not elder and any(tile.needed_height() > tile.height + 1 for tile in tiles):
            for tile in tiles:
                tile.show_subtitle(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fit_trigger = Clock.create_trigger(self._fit_tiles, -1)
        self.ids.tiles.bind(size=self._fit_trigger, children=self._fit_trigger)
        app = App.get_running_app()
        app.bind(entries=self._build_tiles, notices=self._build_notices)
        app.theme.bind(scale=self.on_landscape, elder=self.on_landscape)
        app.theme.bind(elder=self._build_notices, body=self._fit_trigger)
        app.theme.bind(elder=self._fit_trigger)
        self.ids.hotline_number.bind(texture_size=self.on_landscape)
        self._build_tiles()
        self._build_notices()

    def _build_tiles(self, *_: Any) -> None:
        grid = self.ids.tiles
        grid.clear_widgets()
        tiles = features.entries()
        for feature in App.get_running_app().entries:
            title, subtitle = strings.ENTRIES[feature]
            tile = Tile(
                title=title,
                subtitle=subtitle,
                action=feature,
                background=theme.rgba(tiles[feature].colour),
            )
            tile.bind(on_release=lambda t: App.get_running_app().open_entry(t.action))
            tile.bind(size=self._fit_trigger)
            grid.add_widget(tile)

    def _build_notices(self, *_: Any) -> None:
        box = self.ids.notices
        box.clear_widgets()
        # At most two, so that notices never push the tiles off the screen; the sign shows all.
        app = App.get_running_app()
        for title in app.notices[: 1 if app.theme.elder else MAX_NOTICES]:
            box.add_widget(Banner(text=f"{strings.NOTICE}：{title}"))


load_kv(__file__)
