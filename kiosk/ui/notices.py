"""Notices on screen: an urgent notice is a red strip under the header on every resident
screen (and a full slide on signage); other notices stay on the home screen.

The notices are asked again every few seconds (`kiosk.notices.current`: pack, local, hall-
shared), so a notice staff set from a terminal appears, and an expired one disappears, without
a restart. The admin screen lists them and offers 发布紧急通知 / 撤下.
"""

from __future__ import annotations

import threading
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.graphics import Color, Rectangle
from kivy.properties import ListProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk import notices as domain
from kiosk.notices import local
from kiosk.ui import strings, theme
from kiosk.ui.widgets import WrapLabel

REFRESH_SECONDS = 5.0
PULL_SECONDS = 10.0  # how often a kiosk asks the hall host for its notices


class UrgentStrip(BoxLayout):
    """Red strip under the header; one line per urgent notice."""

    titles = ListProperty([])

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(orientation="vertical", size_hint_y=None, **kwargs)
        size = App.get_running_app().theme
        self.padding = [size.pad, size.gap * 0.4]
        self.bind(minimum_height=self.setter("height"))
        with self.canvas.before:
            Color(*theme.HOTLINE)
            self._rect = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=self._paint, size=self._paint)
        for title in self.titles:
            self.add_widget(
                WrapLabel(
                    source=f"{strings.NOTICE_URGENT}：{title}",
                    font_size=size.title,
                    bold=True,
                    color=theme.HOTLINE_TEXT,
                    halign="center",
                )
            )

    def _paint(self, *_: Any) -> None:
        self._rect.pos, self._rect.size = self.pos, self.size


class NoticeWatcher:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.shown: tuple[Any, ...] = ()
        self._event = Clock.schedule_interval(lambda _dt: self.refresh(), REFRESH_SECONDS)
        self._stopping = threading.Event()
        hall = app.settings.hall
        if hall.url and not hall.host:  # the host's own notices are local already
            threading.Thread(target=self._pull_loop, name="notice-pull", daemon=True).start()

    def _pull_loop(self) -> None:
        """Copy the hall host's notices into this kiosk's database, off the UI thread."""
        from kiosk.notices import share

        while not self._stopping.is_set():
            if share.pull(self.app.settings):
                Clock.schedule_once(lambda _dt: self.refresh(), 0)
            self._stopping.wait(PULL_SECONDS)

    def stop(self) -> None:
        self._event.cancel()
        self._stopping.set()

    def refresh(self) -> None:
        app = self.app
        try:
            found = domain.current(app.settings, app.content.pack)
        except Exception:  # a locked or damaged database must not stop the screen
            found = app.content.pack.notices_at(domain.clock.now(), app.settings.kiosk.site)
        if found != self.shown:
            self.shown = found
            app.notices = [n.title for n in found if not n.urgent]
            app.urgent_notices = [n.title for n in found if n.urgent]
        show_urgent_strip(app)


def start(app: Any) -> NoticeWatcher:
    """After the first frame (kiosk/ui/features.py): local and hall-shared notices join."""
    app.notice_watcher = NoticeWatcher(app)
    app.notice_watcher.refresh()
    return app.notice_watcher


def show_urgent_strip(app: Any) -> None:
    """Put the strip under the header (or take it away); signage shows urgent notices as a
    slide of its own instead."""
    root = getattr(app, "root", None)
    if root is None or getattr(app, "bare", False):  # an LED strip has no header
        return
    box = root.ids.header.parent
    existing = [w for w in box.children if isinstance(w, UrgentStrip)]
    titles = list(app.urgent_notices) if app.settings.kiosk.mode != "signage" else []
    if existing and titles and existing[0].titles == titles:
        return
    for widget in existing:
        box.remove_widget(widget)
    if titles:
        box.add_widget(UrgentStrip(titles=titles), index=len(box.children) - 1)


# --- admin screen hooks ------------------------------------------------------------------------


def admin_rows(app: Any) -> list[tuple[str, str, bool]]:
    found = domain.current(app.settings, app.content.pack)
    if not found:
        return [(strings.NOTICES_ADMIN, strings.ADMIN_NONE, False)]
    rows = []
    for notice in found:
        origin = strings.NOTICE_ORIGINS.get(notice.origin, notice.origin)
        until = f" · 至{notice.end:%m-%d %H:%M}" if notice.end else ""
        closes = f" · {strings.NOTICE_CLOSES}" if notice.closes else ""
        rows.append(
            (
                f"{strings.NOTICES_ADMIN}（{strings.NOTICE_LEVEL_NAMES[notice.level]}）",
                f"{notice.title}{until}{closes} · {origin} {notice.id}",
                notice.urgent,
            )
        )
    return rows


def _compose(app: Any) -> None:
    app.go("notice-compose")


def _clear_local(app: Any) -> None:
    """Take down every local notice set here (pack notices change with the pack). A cancel
    stays: it shows nothing, and clearing it would bring back the notice it took down."""
    for notice in local.stored(app.settings.store.path, ("local",)):
        if notice.msg_type != "cancel":
            local.clear(app.settings.store.path, notice.id)
    if app.notice_watcher is not None:
        app.notice_watcher.refresh()


ADMIN_ACTIONS = [(strings.NOTICE_COMPOSE, _compose), (strings.NOTICE_CLEAR_LOCAL, _clear_local)]
