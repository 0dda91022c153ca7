"""好差评 on screen: the rating at the end of a visit, the window 评价器, 投诉建议, staff follow-up.

The rating never stands between a resident and the home screen: it is asked once per visit when
the resident goes home (首页, 完成), can be skipped, goes away by itself, and 首页 or the idle
reset drop a rating not yet sent (nothing is stored until a level is tapped and, for a 差评,
提交 is pressed). Storage is kiosk.feedback.items; this module only shows and collects.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk import clock
from kiosk.feedback import texts
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.widgets import Card, KioskButton, QRCode, SecondaryButton, WrapLabel

log = logging.getLogger(__name__)

LEVEL_COLOURS = {
    5: theme.rgba("#155027"),  # every level keeps white text at 7:1 or better (长者模式)
    4: theme.rgba("#1F5E23"),
    3: theme.rgba("#164A8C"),
    2: theme.rgba("#843A00"),
    1: theme.rgba("#9A1B1B"),
}
THANKS_SECONDS = 4
VISIT = "feedback"  # the session slot: {"feature": first tile opened, "asked": bool}

Submit = Callable[[int, tuple[str, ...], str | None], str]


def _label(text: str, font_size: float | None = None, **kwargs: Any) -> WrapLabel:
    label = WrapLabel(source=text, **kwargs)
    if font_size is not None:  # after the kv rule, which binds font_size to the theme
        label.font_size = font_size
    return label


def _landscape() -> bool:
    from kivy.core.window import Window

    return bool(Window.width > Window.height)


class PhonePad(BoxLayout):
    """Digits for a call-back number: 0-9 and 删除 (residents tap, never type)."""

    number = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(orientation="vertical", size_hint_y=None, **kwargs)
        self.bind(minimum_height=self.setter("height"))
        from kivy.app import App

        size = App.get_running_app().theme
        self.spacing = size.gap * 0.5
        self.display = _label(" ", font_size=size.headline, bold=True, halign="center")
        self.add_widget(self.display)
        grid = GridLayout(cols=3, size_hint_y=None, spacing=size.gap * 0.5)
        key_height = size.touch * (0.86 if _landscape() else 1)  # >= 120 px at 1080 px
        grid.height = key_height * 4 + grid.spacing[1] * 3
        for key in ("1", "2", "3", "4", "5", "6", "7", "8", "9", "delete", "0"):
            text = strings.KEY_DELETE if key == "delete" else key
            button = SecondaryButton(source=text, action=f"phone-{key}", fit_height=False)
            button.size_hint_y, button.padding = 1, (0, 0)
            digits = size.title if _landscape() else size.headline
            button.font_size = size.body if key == "delete" else digits
            button.bind(on_release=lambda _b, k=key: self.press(k))
            grid.add_widget(button)
        self.add_widget(grid)

    def press(self, key: str) -> None:
        if key == "delete":
            self.number = self.number[:-1]
        elif len(self.number) < 12:
            self.number += key

    def on_number(self, *_: Any) -> None:
        self.display.source = self.number or " "


class RatingPanel(BoxLayout):
    """一次一评: five big levels; for 不满意 and below, reason tags and an optional call-back.

    `submit(level, reasons, phone) -> thanks text` stores the rating; raising means it was not
    stored (the panel says so kindly).
    """

    step = StringProperty("levels")  # levels | reasons | phone | thanks

    def __init__(self, submit: Submit, on_finished: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(orientation="vertical", size_hint_y=None, **kwargs)
        self.bind(minimum_height=self.setter("height"))
        self.submit = submit
        self.on_finished = on_finished
        self.question = strings.RATE_QUESTION
        self.hint = ""
        self.level = 0
        self.reasons: list[str] = []
        self.pad: PhonePad | None = None
        self._thanks_event: Any = None
        self.show_levels()

    @property
    def sizes(self) -> Any:
        """The app's theme (scaled sizes)."""
        from kivy.app import App

        return App.get_running_app().theme

    def reset(self, question: str, hint: str = "") -> None:
        """A fresh question; whatever was chosen and not yet sent is dropped."""
        self.question, self.hint = question, hint
        self.level, self.reasons, self.pad = 0, [], None
        self._cancel_thanks()
        self.show_levels()

    def _start(self, with_hint: bool = True) -> None:
        """The question on top; later steps in landscape leave it out to fit without scrolling."""
        self.clear_widgets()
        size = self.sizes
        self.spacing = size.gap
        if with_hint or not _landscape():
            self.add_widget(
                _label(self.question, font_size=size.headline, bold=True, color=theme.PRIMARY_DARK)
            )
        if self.hint and with_hint:
            self.add_widget(_label(self.hint, color=theme.TEXT_MUTED))

    def show_levels(self) -> None:
        """Five big buttons: a column in portrait, one row in landscape."""
        self.step = "levels"
        self._start()
        landscape = _landscape()
        grid = GridLayout(cols=5 if landscape else 1, size_hint_y=None, spacing=self.sizes.gap)
        grid.bind(minimum_height=grid.setter("height"))
        for level, name in texts.LEVELS.items():
            button = KioskButton(
                source=name,
                action=f"rate-{level}",
                background=LEVEL_COLOURS[level],
                min_height=self.sizes.big_touch * (1.2 if landscape else 0.8),
            )
            button.font_size = self.sizes.title * 0.85 if landscape else self.sizes.headline * 0.8
            button.bind(on_release=lambda _b, lv=level: self.choose(lv))
            grid.add_widget(button)
        self.add_widget(grid)

    def choose(self, level: int) -> None:
        self.level = level
        if level <= texts.BAD_AT_MOST:
            self.show_reasons()
        else:
            self.send(None)

    def show_reasons(self) -> None:
        self.step = "reasons"
        self._start(with_hint=False)
        self.add_widget(_label(f"{texts.LEVELS[self.level]} · {strings.RATE_REASONS}", bold=True))
        landscape = _landscape()
        gap = self.sizes.gap
        grid = GridLayout(cols=3 if landscape else 2, size_hint_y=None, spacing=gap * 0.5)
        grid.bind(minimum_height=grid.setter("height"))
        for reason in texts.REASONS:
            button = SecondaryButton(source=reason, action=f"reason-{reason}")
            button.bind(on_release=lambda b, r=reason: self.toggle(b, r))
            grid.add_widget(button)
        self.add_widget(grid)
        actions = GridLayout(cols=2 if landscape else 1, size_hint_y=None, spacing=gap)
        actions.bind(minimum_height=actions.setter("height"))
        submit = KioskButton(source=strings.RATE_SUBMIT, action="rate-submit")
        submit.bind(on_release=lambda _b: self.send(None))
        actions.add_widget(submit)
        call = SecondaryButton(source=strings.RATE_WANT_CALL, action="rate-want-call")
        call.bind(on_release=lambda _b: self.show_phone())
        actions.add_widget(call)
        self.add_widget(actions)

    def toggle(self, button: Any, reason: str) -> None:
        if reason in self.reasons:
            self.reasons.remove(reason)
            button.background, button.color = theme.NAV_BUTTON, theme.NAV_TEXT
        else:
            self.reasons.append(reason)
            button.background, button.color = theme.PRIMARY, theme.PRIMARY_TEXT

    def show_phone(self, message: str = "") -> None:
        """The number pad; in landscape beside the prompt and the buttons."""
        self.step = "phone"
        self._start(with_hint=False)
        landscape = _landscape()
        side = BoxLayout(orientation="vertical", size_hint_y=None, spacing=self.sizes.gap)
        side.bind(minimum_height=side.setter("height"))
        colour = theme.WARNING if message else theme.TEXT
        side.add_widget(_label(message or strings.RATE_PHONE_PROMPT, color=colour))
        number = self.pad.number if self.pad else ""
        self.pad = PhonePad()
        self.pad.number = number
        submit = KioskButton(source=strings.RATE_SUBMIT, action="phone-submit")
        submit.bind(on_release=lambda _b: self.send(self.pad.number if self.pad else None))
        skip = SecondaryButton(source=strings.RATE_NO_PHONE, action="phone-skip")
        skip.bind(on_release=lambda _b: self.send(None))
        if landscape:
            row = GridLayout(cols=2, size_hint_y=None, spacing=self.sizes.gap * 1.5)
            row.bind(minimum_height=row.setter("height"))
            side.add_widget(submit)
            side.add_widget(skip)
            row.add_widget(side)
            row.add_widget(self.pad)
            self.add_widget(row)
        else:
            side.add_widget(self.pad)
            side.add_widget(submit)
            side.add_widget(skip)
            self.add_widget(side)

    def send(self, phone: str | None) -> None:
        from kiosk.feedback.items import FeedbackError, check_phone

        if phone:
            try:
                check_phone(phone)
            except FeedbackError:
                self.show_phone(strings.RATE_PHONE_BAD)
                return
        try:
            message = self.submit(self.level, tuple(self.reasons), phone or None)
        except Exception:  # a resident never sees a traceback; staff find it in the log
            log.exception("could not store a rating")
            message = strings.RATE_FAILED
        self.show_thanks(message)

    def show_thanks(self, message: str) -> None:
        self.step = "thanks"
        self.clear_widgets()
        size = self.sizes
        self.add_widget(
            _label(strings.RATE_THANKS, font_size=size.headline, bold=True, halign="center",
                   color=theme.PRIMARY_DARK)
        )  # fmt: skip
        if message:
            self.add_widget(_label(message, halign="center"))
        self._cancel_thanks()
        self._thanks_event = Clock.schedule_once(lambda _dt: self.on_finished(), THANKS_SECONDS)

    def _cancel_thanks(self) -> None:
        if self._thanks_event is not None:
            self._thanks_event.cancel()
            self._thanks_event = None


