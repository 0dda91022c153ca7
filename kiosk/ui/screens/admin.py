"""The staff screen: what is running here, and the one way to quit.

Feature screen modules add status rows with a module-level `admin_rows(app)` function
returning [(label, value, warn)], and buttons with `ADMIN_ACTIONS = [(label, fn(app))]`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk import __version__, clock
from kiosk.packs.review import overdue
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.widgets import InfoRow, KioskButton

Row = tuple[str, str, bool]


def core_rows(app: Any) -> list[Row]:
    content = app.content
    pack = content.pack
    site = app.site
    rows: list[Row] = [
        (strings.ADMIN_VERSION, __version__, False),
        (
            strings.ADMIN_SITE,
            f"{app.settings.kiosk.site}  {site.name if site else strings.SITE_UNKNOWN}",
            site is None,
        ),
        (
            strings.ADMIN_CONTENT,
            f"{pack.name} 第{pack.version}版 · "
            f"{strings.ADMIN_CONTENT_ORIGIN.get(content.origin, content.origin)}",
            False,
        ),
    ]
    for note in content.notes:
        rows.append((strings.ADMIN_NOTES, note, True))
    due = overdue(pack, clock.today())
    if due:
        listed = "；".join(f"{item.name}（{item.review_due:%Y-%m-%d}）" for item in due[:8])
        more = f" 等{len(due)}项" if len(due) > 8 else ""
        rows.append((strings.ADMIN_REVIEW_DUE, listed + more, True))
    return rows


class AdminScreen(KioskScreen):
    title = strings.ADMIN_TITLE

    def show(self, **params: Any) -> None:
        self._quit_armed = False
        self.refresh()

    def refresh(self) -> None:
        from kiosk.ui.screens import screen_modules

        modules = screen_modules()
        providers: list[Callable[[Any], list[Row]]] = [core_rows]
        providers += [m.admin_rows for m in modules if hasattr(m, "admin_rows")]
        actions_list = [a for m in modules for a in getattr(m, "ADMIN_ACTIONS", [])]
        box = self.ids.rows
        box.clear_widgets()
        for provider in providers:
            for label, value, warn in provider(self.app):
                box.add_widget(
                    InfoRow(label=label, value=value or strings.ADMIN_NONE, warn=warn, staff=True)
                )
        actions = self.ids.actions
        actions.clear_widgets()
        for label, callback in actions_list:
            button = KioskButton(source=label, action=f"admin:{label}")
            button.bind(on_release=lambda _b, cb=callback: (cb(self.app), self.refresh()))
            actions.add_widget(button)
        self.ids.quit_button.source = strings.ADMIN_QUIT

    def quit_pressed(self) -> None:
        """Two taps to quit, so a stray touch cannot close the kiosk."""
        if self._quit_armed:
            self.app.quit()
            return
        self._quit_armed = True
        self.ids.quit_button.source = strings.ADMIN_QUIT_CONFIRM
        self.ids.quit_button.background = theme.HOTLINE

    def forget(self) -> None:
        self._quit_armed = False


load_kv(__file__)
