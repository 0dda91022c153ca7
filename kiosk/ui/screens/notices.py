"""发布紧急通知 on the admin side: staff tap a text, how long, and what it closes — no typing.

The notice is stored like `kiosk notice set` stores it (kiosk.notices.local) and shows on
every resident screen within seconds; the hall host shares it with the hall's other kiosks.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from kiosk import clock
from kiosk.errors import KioskError
from kiosk.notices import local
from kiosk.notices.compose import compose
from kiosk.packs.model import CLOSES_ALL
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.widgets import KioskButton


class NoticeComposeScreen(KioskScreen):
    title = strings.NOTICE_COMPOSE
    message = StringProperty("")

    def show(self, **params: Any) -> None:
        self.choice: dict[str, Any] = {
            "text": strings.NOTICE_PRESETS[0],
            "until": strings.NOTICE_DURATIONS[0][1],
            "closes": "",
        }
        self.message = ""
        services = self.app.content.pack.services_at(self.app.settings.kiosk.site)
        closes = [(strings.NOTICE_CLOSES_NONE, ""), (strings.NOTICE_CLOSES_ALL, CLOSES_ALL)]
        closes += [(f"{strings.NOTICE_CLOSES_ONE}{s.name}", s.id) for s in services]
        self._fill("texts", "text", [(t, t) for t in strings.NOTICE_PRESETS])
        self._fill("durations", "until", list(strings.NOTICE_DURATIONS))
        self._fill("closes", "closes", closes)

    def _fill(self, box_id: str, key: str, options: list[tuple[str, str]]) -> None:
        box = self.ids[box_id]
        box.clear_widgets()
        for label, value in options:
            button = KioskButton(source=label, action=f"notice-{key}:{value}", halign="left")
            button.bind(on_release=lambda _b, k=key, v=value: self._pick(k, v))
            box.add_widget(button)
        self._paint(key)

    def _pick(self, key: str, value: str) -> None:
        self.choice[key] = value
        self._paint(key)

    def _paint(self, key: str) -> None:
        box = self.ids[{"text": "texts", "until": "durations", "closes": "closes"}[key]]
        for button in box.children:
            chosen = button.action == f"notice-{key}:{self.choice[key]}"
            button.background = theme.PRIMARY if chosen else theme.NAV_BUTTON
            button.color = theme.PRIMARY_TEXT if chosen else theme.NAV_TEXT

    def publish(self) -> None:
        app = self.app
        until = self.choice["until"]
        if until == "end-of-day":
            until = clock.today().isoformat()
        try:
            notice = compose(
                app.content.pack,
                app.settings.kiosk.site,
                self.choice["text"],
                until,
                level="urgent",
                closes=[self.choice["closes"]] if self.choice["closes"] else [],
            )
            local.add(app.settings.store.path, notice)
        except KioskError as exc:
            self.message = f"{strings.NOTICE_FAILED}：{exc}"
            return
        if app.notice_watcher is not None:
            app.notice_watcher.refresh()
        app.back()


def _compose(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("admin")
    driver.app.go("notice-compose")


TOUR_STOPS = [("notice-compose", _compose)]

load_kv(__file__)