def _followup_days(app: Any) -> int:
    return int(app.settings.feedback.followup_days)


def _thanks_for(app: Any, level: int, phone: str | None) -> str:
    if level > texts.BAD_AT_MOST:
        return ""
    days = _followup_days(app)
    return (strings.RATE_THANKS_CALL if phone else strings.RATE_THANKS_BAD).format(days=days)


class RateScreen(KioskScreen):
    """The end-of-visit question. Leaving it any way (首页, 返回, idle, its own timeout, 跳过)
    goes home and forgets an unsent rating."""

    title = strings.RATE_TITLE

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.panel = RatingPanel(self._submit, self._finished)
        self.panel.bind(step=self._on_step)
        self.ids.panel_box.add_widget(self.panel)
        self._timeout: Any = None
        self.feature: str | None = None

    def _on_step(self, _panel: Any, step: str) -> None:
        """跳过 belongs to the first question; later 首页 does the same and space is short."""
        shown = step == "levels"
        skip = self.ids.skip
        skip.opacity = 1 if shown else 0
        skip.fit_height = shown
        skip.size_hint_y = None  # the WrapLabel rule stretches a label that stops fitting
        if shown:
            skip.wrap_now()
        else:
            skip.height = 0

    def show(self, feature: str | None = None, **params: Any) -> None:
        self.feature = feature
        self.panel.reset(strings.RATE_QUESTION, strings.RATE_VISIT_HINT)
        self._on_step(self.panel, self.panel.step)
        self._arm()

    def _arm(self, *_: Any) -> None:
        if self._timeout is not None:
            self._timeout.cancel()
        self._timeout = Clock.schedule_once(
            self._expired, self.app.settings.feedback.prompt_seconds
        )

    def on_touch_down(self, touch: Any) -> bool:
        if self.collide_point(*touch.pos):
            self._arm()
        return super().on_touch_down(touch)

    def _expired(self, _dt: float) -> None:
        if self.manager and self.manager.current == self.name:
            self.app.reset_session()

    def _submit(self, level: int, reasons: tuple[str, ...], phone: str | None) -> str:
        from kiosk.feedback import items

        items.rate(
            self.app.settings,
            level,
            channel="kiosk",
            service=self.feature,
            reasons=reasons,
            phone=phone,
            calendar=self.app.content.pack.calendar,
        )
        return _thanks_for(self.app, level, phone)

    def _finished(self) -> None:
        if self.manager and self.manager.current == self.name:
            self.app.reset_session()

    def skip(self) -> None:
        self.app.reset_session()

    def forget(self) -> None:
        if self._timeout is not None:
            self._timeout.cancel()
            self._timeout = None
        self.feature = None
        self.panel.reset(strings.RATE_QUESTION, strings.RATE_VISIT_HINT)


