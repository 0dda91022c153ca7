"""取号's worker thread and the printer's last known status, shared by the 取号 screens.

The number is committed and the ticket printed in a worker thread; the screen learns of each
step through Clock.schedule_once, so a slow or dead printer never freezes the touch screen.
Printer status is asked in the background before tickets are offered.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from kivy.app import App
from kivy.clock import Clock

from kiosk.ui import strings
from kiosk.ui.widgets import Banner

FEATURE = "tickets"
STATUS_FRESH_SECONDS = 20.0


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
