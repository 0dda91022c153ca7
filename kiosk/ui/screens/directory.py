"""机构与服务查询: the directory's start page and its browse lists (level, town, kind of help).

Also home of what the directory screens share: the search index built in the background
(`search_index`) and the row widget of every list (`PlaceRow`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ColorProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.directory import browse, hours, kinds
from kiosk.directory.background import IndexBuilder
from kiosk.directory.search import SearchIndex
from kiosk.packs import model
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.widgets import KioskButton, WrapLabel

PAGE = 40  # rows of a browse list shown at once ("显示更多" adds the next ones)
INDEX = "directory-index"  # its key in app.background


def _builder(app: Any) -> IndexBuilder:
    """The app's index builder, kept with its other background work (`app.background`,
    stopped with the app): the index belongs to one app and its content, not to the module."""
    builder = app.background.get(INDEX)
    if builder is None:
        builder = app.background[INDEX] = IndexBuilder()
    return builder


def search_index(app: Any, on_ready: Callable[[SearchIndex | None], None] | None = None) -> Any:
    """The search index of the app's current content and site, or None while it is built.

    The first call starts building it in a background thread (pypinyin is never imported on
    the UI thread); `on_ready` is then called on the UI thread when it is done.
    """

    def ready(index: SearchIndex | None) -> None:
        if on_ready is not None:
            Clock.schedule_once(lambda _dt: on_ready(index), 0)

    return _builder(app).request(app.content.pack, app.settings.kiosk.site, ready)


def index_failed(app: Any) -> bool:
    return _builder(app).error is not None


def wait_for_index(app: Any, timeout: float = 30.0) -> SearchIndex | None:
    """Start the build if needed and block until it is done (tests and the tour only)."""
    search_index(app)
    return _builder(app).wait(timeout)


def admin_rows(app: Any) -> list[tuple[str, str, bool]]:
    """A line on the staff screen only when the search index failed to build (residents can
    then only browse); a working index needs no line."""
    builder = _builder(app)
    builder.ready(app.content.pack, app.settings.kiosk.site)
    if builder.error is not None:
        return [(strings.ADMIN_DIRECTORY, strings.ADMIN_DIRECTORY_FAILED, True)]
    return []


class SectionLabel(WrapLabel):
    """A heading inside a page (值班, 窗口, 怎么去). Sizes live in kv so they follow the theme:
    a font_size passed to the constructor would be overwritten by WrapLabel's rule."""


class SmallLabel(WrapLabel):
    """Secondary text in the small size."""


class GridButton(KioskButton):
    """A button of a grid of choices: a little smaller text so 镇街工作站 fits one line."""


class SmallButton(KioskButton):
    """A button with body-size text: tabs, links to another page."""


class PlaceRow(ButtonBehavior, BoxLayout):
    """A row of a list: name, what and where, open state, "本站" for this kiosk's own site."""

    name = StringProperty("")
    subtitle = StringProperty("")
    state_text = StringProperty("")
    state_color = ColorProperty(theme.TEXT_MUTED)
    own = BooleanProperty(False)
    action = StringProperty("")


def place_row(place: browse.Place, pack: model.Pack) -> PlaceRow:
    row = PlaceRow(
        name=place.name,
        subtitle="  ·  ".join(part for part in (place.what, place.town) if part),
        own=place.own,
        action=f"place:{place.key}",
    )
    if place.kind == "site":
        site = pack.site(place.ref)
        if site is not None:
            state = hours.open_state(site.hours, None, pack.calendar)
            row.state_text = state.text
            row.state_color = theme.SUCCESS if state.is_open else theme.TEXT_MUTED
    return row


def open_place(app: Any, kind: str, ref: str) -> None:
    app.go("directory-detail", kind=kind, ref=ref)


