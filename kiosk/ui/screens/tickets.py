"""取号: choose a service, confirm (optionally 绿色通道); the ticket itself is ticket.py.

The printer's status is asked in the background (tickets_printer.py) before tickets are
offered; staff see it, and can reprint, on the admin screen (tickets_admin.py).
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, ColorProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.screens.tickets_printer import _desk, printer_watch, show_printer_problem
from kiosk.ui.widgets import KioskButton, SecondaryButton, WrapLabel

LIST_REFRESH_SECONDS = 30.0


# --- the list of services ---------------------------------------------------------------------


class ServiceCard(ButtonBehavior, BoxLayout):
    """One service: name, window, hours, how many wait; greyed with the reason when closed."""

    name = StringProperty("")
    details = StringProperty("")
    waiting = StringProperty("")
    reason = StringProperty("")
    available = BooleanProperty(True)
    action = StringProperty("")
    background = ColorProperty(theme.SURFACE)


class TicketsScreen(KioskScreen):
    title = strings.TICKETS_TITLE

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        printer_watch(self.app).listeners.append(lambda _status: self._show_printer())
        self._refresher: Any = None

    def show(self, **params: Any) -> None:
        self.rebuild()
        printer_watch(self.app).refresh(self.app)
        self._show_printer()
        self.ids.scroll.scroll_y = 1

    def on_enter(self, *_: Any) -> None:
        self._refresher = Clock.schedule_interval(lambda _dt: self.rebuild(), LIST_REFRESH_SECONDS)

    def on_leave(self, *_: Any) -> None:
        if self._refresher is not None:
            self._refresher.cancel()
            self._refresher = None

    def rebuild(self) -> None:
        box = self.ids.services
        box.clear_widgets()
        try:
            states = _desk(self.app).states()
        except Exception:  # a broken database must not break the hall's screen
            states = None
        if not states:
            box.add_widget(
                WrapLabel(
                    source=strings.ERROR_FRIENDLY if states is None else strings.TICKETS_EMPTY
                )
            )
            return
        for state in states:
            details = [state.windows and strings.TICKETS_WINDOWS.format(windows=state.windows)]
            details.append(state.hours and strings.TICKETS_HOURS.format(hours=state.hours))
            card = ServiceCard(
                name=state.service.name,
                details="\n".join(d for d in details if d),
                waiting=strings.TICKETS_WAITING.format(waiting=state.waiting),
                reason=state.availability.reason,
                available=state.open,
                action=f"service:{state.service.id}",
            )
            card.bind(on_release=lambda c, sid=state.service.id: self.choose(c, sid))
            box.add_widget(card)

    def choose(self, card: ServiceCard, service_id: str) -> None:
        if card.available:
            self.app.go("ticket-confirm", service_id=service_id)

    def _show_printer(self) -> None:
        show_printer_problem(self.ids.printer_box)


# --- confirmation -----------------------------------------------------------------------------


class TicketConfirmScreen(KioskScreen):
    title = strings.TICKETS_CONFIRM_TITLE
    busy = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        printer_watch(self.app).listeners.append(lambda _status: self._show_printer())
        self.service_id = ""

    def show(self, service_id: str = "", **params: Any) -> None:
        self.service_id = service_id
        self.ids.scroll.scroll_y = 1
        box, buttons = self.ids.info, self.ids.buttons
        box.clear_widgets()
        buttons.clear_widgets()
        printer_watch(self.app).refresh(self.app)
        self._show_printer()
        desk = _desk(self.app)
        try:
            service = desk.find_service(service_id)
            state = desk.state(service)
        except Exception:
            box.add_widget(WrapLabel(source=strings.ERROR_FRIENDLY))
            return
        add = box.add_widget
        add(Factory.TicketHeadline(source=service.name))
        if state.windows:
            add(WrapLabel(source=strings.TICKETS_WINDOWS.format(windows=state.windows)))
        add(WrapLabel(source=strings.TICKETS_CONFIRM_WAITING.format(waiting=state.waiting)))
        if service.bring:
            add(Factory.TicketTitle(source=strings.TICKETS_BRING))
            for item in service.bring:
                add(Factory.TicketItem(source=f"· {item}"))
        if not state.open:
            add(WrapLabel(source=state.availability.reason, bold=True, color=theme.WARNING))
            back = SecondaryButton(source=strings.TICKETS_CHOOSE_OTHER, action="ticket-other")
            back.bind(on_release=lambda _b: self.app.back())
            self._add_button(back)
            return
        if service.priority:
            groups = "、".join(service.priority_groups)
            note = (
                strings.TICKETS_PRIORITY_FOR.format(groups=groups)
                if groups
                else (strings.TICKETS_PRIORITY_ANYONE)
            )
            add(WrapLabel(source=note, color=theme.SUCCESS))
            priority = KioskButton(
                source=strings.TICKETS_TAKE_PRIORITY,
                action="ticket-take-priority",
                background=theme.SUCCESS,
            )
            priority.bind(on_release=lambda _b: self.take(priority=True))
            self._add_button(priority)
        take = KioskButton(source=strings.TICKETS_TAKE, action="ticket-take")
        take.bind(on_release=lambda _b: self.take(priority=False))
        self._add_button(take)

    def _add_button(self, button: KioskButton) -> None:
        button.fit_height = False
        button.size_hint_y = None
        button.height = self.app.theme.big_touch
        self.ids.buttons.add_widget(button)

    def on_size(self, *_: Any) -> None:
        """Portrait: buttons in a row under the text. Landscape: a column on the right, so
        the text keeps the full (short) height. Set in Python (see home.py)."""
        ids = self.ids
        landscape = self.width > self.height
        ids.body.orientation = "horizontal" if landscape else "vertical"
        ids.buttons.orientation = "vertical" if landscape else "horizontal"
        if landscape:
            ids.buttons.size_hint = (0.38, 1)
        else:
            ids.buttons.size_hint = (1, None)
            ids.buttons.height = self.app.theme.big_touch

    def take(self, priority: bool) -> None:
        """One tap, one ticket: the buttons go away at once, so a double tap cannot issue two."""
        if not self.service_id:
            return
        self.ids.buttons.clear_widgets()
        service_id, self.service_id = self.service_id, ""
        self.app.go("ticket", remember=False, service_id=service_id, priority=priority)

    def _show_printer(self) -> None:
        show_printer_problem(self.ids.printer_box)

    def forget(self) -> None:
        self.service_id = ""


# --- tour -------------------------------------------------------------------------------------


def _tour_list(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("tickets")


def _tour_confirm(driver: Any) -> None:
    app = driver.app
    app.reset_session()
    app.go("tickets")
    services = _desk(app).services()
    priority = next((s for s in services if s.priority), services[0] if services else None)
    if priority is not None:
        app.go("ticket-confirm", service_id=priority.id)


TOUR_STOPS = [
    ("tickets", _tour_list),
    ("ticket-confirm", _tour_confirm),
]


load_kv(__file__)
