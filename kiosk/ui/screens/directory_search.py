"""拼音查找: big letter keys, results that follow every key, and kind help when nothing fits.

Residents never type Chinese: they tap the first letter of each character's pinyin (F L Y Z
for 法律援助) or whole syllables. What they typed lives in `session.search_query` only, so it
goes with the session. Rows of the result list are made once and reused, so a key tap costs a
search (milliseconds) and a relayout, not new widgets.
"""

from __future__ import annotations

import string
import time
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.directory.search import Hit, Results
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.screens.directory import PlaceRow, index_failed, search_index
from kiosk.ui.widgets import KioskButton

LIMIT = 30  # rows listed; more matches say "type more letters"
POOL = 2 * LIMIT  # rows kept: those shown, and recently shown entries that may come back
POOL_STEP = 1  # rows made per frame in the background
FIRST_ROWS = 8  # rows shown in the frame after a key: more than a screenful
MORE_ROWS = 6  # rows added per frame after that
KEYS = tuple(string.ascii_uppercase)


class LetterKey(KioskButton):
    """One big key of the on-screen keyboard."""

    font_size_factor = NumericProperty(1.0)  # 删除 and 清空 are two characters wide


class SearchScreen(KioskScreen):
    title = strings.SEARCH_TITLE
    query = StringProperty("")
    status = StringProperty("")
    nothing = BooleanProperty(False)  # the query found nothing: show the kind help
    nothing_text = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pool: list[PlaceRow] = []
        self._results: Results | None = None
        # For the benchmark: when the last key was handled and its list was shown.
        self.last_key_at = 0.0
        self.last_shown_at = 0.0
        self.last_complete_at = 0.0
        self._queue: list[Hit] = []
        self._showing: dict[str, PlaceRow] = {}
        self._free: list[PlaceRow] = []
        self._pending = Clock.create_trigger(self._fill_more, 0)
        keys = self.ids.keyboard
        for letter in KEYS:
            key = LetterKey(source=letter, action=f"key-{letter}")
            key.bind(on_release=lambda _k, ch=letter: self.press(ch))
            keys.add_widget(key)
        delete = LetterKey(
            source=strings.SEARCH_DELETE, action="key-delete", background=theme.NAV_TEXT
        )
        delete.bind(on_release=lambda _k: self.delete())
        clear = LetterKey(source=strings.SEARCH_CLEAR, action="key-clear", background=theme.HOTLINE)
        clear.bind(on_release=lambda _k: self.clear())
        for key in (delete, clear):
            key.font_size_factor = 0.7
            keys.add_widget(key)
        search_index(self.app)
        self.app.theme.bind(elder=self.on_size, touch=self.on_size)
        Clock.schedule_once(self._grow_pool, 0)

    # --- keys ------------------------------------------------------------------------------

    def press(self, letter: str) -> None:
        self._set(self.query + letter)

    def delete(self) -> None:
        self._set(self.query[:-1])

    def clear(self) -> None:
        self._set("")

    def _set(self, query: str) -> None:
        self.last_key_at = time.perf_counter()
        self.query = query
        self.app.session.search_query = query
        self.refresh()

    # --- screen ----------------------------------------------------------------------------

    def show(self, **params: Any) -> None:
        self.query = self.app.session.search_query
        self.refresh()

    def forget(self) -> None:
        self.query = ""
        self._results = None
        self._fill(())
        self.nothing = False

    def refresh(self, *_: Any) -> None:
        if not self.query:
            self._results = None
            self._fill(())
            self.nothing = False
            self.status = strings.SEARCH_EXPLAIN
            return
        index = search_index(self.app, on_ready=self._index_ready)
        if index is None:
            self._fill(())
            self.nothing = False
            self.status = strings.SEARCH_FAILED if index_failed(self.app) else strings.SEARCH_WAIT
            return
        results = index.search(self.query, limit=LIMIT)
        self._results = results
        self._fill(results.hits)
        self.nothing = not results.hits
        if results.hits:
            more = strings.SEARCH_MORE.format(count=len(results.hits))
            self.status = more if results.more else strings.SEARCH_FOUND
        else:
            self.status = ""
            self.nothing_text = self._nothing_text()
        self.ids.scroll.scroll_y = 1
        self.last_shown_at = time.perf_counter()

    def _index_ready(self, _index: Any) -> None:
        if self.manager is not None and self.manager.current == self.name:
            self.refresh()

    def _nothing_text(self) -> str:
        none = strings.SEARCH_NONE.format(query=self.query)
        window = strings.SEARCH_NONE_WINDOW
        site = self.app.site
        if site is not None:
            reception = next((w for w in site.windows if w.id == "reception"), None)
            if reception is not None and reception.number:
                window = f"{reception.number}（{reception.name}）"
        help_text = strings.SEARCH_NONE_HELP.format(hotline=self.app.hotline, window=window)
        return f"{none}\n{help_text}"

    # --- result rows -----------------------------------------------------------------------

    def _fill(self, hits: tuple[Hit, ...] | tuple[()]) -> None:
        """Show `hits` in rows: the first screenful now, the rest over the next frames.

        A row keeps the entry it showed while that entry stays in the results, so typing one
        more letter re-renders only the rows that really change; rows below the first
        screenful are filled a few per frame (a newer key cancels them).
        """
        self._pending.cancel()
        box = self.ids.results
        box.clear_widgets()
        wanted = {hit.entry.id for hit in hits}
        self._showing = {row.entry_id: row for row in self._pool if row.entry_id in wanted}
        self._free = [row for row in self._pool if row.entry_id not in wanted]
        self._queue = list(hits)
        self._add_rows(FIRST_ROWS)
        if self._queue:
            self._pending()
        else:
            self.last_complete_at = time.perf_counter()

    def _add_rows(self, count: int) -> None:
        box = self.ids.results
        for hit in self._queue[:count]:
            entry = hit.entry
            row = self._showing.get(entry.id)
            if row is None:
                row = self._free.pop() if self._free else self._new_row()
                row.entry_id = entry.id
                row.name = entry.name
                kind = strings.RESULT_KINDS.get(entry.kind, "")
                row.subtitle = "  ·  ".join(part for part in (kind, entry.subtitle) if part)
                row.own = hit.own
                row.action = f"result:{entry.id}"
            row.hit = hit
            box.add_widget(row)
        del self._queue[:count]

    def _fill_more(self, *_: Any) -> None:
        self._add_rows(MORE_ROWS)
        if self._queue:
            self._pending()
        else:
            self.last_complete_at = time.perf_counter()

    def _new_row(self) -> PlaceRow:
        row = PlaceRow()
        row.entry_id = ""
        row.bind(on_release=self._open_row)
        self._pool.append(row)
        return row

    def _grow_pool(self, *_: Any) -> None:
        """Make the result rows a few per frame while nobody is searching: building a row
        costs milliseconds, so the first key would otherwise wait for thirty of them."""
        for _ in range(POOL_STEP):
            if len(self._pool) >= POOL:
                return
            self._new_row()
        Clock.schedule_once(self._grow_pool, 0)

    def _open_row(self, row: PlaceRow) -> None:
        open_hit(self.app, row.hit)

    def on_size(self, *_: Any) -> None:
        """Portrait: results above the keyboard; landscape: the keyboard on the right.

        Set in Python: a kv size_hint switching to None keeps its first height (see home.py).
        """
        landscape = self.width > self.height
        main, keys, size = self.ids.main, self.ids.keyboard, self.app.theme
        main.orientation = "horizontal" if landscape else "vertical"
        # 长者模式: keys at least 160 px each way; the screen's margins give way to them
        elder = size.elder
        main.padding = size.pad * (0.25 if elder else 1)
        keys.spacing = size.gap * (0.33 if elder else 0.6)
        keys.cols = 6 if elder and not landscape else 7
        rows = -(-len(keys.children) // keys.cols)
        wide = 0.64 if elder else 0.54
        self.ids.left.size_hint = (1 - wide, 1) if landscape else (1, 1)
        if landscape:
            keys.size_hint = (wide, 1)
        else:
            keys.size_hint = (1, None)
            side = self.width - 2 * main.padding[0] - (keys.cols - 1) * keys.spacing[0]
            key = max(size.touch, side / keys.cols) if elder else size.touch
            keys.height = key * rows + keys.spacing[1] * (rows - 1)


def open_hit(app: Any, hit: Hit) -> None:
    """Where a search result leads."""
    entry = hit.entry
    app.count("search", subject=entry.kind)  # the kind of result only, never what was typed
    if entry.kind in ("site", "window", "duty"):
        app.go("directory-detail", kind="site", ref=entry.ref)
    elif entry.kind == "institution":
        app.go("directory-detail", kind="institution", ref=entry.ref)
    elif entry.kind == "help":
        app.go("directory-list", kind=entry.ref)
    elif entry.kind == "product":
        app.go("directory-products", product=entry.ref)


def _typed(driver: Any, letters: str) -> None:
    from kiosk.ui.screens.directory import wait_for_index

    app = driver.app
    app.reset_session()
    app.go("directory")
    app.go("directory-search")
    wait_for_index(app)
    driver.pump(3)
    screen = app.screens.current_screen
    for letter in letters:
        screen.press(letter)


TOUR_STOPS = [
    ("directory-search-empty", lambda driver: _typed(driver, "")),
    ("directory-search-flyz", lambda driver: _typed(driver, "FLYZ")),
    ("directory-search-tj", lambda driver: _typed(driver, "TJ")),
    ("directory-search-nothing", lambda driver: _typed(driver, "QXQX")),
]

load_kv(__file__)
