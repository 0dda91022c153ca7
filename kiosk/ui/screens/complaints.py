"""投诉建议: every way to complain or suggest, and a message left on the kiosk (a category,
tapped phrases, an optional call-back number: residents never type Chinese)."""

from __future__ import annotations

import logging
from typing import Any

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.feedback import texts
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.screens.feedback_panel import PhonePad, _followup_days, _label
from kiosk.ui.widgets import Card, KioskButton, QRCode, SecondaryButton, toggle_choice

log = logging.getLogger(__name__)


def complaint_service(app: Any) -> Any:
    """The service of the site's 投诉受理 window, if tickets can be taken for it here."""
    pack, site = app.content.pack, app.site
    if site is None or "tickets" not in app.entries:
        return None
    services = {s.id: s for s in pack.services_at(site.id)}
    for window in getattr(site, "windows", ()):
        if "投诉" in window.name:
            for service_id in getattr(window, "services", ()):
                if service_id in services:
                    return window, services[service_id]
            return window, None
    return None


class ComplaintsScreen(KioskScreen):
    """Every way to complain or suggest: phones, the window, online channels, a message here."""

    title = strings.COMPLAINTS_TITLE

    def show(self, **params: Any) -> None:
        box = self.ids.body
        box.clear_widgets()
        app, size = self.app, self.app.theme
        pack = app.content.pack
        site_id = app.settings.kiosk.site

        phones = Card()
        phones.add_widget(_label(strings.COMPLAINTS_PHONE, bold=True, color=theme.PRIMARY_DARK))
        for contact in pack.contacts_for(site_id, "complaint"):
            phones.add_widget(_label(contact.name, color=theme.TEXT_MUTED))
            if contact.phone and "待核实" not in contact.phone:
                phones.add_widget(
                    _label(contact.phone, font_size=size.headline, bold=True, color=theme.HOTLINE)
                )
            else:
                phones.add_widget(_label(strings.COMPLAINTS_PHONE_UNVERIFIED, color=theme.WARNING))
        phones.add_widget(_label(strings.COMPLAINTS_HOTLINE, color=theme.TEXT_MUTED))
        phones.add_widget(
            _label(app.hotline, font_size=size.headline, bold=True, color=theme.HOTLINE)
        )
        box.add_widget(phones)

        found = complaint_service(app)
        if found is not None:
            window, service = found
            card = Card()
            card.add_widget(
                _label(f"{strings.COMPLAINTS_WINDOW}（{window.name}）", bold=True,
                       color=theme.PRIMARY_DARK)
            )  # fmt: skip
            if window.description:
                card.add_widget(_label(window.description))
            if service is not None:
                take = KioskButton(source=strings.COMPLAINTS_TAKE_TICKET, action="complaint-ticket")
                take.bind(
                    on_release=lambda _b, sid=service.id: app.go("ticket-confirm", service_id=sid)
                )
                card.add_widget(take)
            box.add_widget(card)

        leave = KioskButton(
            source=strings.COMPLAINTS_LEAVE_MESSAGE,
            action="complaint-form",
            background=theme.rgba("#8A2D3B"),
        )
        leave.bind(on_release=lambda _b: app.go("complaint-form"))
        box.add_widget(leave)

        online = [c for c in pack.contacts_for(site_id) if c.kind not in ("hotline", "complaint")]
        coded = [c for c in online if (c.qr or c.url) and "待核实" not in (c.qr or c.url)]
        if coded:
            card = Card()
            card.add_widget(_label(strings.COMPLAINTS_ONLINE, bold=True, color=theme.PRIMARY_DARK))
            grid = GridLayout(cols=2 if self.width > self.height else 1, size_hint_y=None)
            grid.spacing = size.gap
            grid.bind(minimum_height=grid.setter("height"))
            for contact in coded:
                row = BoxLayout(size_hint_y=None, spacing=size.gap)
                code = QRCode(data=contact.qr or contact.url)
                code.size = (size.scale * 260, size.scale * 260)
                row.height = code.height
                row.add_widget(code)
                text = BoxLayout(orientation="vertical")
                text.add_widget(_label(contact.name, bold=True))
                text.add_widget(
                    _label(contact.url or "", color=theme.TEXT_MUTED, font_size=size.small)
                )
                text.add_widget(BoxLayout())
                row.add_widget(text)
                grid.add_widget(row)
            card.add_widget(grid)
            box.add_widget(card)
        others = [c for c in online if c not in coded]
        if others:
            card = Card()
            card.add_widget(
                _label(strings.COMPLAINTS_OTHER_CHANNELS, bold=True, color=theme.PRIMARY_DARK)
            )
            for contact in others:
                card.add_widget(_label(f"· {contact.name}", font_size=size.small))
            box.add_widget(card)
        self.ids.scroll.scroll_y = 1