class DirectoryScreen(KioskScreen):
    """Search, "you are here", and the ways to browse."""

    title = strings.DIRECTORY_TITLE

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._build_buttons()
        search_index(self.app)  # start building the index while residents look around

    def _build_buttons(self) -> None:
        kinds_grid, levels_grid, more_grid = self.ids.kinds, self.ids.levels, self.ids.more
        for kind, name in kinds.HELP_KINDS.items():
            button = GridButton(source=name, action=f"kind:{kind}")
            button.bind(on_release=lambda _b, k=kind: self.app.go("directory-list", kind=k))
            kinds_grid.add_widget(button)
        for level in model.LEVELS:
            button = GridButton(source=model.LEVEL_NAMES[level], action=f"level:{level}")
            button.bind(on_release=lambda _b, lv=level: self.open_level(lv))
            levels_grid.add_widget(button)
        towns = GridButton(source=strings.DIRECTORY_BY_TOWN, action="towns")
        towns.bind(on_release=lambda _b: self.app.go("directory-list", towns="all"))
        products = GridButton(source=strings.DIRECTORY_PRODUCTS, action="products")
        products.bind(on_release=lambda _b: self.app.go("directory-products"))
        more_grid.add_widget(towns)
        more_grid.add_widget(products)

    def open_level(self, level: str) -> None:
        if level == "room":  # hundreds of rooms: choose the town or street first
            self.app.go("directory-list", towns="room")
        else:
            self.app.go("directory-list", level=level)

    def show(self, **params: Any) -> None:
        site = self.app.site
        here = self.ids.here
        here.source = strings.DIRECTORY_HERE_BUTTON.format(name=site.name) if site else ""
        here.opacity = 1 if site else 0
        here.disabled = site is None
        self.ids.scroll.scroll_y = 1
        search_index(self.app)

    def open_here(self) -> None:
        if self.app.site is not None:
            open_place(self.app, "site", self.app.site.id)

    def on_size(self, *_: Any) -> None:
        """Portrait: one column. Landscape: search and "more" on the left, kinds and levels
        on the right, so the main choices need no scrolling (set in Python: see home.py)."""
        ids = self.ids
        if not hasattr(self, "_movable"):
            # ids are weak: a widget taken out of the tree must be held here, or it is gone
            self._movable = (ids.more_label.__self__, ids.more.__self__)
        more_label, more = self._movable
        landscape = self.width > self.height
        ids.body.orientation = "horizontal" if landscape else "vertical"
        ids.first.size_hint_x = 0.4 if landscape else 1
        ids.second.size_hint_x = 0.6 if landscape else 1
        target = ids.first if landscape else ids.second
        moving = [more] if landscape else [more_label, more]
        for widget in (more_label, more):
            if widget.parent is not None:
                widget.parent.remove_widget(widget)
        for widget in moving:
            target.add_widget(widget)


class PlaceListScreen(KioskScreen):
    """A browse list: places offering a kind of help, places of a level or town, or towns."""

    title = strings.DIRECTORY_TITLE

    def show(
        self,
        kind: str = "",
        level: str = "",
        town: str = "",
        towns: str = "",
        **params: Any,
    ) -> None:
        app = self.app
        pack, own = app.content.pack, app.settings.kiosk.site
        self._rows: list[Any] = []
        if towns:
            only = None if towns == "all" else towns
            names = browse.towns(pack, level=only)
            self.heading = strings.DIRECTORY_TOWNS_TITLE
            for name in names:
                button = KioskButton(source=name, action=f"town:{name}", halign="left")
                button.bind(
                    on_release=lambda _b, t=name, lv=only: app.go(
                        "directory-list", town=t, level=lv or ""
                    )
                )
                self._rows.append(button)
        else:
            if kind:
                places = browse.places_for_help(pack, kind, own)
                self.heading = strings.DIRECTORY_KIND_TITLE.format(
                    kind=kinds.HELP_KINDS.get(kind, kind)
                )
            elif town:
                places = browse.places_in_town(pack, town, own, level=level or None)
                self.heading = strings.DIRECTORY_TOWN_TITLE.format(town=town)
            else:
                places = browse.sites_at_level(pack, level, own)
                self.heading = strings.DIRECTORY_LEVEL_TITLE.format(
                    level=model.LEVEL_NAMES.get(level, level)
                )
            for place in places:
                row = place_row(place, pack)
                row.bind(on_release=lambda _r, p=place: open_place(app, p.kind, p.ref))
                self._rows.append(row)
        self.title = self.heading
        self.ids.heading.source = self.heading
        self._shown = 0
        box = self.ids.rows
        box.clear_widgets()
        if not self._rows:
            box.add_widget(
                WrapLabel(source=strings.DIRECTORY_LIST_EMPTY.format(hotline=app.hotline))
            )
        self.show_more()
        self.ids.scroll.scroll_y = 1

    def show_more(self, *_: Any) -> None:
        box = self.ids.rows
        if self._shown and box.children and getattr(box.children[0], "action", "") == "more":
            box.remove_widget(box.children[0])
        for row in self._rows[self._shown : self._shown + PAGE]:
            box.add_widget(row)
        self._shown = min(len(self._rows), self._shown + PAGE)
        left = len(self._rows) - self._shown
        if left > 0:
            more = KioskButton(
                source=strings.DIRECTORY_SHOW_MORE.format(count=left),
                action="more",
                background=theme.NAV_TEXT,
            )
            more.bind(on_release=self.show_more)
            box.add_widget(more)

    def forget(self) -> None:
        self.ids.rows.clear_widgets()
        self._rows = []


def _tour_hub(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("directory")


def _tour_kind(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("directory")
    driver.app.go("directory-list", kind="mediation")


def _tour_towns(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("directory")
    driver.app.go("directory-list", towns="all")


def _tour_level(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("directory")
    driver.app.go("directory-list", level="station")


TOUR_STOPS = [
    ("directory", _tour_hub),
    ("directory-kind", _tour_kind),
    ("directory-towns", _tour_towns),
    ("directory-stations", _tour_level),
]

load_kv(__file__)