class EvaluatorScreen(KioskScreen):
    """The window 评价器: waits for its counter to finish a ticket, then asks about it."""

    navigable = False
    waiting = BooleanProperty(True)
    status_text = StringProperty("")
    counter_text = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.panel = RatingPanel(self._submit, self._back_to_waiting)
        self.ids.panel_box.add_widget(self.panel)
        self.current: Any = None  # the kiosk.feedback.hallwatch.Done being rated
        self.watcher: Any = None
        self._timeout: Any = None
        settings = self.app.settings
        counter = settings.feedback.counter
        self.counter_text = (
            strings.EVAL_TITLE.format(counter=f"{counter}号窗口") if counter else strings.RATE_TITLE
        )
        url = getattr(getattr(settings, "hall", None), "url", "")
        if not (url and counter):
            self.status_text = strings.EVAL_NO_SETUP
        self.waiting = True
        self.on_waiting()
        self.on_status_text()

    def show(self, **params: Any) -> None:
        self._start_watching()

    def _start_watching(self) -> None:
        settings = self.app.settings
        url = getattr(getattr(settings, "hall", None), "url", "")
        counter = settings.feedback.counter
        if self.watcher is not None or not (url and counter) or not self.app.stats_enabled:
            return
        from kiosk.feedback.hallwatch import HallWatcher

        self.watcher = HallWatcher(
            url,
            counter,
            on_done=lambda done: Clock.schedule_once(lambda _dt: self.ask(done), 0),
            on_link=lambda ok: Clock.schedule_once(lambda _dt: self._link(ok), 0),
        ).start()

    def on_waiting(self, *_: Any) -> None:
        self._fold(self.ids.waiting_label, self.waiting)

    def on_status_text(self, *_: Any) -> None:
        self._fold(self.ids.status_label, bool(self.status_text))

    @staticmethod
    def _fold(label: Any, shown: bool) -> None:
        label.opacity = 1 if shown else 0
        label.fit_height = shown
        label.size_hint_y = None
        if shown:
            label.wrap_now()
        else:
            label.height = 0

    def _link(self, ok: bool) -> None:
        self.status_text = "" if ok else strings.EVAL_OFFLINE
        if ok and self.watcher is not None:
            self.counter_text = strings.EVAL_TITLE.format(counter=self.watcher.counter_name)

    def ask(self, done: Any) -> None:
        """A ticket was just served here: ask about it (replacing an unsent rating)."""
        self.current = done
        hint = strings.EVAL_TICKET.format(ticket=done.ticket, service=done.service_name or "")
        self.panel.reset(strings.RATE_QUESTION, hint)
        self.waiting = False
        if self._timeout is not None:
            self._timeout.cancel()
        self._timeout = Clock.schedule_once(
            lambda _dt: self._back_to_waiting(), self.app.settings.feedback.prompt_seconds
        )

    def _submit(self, level: int, reasons: tuple[str, ...], phone: str | None) -> str:
        from kiosk.feedback import items

        done = self.current
        if self._timeout is not None:
            self._timeout.cancel()
        items.rate(
            self.app.settings,
            level,
            channel="window",
            service=getattr(done, "service", None),
            counter=getattr(done, "counter", None) or self.app.settings.feedback.counter,
            ticket=getattr(done, "ticket", None),
            reasons=reasons,
            phone=phone,
            calendar=self.app.content.pack.calendar,
        )
        return _thanks_for(self.app, level, phone)

    def _back_to_waiting(self) -> None:
        if self._timeout is not None:
            self._timeout.cancel()
            self._timeout = None
        self.current = None
        self.panel.reset(strings.RATE_QUESTION)
        self.waiting = True

    def forget(self) -> None:
        self._back_to_waiting()

    def on_leave(self, *_: Any) -> None:
        pass

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None


