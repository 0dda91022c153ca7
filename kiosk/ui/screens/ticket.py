"""The ticket on screen: printing -> printed | not printed | refused | error.

When the paper does not come out the number stays on screen, very large, with a QR code and
"请拍照或记下号码，到窗口出示" — the ticket is valid either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from kiosk import clock
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.screens.tickets_printer import FEATURE, _desk, in_background, printer_watch
from kiosk.ui.widgets import Banner

SHOW_NUMBER_AFTER = 0.3  # seconds of printing before the number is shown on its own


def _ahead_text(ahead: int) -> str:
    return strings.TICKETS_AHEAD.format(ahead=ahead) if ahead else strings.TICKETS_AHEAD_NONE


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
        self.app.theme.bind(scale=self._trigger_fit, elder=self.on_landscape)
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
        """Orientation or 长者模式 changed: lay the shown ticket out again (which lines fit
        depends on both)."""
        if self._shown is not None:
            self.present(*self._shown)
        self._trigger_fit()

    def _layout(self, *_: Any) -> None:
        """Portrait: one column. Landscape: the number left, QR and buttons right.
        Set in Python: a kv size_hint that switches to None keeps its first height."""
        ids = self.ids
        ids.columns.orientation = "horizontal" if self.landscape else "vertical"
        ids.qr_row.orientation = "vertical" if self.landscape else "horizontal"
        # 长者模式 landscape: 绿色通道 moves to the right column, so the left one keeps its
        # headline below the header with a number still the largest text
        beside = self.landscape and self.app.theme.elder and bool(ids.priority.children)
        _move(
            ids.priority,
            ids.side if beside else ids.main,
            below=ids.qr_row if beside else ids.number,
        )
        if self.landscape:
            # 长者模式: a wider right column, so 请携带's bigger words stay on screen
            ids.side.size_hint = (0.7 if self.app.theme.elder else 0.42, 1)
        else:
            ids.side.size_hint = (1, None)
            ids.side.height = ids.side.minimum_height
        self._trigger_fit()

    def _fit(self, *_: Any) -> None:
        """The number as big as its column allows (up to 1.8x `huge`), always the largest
        text; the QR beside the words in portrait (a fixed size), as big as the right column
        allows in landscape."""
        ids, size = self.ids, self.app.theme
        number = ids.number
        ratio = 1.2  # Roboto Bold: line height / font size
        preferred = size.huge * (1.5 if self.landscape else 1.8)
        available = _free_height(ids.main, exclude=number)
        # never below 1.25x the title (the largest other text), even in a crowded column
        floor = min(size.huge * 0.7, size.title * 1.25)
        number.font_size = max(floor, min(preferred, available / ratio))
        qr_side = size.scale * 280
        if self.landscape and ids.qr.opacity:
            room = _free_height(ids.side, exclude=ids.qr_row) - ids.photo.height
            room -= ids.qr_row.spacing
            qr_side = max(size.scale * 160, min(qr_side, room))
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
                ""  # the time is on the paper; 长者模式 needs its line for bigger words
                if self.landscape or self.app.theme.elder or state in ("failed", "screen")
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
        photo = strings.TICKETS_PHOTO_TWO_LINES  # beside the QR in portrait, under it in landscape
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


def _move(widget: Any, box: Any, below: Any) -> None:
    """Put `widget` into the vertical `box` right under `below` (no-op where it already is)."""
    widget, box, below = (getattr(w, "__self__", w) for w in (widget, box, below))
    if widget.parent is box:
        return
    if widget.parent is not None:
        widget.parent.remove_widget(widget)
    box.add_widget(widget, index=box.children.index(below))


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


TOUR_STOPS = [
    ("ticket-printing", _tour_ticket("printing")),
    ("ticket-printed", _tour_ticket("printed", priority=True)),
    ("ticket-not-printed", _tour_ticket("failed")),
]


load_kv(__file__)
