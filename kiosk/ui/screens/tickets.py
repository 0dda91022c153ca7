"""取号: choose a service, confirm (optionally 绿色通道), watch it print, keep the number.

The number is committed and the ticket printed in a worker thread; the screen learns of each
step through Clock.schedule_once, so a slow or dead printer never freezes the touch screen.
When the paper does not come out the number stays on screen, very large, with a QR code and
"请拍照或记下号码，到窗口出示" — the ticket is valid either way. Printer status is asked in the
background before tickets are offered; staff see it, and can reprint, on the admin screen.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, ColorProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk import clock
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.widgets import Banner, KioskButton, SecondaryButton, WrapLabel

FEATURE = "tickets"
STATUS_FRESH_SECONDS = 20.0
LIST_REFRESH_SECONDS = 30.0
SHOW_NUMBER_AFTER = 0.3  # seconds of printing before the number is shown on its own


def _desk(app: Any, pack: Any = None) -> Any:
    from kiosk.tickets.desk import Desk

    return Desk(app.settings, pack or app.content.pack)


def in_background(
    work: Callable[[], Any], done: Callable[[Any, BaseException | None], None]
) -> None:
    """Run `work` in a thread; call `done(result, error)` on the UI thread."""

    def run() -> None:
        try:
            result, error = work(), None
        except BaseException as exc:  # handed to the UI thread, which decides what to show
            result, error = None, exc
        Clock.schedule_once(lambda _dt: done(result, error), 0)

    threading.Thread(target=run, daemon=True, name="tickets-worker").start()


class PrinterWatch:
    """The last printer status, asked in the background at most every 20 s."""

    def __init__(self) -> None:
        self.status: Any = None
        self.checked_at = 0.0
        self.busy = False
        self.listeners: list[Callable[[Any], None]] = []

    def fresh(self) -> bool:
        return self.status is not None and time.monotonic() - self.checked_at < STATUS_FRESH_SECONDS

    def refresh(self, app: Any, force: bool = False) -> None:
        if self.busy or (self.fresh() and not force):
            return
        self.busy = True
        desk = _desk(app)

        def done(status: Any, error: BaseException | None) -> None:
            from kiosk.tickets.printers import PrinterStatus

            self.busy = False
            self.status = status if error is None else PrinterStatus("error", str(error))
            self.checked_at = time.monotonic()
            for listener in list(self.listeners):
                listener(self.status)

        in_background(desk.printer_status, done)

    def problem(self) -> str:
        """The reason to tell residents their ticket may not print, or ""."""
        status = self.status
        if status is None or status.can_print:
            return ""
        return status.label


def printer_watch(app: Any) -> PrinterWatch:
    """The running app's printer watch: one per app, so a new app starts knowing nothing."""
    watch = getattr(app, "printer_watch", None)
    if watch is None:
        watch = app.printer_watch = PrinterWatch()
    return watch


def show_printer_problem(box: Any) -> None:
    """A banner in `box` when the printer is known not to print; nothing otherwise."""
    box.clear_widgets()
    problem = printer_watch(App.get_running_app()).problem()
    if problem:
        box.add_widget(Banner(text=strings.TICKETS_PRINTER_DOWN.format(reason=problem)))


def _ahead_text(ahead: int) -> str:
    return strings.TICKETS_AHEAD.format(ahead=ahead) if ahead else strings.TICKETS_AHEAD_NONE


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


# --- the ticket -------------------------------------------------------------------------------