# --- 投诉建议 ---------------------------------------------------------------------------------


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
        if phrase in self.phrases:
            self.phrases.remove(phrase)
            button.background, button.color = theme.NAV_BUTTON, theme.NAV_TEXT
        else:
            self.phrases.append(phrase)
            button.background, button.color = theme.PRIMARY, theme.PRIMARY_TEXT

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


# --- staff ----------------------------------------------------------------------------------


class FeedbackAdminScreen(KioskScreen):
    """差评 and 留言 items with their call-back number, for staff to follow up."""

    title = strings.FEEDBACK_ADMIN_TITLE

    def show(self, **params: Any) -> None:
        from kiosk.feedback import items

        box = self.ids.body
        box.clear_widgets()
        settings = self.app.settings
        db = items.open_feedback(settings)
        items.purge(settings, db)
        found = sorted(items.items(db), key=lambda i: (i.status != texts.OPEN, -i.id))[:60]
        if not found:
            box.add_widget(_label(strings.FEEDBACK_ADMIN_EMPTY))
        today = clock.today()
        for item in found:
            card = Card()
            if item.kind == "rating":
                what = f"#{item.id} {texts.LEVELS.get(item.level or 0, '')} {item.reasons}"
            else:
                what = f"#{item.id} {item.category} {item.message}"
            where = " ".join(
                p for p in (item.created_at[:16].replace("T", " "),
                            texts.CHANNELS.get(item.channel, ""),
                            f"{item.counter}号窗口" if item.counter else "", item.ticket or "") if p
            )  # fmt: skip
            card.add_widget(_label(what, bold=True))
            card.add_widget(_label(where, color=theme.TEXT_MUTED, font_size=self.app.theme.small))
            late = strings.FEEDBACK_ADMIN_LATE if item.overdue(today) else ""
            card.add_widget(
                _label(strings.FEEDBACK_ADMIN_DUE.format(status=item.status, due=item.due) + late,
                       color=theme.WARNING if late else theme.TEXT)
            )  # fmt: skip
            if item.phone:
                card.add_widget(_label(strings.FEEDBACK_ADMIN_PHONE.format(phone=item.phone)))
            row = GridLayout(cols=3, size_hint_y=None, spacing=self.app.theme.gap * 0.5)
            row.bind(minimum_height=row.setter("height"))
            for status in texts.STATUSES[1:]:
                button = SecondaryButton(source=status, action=f"item-{item.id}-{status}")
                button.bind(on_release=lambda _b, i=item.id, s=status: self.set_status(i, s))
                row.add_widget(button)
            card.add_widget(row)
            box.add_widget(card)

    def set_status(self, item_id: int, status: str) -> None:
        from kiosk.feedback import items

        items.update(self.app.settings, item_id, status)
        self.show()