class ComplaintFormScreen(KioskScreen):
    """A message left on the kiosk: a category, tapped phrases, an optional call-back number."""

    title = strings.COMPLAINT_FORM_TITLE
    busy = True

    def show(self, **params: Any) -> None:
        self.category = ""
        self.phrases: list[str] = []
        self.pad: PhonePad | None = None
        self.show_categories()

    def _box(self) -> Any:
        box = self.ids.body
        box.clear_widgets()
        self.ids.scroll.scroll_y = 1
        return box

    def show_categories(self) -> None:
        box = self._box()
        box.add_widget(
            _label(strings.COMPLAINT_PICK_CATEGORY, font_size=self.app.theme.title, bold=True)
        )
        for category in texts.CATEGORIES:
            button = KioskButton(source=category, action=f"category-{category}")
            button.bind(on_release=lambda _b, c=category: self.pick(c))
            box.add_widget(button)

    def pick(self, category: str) -> None:
        self.category = category
        self.phrases = []
        box = self._box()
        box.add_widget(_label(f"{category} · {strings.COMPLAINT_PICK_PHRASES}", bold=True))
        for phrase in texts.PHRASES[category]:
            button = SecondaryButton(source=phrase, action=f"phrase-{phrase}")
            button.bind(on_release=lambda b, p=phrase: self.toggle(b, p))
            box.add_widget(button)
        submit = KioskButton(source=strings.RATE_SUBMIT, action="complaint-submit")
        submit.bind(on_release=lambda _b: self.send(None))
        box.add_widget(submit)
        call = SecondaryButton(source=strings.RATE_WANT_CALL, action="complaint-want-call")
        call.bind(on_release=lambda _b: self.show_phone())
        box.add_widget(call)

    def toggle(self, button: Any, phrase: str) -> None:
        toggle_choice(button, self.phrases, phrase)

    def show_phone(self, message: str = "") -> None:
        box = self._box()
        box.add_widget(
            _label(
                message or strings.RATE_PHONE_PROMPT, color=theme.WARNING if message else theme.TEXT
            )
        )
        number = self.pad.number if self.pad else ""
        self.pad = PhonePad()
        self.pad.number = number
        box.add_widget(self.pad)
        submit = KioskButton(source=strings.RATE_SUBMIT, action="phone-submit")
        submit.bind(on_release=lambda _b: self.send(self.pad.number if self.pad else None))
        box.add_widget(submit)

    def send(self, phone: str | None) -> None:
        from kiosk.feedback import items

        if phone:
            try:
                items.check_phone(phone)
            except items.FeedbackError:
                self.show_phone(strings.RATE_PHONE_BAD)
                return
        try:
            items.complain(
                self.app.settings,
                self.category,
                "；".join(self.phrases),
                phone or None,
                calendar=self.app.content.pack.calendar,
            )
            message = strings.COMPLAINT_THANKS.format(days=_followup_days(self.app))
        except Exception:
            log.exception("could not store a complaint")
            message = strings.RATE_FAILED
        box = self._box()
        box.add_widget(
            _label(message, font_size=self.app.theme.title, bold=True, color=theme.PRIMARY_DARK)
        )
        done = KioskButton(source=strings.HOME, action="complaint-done")
        done.bind(on_release=lambda _b: self.app.home())
        box.add_widget(done)
        self.pad = None

    def forget(self) -> None:
        self.category, self.phrases, self.pad = "", [], None
        self.ids.body.clear_widgets()


# --- tour -------------------------------------------------------------------------------------


def _tour_complaints(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("complaints")


def _tour_complaint_form(driver: Any) -> None:
    driver.app.reset_session()
    screen = driver.app.go("complaint-form")
    screen.pick(texts.CATEGORIES[0])


TOUR_STOPS = [
    ("complaints", _tour_complaints),
    ("complaint-form", _tour_complaint_form),
]


load_kv(__file__)