class TicketScreen(KioskScreen):
    """printing -> printed | not printed | refused | error; then back home after a while."""

    title = strings.TICKETS_TITLE
    busy = True
    state = StringProperty("")  # printing printed failed screen refused error
    landscape = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._request = 0
        self._countdown: Any = None
        self._dots: Any = None
        self.seconds_left = 0
        self.issued: Any = None
        self._trigger_fit = Clock.create_trigger(self._fit, -1)
        self.app.theme.bind(scale=self._trigger_fit, elder=self._trigger_fit)
        self._shown: tuple[Any, str] | None = None
        self.ids.side.bind(minimum_height=self._layout)
        for box in (self.ids.main, self.ids.side):
            box.bind(height=self._trigger_fit)
            for child in box.children:
                child.bind(height=self._trigger_fit)

    # layout ---------------------------------------------------------------------------------

    def on_size(self, *_: Any) -> None:
        self.landscape = self.width > self.height
        self._layout()

    def on_landscape(self, *_: Any) -> None:
        if self._shown is not None:
            self.present(*self._shown)

    def _layout(self, *_: Any) -> None:
        """Portrait: one column. Landscape: the number left, QR and buttons right.
        Set in Python: a kv size_hint that switches to None keeps its first height."""
        ids = self.ids
        ids.columns.orientation = "horizontal" if self.landscape else "vertical"
        if self.landscape:
            ids.side.size_hint = (0.42, 1)
        else:
            ids.side.size_hint = (1, None)
            ids.side.height = ids.side.minimum_height
        self._trigger_fit()

    def _fit(self, *_: Any) -> None:
        """The number as big as the column allows (up to 1.8x `huge`); the QR likewise.

        The number is the one thing a resident must leave with: when the column is too short
        for a number at least 1.2x `huge` (长者模式 in portrait), the QR gives way to it (the
        resident photographs the number instead, as the screen says)."""
        ids, size = self.ids, self.app.theme
        number = ids.number
        ratio = 1.2  # Roboto Bold: line height / font size
        preferred = size.huge * (1.5 if self.landscape else 1.8)
        available = _free_height(ids.main, exclude=number)
        if (
            not self.landscape
            and ids.qr.opacity
            and number.text
            and available / ratio < size.huge * 1.2
        ):
            ids.qr.opacity = 0  # the side column shrinks; this runs again with more room
            return
        number.font_size = max(size.huge * 0.7, min(preferred, available / ratio))
        qr_side = size.scale * (280 if self.landscape else 360)
        if self.landscape and ids.qr.opacity:
            qr_side = max(
                size.scale * 160, min(qr_side, _free_height(ids.side, exclude=ids.qr_box))
            )
        ids.qr.size = (qr_side, qr_side)

    # flow -----------------------------------------------------------------------------------

    def show(self, service_id: str = "", priority: bool = False, **params: Any) -> None:
        self._stop_timers()
        self._request += 1
        self.issued = None
        if not service_id:
            return
        request = self._request
        self._set("printing", number="", headline=strings.TICKETS_PRINTING)
        self._set_navigation(False)
        self._dots = Clock.schedule_interval(self._animate, 0.4)
        app = self.app
        desk = _desk(app)
        known = printer_watch(self.app).status if printer_watch(self.app).fresh() else None

        def committed(ticket: Any) -> None:
            # Show the number while printing only if printing takes a while: redrawing the
            # screen at the same moment would slow the print down (one interpreter lock).
            Clock.schedule_once(
                lambda _dt: self._committed(request, desk, ticket), SHOW_NUMBER_AFTER
            )

        def work() -> Any:
            ticket = desk.issue(service_id, priority)
            committed(ticket)
            return desk.print_ticket(ticket, known_status=known)

        in_background(work, lambda result, error: self._finished(request, result, error))

    def _committed(self, request: int, desk: Any, ticket: Any) -> None:
        if request != self._request or self.state != "printing":
            return
        self.app.session.features[FEATURE] = {"number": ticket.number}
        self.present(desk.content(ticket), "printing")

    def _finished(self, request: int, issued: Any, error: BaseException | None) -> None:
        if request != self._request:
            return  # the resident left; the ticket is in the ledger for staff anyway
        self._stop_timers()
        self._set_navigation(True)
        if error is not None:
            from kiosk.tickets import Refused

            if isinstance(error, Refused):
                self._set("refused", headline=strings.TICKETS_REFUSED, detail=error.reason)
            else:
                self._set("error", headline=strings.TICKETS_ERROR)
            self._start_countdown(self.app.settings.tickets.show_seconds)
            return
        self.issued = issued
        self.app.session.features[FEATURE] = {"number": issued.ticket.number}
        if not issued.printed:
            printer_watch(self.app).refresh(self.app, force=True)
        state = "printed" if issued.printed else ("screen" if issued.screen_only else "failed")
        self.present(issued.content, state)
        tickets = self.app.settings.tickets
        self._start_countdown(
            tickets.show_seconds if issued.printed else tickets.failure_show_seconds
        )

    def present(self, content: Any, state: str) -> None:
        """Show a ticket in a state; also used by the tour with a sample ticket."""
        self._shown = (content, state)
        headline = {
            "printing": strings.TICKETS_PRINTING,
            "printed": strings.TICKETS_TAKE_PAPER,
            "failed": strings.TICKETS_NOT_PRINTED,
            "screen": strings.TICKETS_SCREEN_ONLY,
        }[state]
        windows = strings.TICKETS_GO_TO.format(windows=content.windows) if content.windows else ""
        detail = "\n".join(
            line
            for line in (
                windows,
                strings.TICKETS_POSITION.format(
                    position=content.position, ahead=_ahead_text(content.ahead)
                ),
                ""
                if self.landscape or state in ("failed", "screen")
                else (f"{content.issued_at:%Y-%m-%d %H:%M}"),
            )
            if line
        )
        self._set(state, number=content.number, headline=headline, detail=detail)
        self.ids.service.source = content.service_name
        if content.priority:
            self.ids.priority.add_widget(
                Banner(
                    text=strings.TICKETS_PRIORITY_MARK,
                    background=theme.SUCCESS,
                    foreground=theme.PRIMARY_TEXT,
                )
            )
        on_screen_only = state in ("failed", "screen")
        self.ids.qr.data = _qr_text(content) if on_screen_only else ""
        self.ids.qr.opacity = 1 if on_screen_only else 0
        photo = strings.TICKETS_PHOTO_TWO_LINES if self.landscape else strings.TICKETS_PHOTO
        self.ids.photo.source = photo if on_screen_only else ""
        bring = (
            ""
            if on_screen_only or not content.bring
            else (strings.TICKETS_BRING + "：" + "、".join(content.bring))
        )
        self.ids.bring.source = bring
        self._layout()

    def _set(self, state: str, number: str = "", headline: str = "", detail: str = "") -> None:
        if state not in ("printing", "printed", "failed", "screen"):
            self._shown = None
        self.state = state
        ids = self.ids
        ids.headline.source = headline
        ids.headline.color = (
            theme.WARNING
            if state in ("failed", "screen", "refused", "error")
            else theme.PRIMARY_DARK
        )
        ids.number.text = number
        show_label = number and not self.landscape and state not in ("failed", "screen")
        ids.number_label.source = strings.TICKETS_YOUR_NUMBER if show_label else ""
        ids.detail.source = detail
        ids.service.source = ""
        ids.priority.clear_widgets()
        if state in ("printing", "refused", "error"):
            ids.qr.data = ""
            ids.qr.opacity = 0
            ids.photo.source = ""
            ids.bring.source = ""
        ids.done.opacity = 0 if state == "printing" else 1
        ids.done.disabled = state == "printing"
        ids.done.source = (
            strings.TICKETS_CHOOSE_OTHER if state == "refused" else strings.TICKETS_DONE
        )
        ids.countdown.source = ""

    def _animate(self, _dt: float) -> None:
        if self.state != "printing":
            return
        dots = (self.ids.headline.source.count("·") + 1) % 4
        self.ids.headline.source = strings.TICKETS_PRINTING + " " + "·" * dots

    def _set_navigation(self, allowed: bool) -> None:
        self.navigable = allowed
        if self.manager and self.manager.current == self.name:
            self.app.can_navigate = allowed

    def _start_countdown(self, seconds: int) -> None:
        self.seconds_left = seconds
        self._tick(0)
        self._countdown = Clock.schedule_interval(self._tick, 1)

    def _tick(self, _dt: float) -> None:
        if self.seconds_left <= 0:
            self._stop_timers()
            if self.manager and self.manager.current == self.name:
                self.app.home()
            return
        self.ids.countdown.source = strings.TICKETS_COUNTDOWN.format(seconds=self.seconds_left)
        self.seconds_left -= 1

    def done_pressed(self) -> None:
        if self.state == "refused":
            self._stop_timers()
            self.app.go("tickets", remember=False)
        else:
            self.app.home()

    def _stop_timers(self) -> None:
        for event in (self._countdown, self._dots):
            if event is not None:
                event.cancel()
        self._countdown = self._dots = None

    def on_leave(self, *_: Any) -> None:
        self._stop_timers()

    def forget(self) -> None:
        self._stop_timers()
        self._request += 1
        self.issued = None
        self._set("", "", "", "")
        self.ids.qr.data = ""


