"""公示信息: the site's disclosure pages — a list of titles, then one page at a time."""

from __future__ import annotations

from typing import Any

from kiosk.mdblocks import blocks
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.widgets import KioskButton, WrapLabel


class DisclosureScreen(KioskScreen):
    title = strings.DISCLOSURE_TITLE

    def show(self, **params: Any) -> None:
        box = self.ids.pages
        box.clear_widgets()
        pages = self.app.content.pack.pages_for(self.app.settings.kiosk.site)
        if not pages:
            box.add_widget(WrapLabel(source=strings.DISCLOSURE_EMPTY))
        for page in pages:
            button = KioskButton(source=page.title, action=f"page:{page.id}", halign="left")
            button.bind(on_release=lambda _b, pid=page.id: self.app.go("page", page_id=pid))
            box.add_widget(button)
        self.ids.scroll.scroll_y = 1


class PageScreen(KioskScreen):
    title = strings.DISCLOSURE_TITLE

    def show(self, page_id: str = "", **params: Any) -> None:
        pack = self.app.content.pack
        page = next((p for p in pack.pages if p.id == page_id), None)
        box = self.ids.body
        box.clear_widgets()
        if page is None:
            box.add_widget(WrapLabel(source=strings.ERROR_FRIENDLY))
            return
        self.title = page.title
        self.ids.page_title.source = page.title
        size = self.app.theme
        for block in blocks(page.body):
            if block.kind == "heading":
                label = WrapLabel(
                    source=block.text,
                    bold=True,
                    color=theme.PRIMARY_DARK,
                    font_size=size.title if block.level <= 2 else size.body,
                )
            elif block.kind == "item":
                label = WrapLabel(
                    source=f"{block.marker} {block.text}", padding=[size.pad * block.level, 0, 0, 0]
                )
            else:
                label = WrapLabel(source=block.text)
            if strings.UNVERIFIED in block.text:
                label.color = theme.WARNING
            box.add_widget(label)
        self.ids.scroll.scroll_y = 1


load_kv(__file__)