def admin_rows(app: Any) -> list[tuple[str, str, bool]]:
    from kiosk.feedback import items

    try:
        db = items.open_feedback(app.settings)
        found = items.items(db, status="open")
    except Exception:
        log.exception("could not read feedback items")
        return []
    overdue = sum(1 for i in found if i.overdue(clock.today()))
    text = strings.FEEDBACK_ADMIN_SUMMARY.format(open=len(found), overdue=overdue)
    return [(strings.FEEDBACK_ADMIN_ROW, text, overdue > 0)]


ADMIN_ACTIONS = [(strings.FEEDBACK_ADMIN_OPEN, lambda app: app.go("feedback-admin"))]


# --- tour -----------------------------------------------------------------------------------


def _tour_rate(step: str) -> Callable[[Any], None]:
    def visit(driver: Any) -> None:
        app = driver.app
        app.reset_session()
        screen = app.go("rate", feature="directory")
        screen._timeout.cancel()
        if step == "reasons":
            screen.panel.choose(2)
        elif step == "phone":
            screen.panel.choose(1)
            screen.panel.show_phone()
            screen.panel.pad.number = "1380013"

    return visit


def _tour_evaluator(driver: Any) -> None:
    from kiosk.feedback.hallwatch import Done

    app = driver.app
    app.reset_session()
    screen = app.go("evaluator")
    screen.ask(Done("C012", "center-legal-aid", "法律援助", "3", "3号窗口", 1))
    screen._timeout.cancel()


def _tour_complaints(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("complaints")


def _tour_complaint_form(driver: Any) -> None:
    driver.app.reset_session()
    screen = driver.app.go("complaint-form")
    screen.pick(texts.CATEGORIES[0])


TOUR_STOPS = [
    ("rate", _tour_rate("levels")),
    ("rate-reasons", _tour_rate("reasons")),
    ("rate-phone", _tour_rate("phone")),
    ("evaluator", _tour_evaluator),
    ("complaints", _tour_complaints),
    ("complaint-form", _tour_complaint_form),
]


load_kv(__file__)