def _free_height(box: Any, exclude: Any) -> float:
    """Height left in a vertical box for `exclude`, after the other fixed-height children."""
    exclude = getattr(exclude, "__self__", exclude)  # ids are weak proxies
    fixed = [c for c in box.children if c is not exclude and c.size_hint_y is None]
    gaps = box.spacing * (len(box.children) - 1)
    padding = box.padding[1] + box.padding[3] if len(box.padding) == 4 else 0
    return box.height - sum(c.height for c in fixed) - gaps - padding - 2


def _qr_text(content: Any) -> str:
    """What the on-screen QR carries: the ticket itself, readable by any phone. No personal data."""
    return (
        f"{content.site_name} 取号凭证\n号码：{content.number}\n业务：{content.service_name}\n"
        f"时间：{content.issued_at:%Y-%m-%d %H:%M}"
    )


# --- tour -------------------------------------------------------------------------------------


def _sample(app: Any, priority: bool = False) -> Any:
    """A ticket to photograph: never written to the ledger (the tour must not use numbers)."""
    from kiosk.packs.model import Service
    from kiosk.tickets.ledger import Ticket

    desk = _desk(app)
    services = desk.services()
    service = (
        services[0]
        if services
        else Service(id="sample", site=desk.site_id, name="法律咨询（示例）", prefix="A")
    )
    ticket = Ticket(
        id=0,
        site=desk.site_id,
        day=clock.today(),
        service=service.id,
        service_name=service.name,
        seq=12,
        number=f"{service.prefix}012",
        priority=priority,
        issued_at=clock.now().replace(microsecond=0),
        position=12,
        ahead=3,
    )
    return desk.content(ticket), service


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


def _tour_ticket(state: str, priority: bool = False) -> Callable[[Any], None]:
    def visit(driver: Any) -> None:
        app = driver.app
        app.reset_session()
        screen = app.go("ticket")
        content, _service = _sample(app, priority)
        screen.present(content, state)
        if state != "printing":
            screen.ids.done.opacity = 1
            screen.ids.countdown.source = strings.TICKETS_COUNTDOWN.format(seconds=20)

    return visit


def _tour_admin(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("ticket-admin")


TOUR_STOPS = [
    ("tickets", _tour_list),
    ("ticket-confirm", _tour_confirm),
    ("ticket-printing", _tour_ticket("printing")),
    ("ticket-printed", _tour_ticket("printed", priority=True)),
    ("ticket-not-printed", _tour_ticket("failed")),
    ("ticket-admin", _tour_admin),
]


load_kv(__file__)
