"""The page of one site or institution: where, when open, who is on duty, and a QR code.

The QR code carries what the pack says for the place (a navigation link, or its contact card
by default) and never anything about the resident.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.image import Image

from kiosk import clock
from kiosk.directory import browse, hours, kinds, qrtarget
from kiosk.directory.roster import roster, undated
from kiosk.packs import model, openinghours
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.screens.directory import SectionLabel, SmallButton, open_place
from kiosk.ui.widgets import Banner, InfoRow, WrapLabel

UNVERIFIED = "待核实"


class DetailScreen(KioskScreen):
    title = strings.DIRECTORY_TITLE
    name_text = StringProperty("")
    here = BooleanProperty(False)  # this kiosk's own site: "您在这里"
    qr_data = StringProperty("")
    qr_caption = StringProperty("")

    def show(self, kind: str = "site", ref: str = "", **params: Any) -> None:
        pack = self.app.content.pack
        body = self.ids.body
        body.clear_widgets()
        self.kind, self.ref = kind, ref
        item: model.Site | model.Institution | None
        if kind == "institution":
            item = next((i for i in pack.institutions if i.id == ref), None)
        else:
            item = pack.site(ref)
        if item is None:
            self.name_text, self.here, self.qr_data = "", False, ""
            body.add_widget(WrapLabel(source=strings.DETAIL_NOT_FOUND))
            return
        self.name_text = item.name
        self.title = item.name
        self.here = isinstance(item, model.Site) and item.id == self.app.settings.kiosk.site
        if isinstance(item, model.Site):
            self._site(item, pack)
        else:
            self._institution(item, pack)
        self.qr_data = qrtarget.payload(item)
        if qrtarget.is_card(self.qr_data):
            self.qr_caption = strings.DETAIL_QR_CARD
        elif self.qr_data.startswith(("http://", "https://", "geo:")):
            self.qr_caption = strings.DETAIL_QR_LINK
        else:
            self.qr_caption = strings.DETAIL_QR_OTHER
        self.ids.scroll.scroll_y = 1
        self._layout()

    # --- sections --------------------------------------------------------------------------

    def _site(self, site: model.Site, pack: model.Pack) -> None:
        add = self.ids.body.add_widget
        add(
            self._muted(
                "  ·  ".join(p for p in (model.LEVEL_NAMES.get(site.level), site.town) if p)
            )
        )
        state = hours.open_state(site.hours, None, pack.calendar)
        add(
            Banner(
                text=state.text,
                background=theme.SUCCESS if state.is_open else theme.WARNING_BG,
                foreground=theme.PRIMARY_TEXT if state.is_open else theme.WARNING,
            )
        )
        lines = openinghours.week_lines(site.hours)
        if site.hours.note:
            lines.append(site.hours.note)
        if lines:
            add(self._row(strings.DETAIL_HOURS, "\n".join(lines)))
        add(self._row(strings.DETAIL_ADDRESS, site.address))
        add(self._phone(site.phone))
        services = [kinds.service_name(s) for s in site.services]
        if services:
            add(self._row(strings.DETAIL_SERVICES, "、".join(services)))
        self._duty(site, pack)
        if site.windows:
            add(self._section(strings.DETAIL_WINDOWS))
            for window in site.windows:
                label = window.number or window.name
                value = window.name if window.number else ""
                if window.description:
                    value = f"{value}：{window.description}" if value else window.description
                add(self._row(label, value or window.name))
        self._directions(site, pack)
        if site.description:
            add(self._muted(site.description.strip()))

    def _institution(self, inst: model.Institution, pack: model.Pack) -> None:
        add = self.ids.body.add_widget
        add(
            self._muted(
                "  ·  ".join(p for p in (kinds.institution_kind_name(inst.kind), inst.town) if p)
            )
        )
        add(self._row(strings.DETAIL_ADDRESS, inst.address))
        add(self._phone(inst.phone))
        if inst.hours:
            add(self._row(strings.DETAIL_OFFICE_HOURS, inst.hours))
        if inst.services:
            add(
                self._row(
                    strings.DETAIL_SERVICES, "、".join(kinds.service_name(s) for s in inst.services)
                )
            )
        else:
            help_kinds = browse.institution_help(inst)
            if help_kinds:
                add(
                    self._row(
                        strings.DETAIL_SERVICES, "、".join(kinds.HELP_KINDS[k] for k in help_kinds)
                    )
                )
        site = pack.site(inst.site) if inst.site else None
        if site is not None:
            button = SmallButton(
                source=strings.DETAIL_AT_SITE.format(name=site.name),
                action=f"place:site:{site.id}",
                halign="left",
            )
            button.bind(on_release=lambda _b: open_place(self.app, "site", site.id))
            add(button)
        if inst.description:
            add(self._muted(inst.description.strip()))

    def _duty(self, site: model.Site, pack: model.Pack) -> None:
        today = clock.today()
        duties = roster(pack, site.id, today).duties
        if not duties:
            return
        add = self.ids.body.add_widget
        add(self._section(strings.DETAIL_DUTY))
        if not any(d.today for d in duties):
            add(self._muted(strings.DETAIL_NO_DUTY_TODAY))
        for duty in duties:
            rule = duty.rule
            who = f"{rule.who}（{rule.brand}）" if rule.brand else rule.who
            if duty.today:
                first = f"{strings.DETAIL_DUTY_TODAY}：{who}"
                second = openinghours.interval_text(duty.hours) if duty.hours else ""
            elif duty.next_date is not None:
                first = who
                second = strings.DETAIL_NEXT_DUTY.format(
                    when=hours.day_label(duty.next_date, today)
                )
            elif undated(rule):
                first, second = who, strings.DETAIL_MONTHLY_UNSET
            else:
                first, second = who, strings.DETAIL_NO_NEXT_DUTY
            heading = WrapLabel(source=first, bold=True)
            heading.color = theme.SUCCESS if duty.today else theme.TEXT
            heading.action = f"duty:{rule.id}"
            add(heading)
            for text in (second, rule.note):
                if text:
                    add(self._muted(text))

    def _directions(self, site: model.Site, pack: model.Pack) -> None:
        text = site.directions
        if self.here:
            text = f"{strings.DETAIL_YOU_ARE_HERE}{text}"
        path = pack.path_of(site.map_image) if site.map_image else None
        if not text and not path:
            return
        add = self.ids.body.add_widget
        add(self._section(strings.DETAIL_DIRECTIONS))
        if text:
            add(WrapLabel(source=text))
        if path:
            size = self.app.theme
            add(Image(source=path, size_hint_y=None, height=size.scale * 600, fit_mode="contain"))

    # --- pieces ----------------------------------------------------------------------------

    def _row(self, label: str, value: str) -> InfoRow:
        return InfoRow(label=label, value=value or "—", warn=UNVERIFIED in value)

    def _phone(self, phone: str) -> InfoRow:
        if not phone or UNVERIFIED in phone:
            known = phone.replace(UNVERIFIED, "").strip("（）() ") if phone else ""
            value = strings.DETAIL_PHONE_UNKNOWN.format(hotline=self.app.hotline)
            return InfoRow(label=strings.DETAIL_PHONE, value=f"{known} {value}".strip(), warn=True)
        return InfoRow(label=strings.DETAIL_PHONE, value=phone)

    def _section(self, text: str) -> WrapLabel:
        return SectionLabel(source=text)

    def _muted(self, text: str) -> WrapLabel:
        return WrapLabel(source=text, color=theme.TEXT_MUTED)

    def on_size(self, *_: Any) -> None:
        self._layout()

    def _layout(self) -> None:
        """Portrait: the QR card under the page; landscape: beside it (set in Python, see
        home.py on kv size_hint switching)."""
        main, side, size = self.ids.main, self.ids.side, self.app.theme
        box = self.ids.qr_box
        landscape = self.width > self.height
        main.orientation = "horizontal" if landscape else "vertical"
        side.orientation = "vertical" if landscape else "horizontal"
        shown = bool(self.qr_data)
        side.opacity = 1 if shown else 0
        if landscape:
            side.size_hint = (0.3, 1) if shown else (None, 1)
            if not shown:
                side.width = 0
            box.size_hint = (1, 1)
        else:
            side.size_hint = (1, None)
            side.height = size.scale * 420 if shown else 0
            box.size_hint = (None, 1)
            box.width = max(1, side.height - side.padding[1] * 2)


def _detail(kind: str, ref: Any) -> Any:
    def visit(driver: Any) -> None:
        app = driver.app
        app.reset_session()
        app.go("directory")
        chosen = ref(app) if callable(ref) else ref
        app.go("directory-detail", kind=kind, ref=chosen)

    return visit


def _other_site(app: Any) -> str:
    own = app.settings.kiosk.site
    return next((s.id for s in app.content.pack.sites if s.id != own), own)


def _an_institution(app: Any) -> str:
    institutions = app.content.pack.institutions
    return institutions[0].id if institutions else ""


TOUR_STOPS = [
    ("directory-detail-here", _detail("site", lambda app: app.settings.kiosk.site)),
    ("directory-detail-other", _detail("site", _other_site)),
    ("directory-detail-institution", _detail("institution", _an_institution)),
]

load_kv(__file__)
