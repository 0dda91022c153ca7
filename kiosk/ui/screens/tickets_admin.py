"""取号 for staff: the admin screen's printer status, failed tickets to reprint, a test page
(the rows and the 出票机 button on the admin screen come from here too)."""

from __future__ import annotations

from typing import Any

from kivy.uix.boxlayout import BoxLayout

from kiosk import clock
from kiosk.ui import strings, theme
from kiosk.ui.screens.base import KioskScreen, load_kv
from kiosk.ui.screens.tickets_printer import FEATURE, _desk, in_background, printer_watch
from kiosk.ui.widgets import KioskButton, WrapLabel

# --- staff ------------------------------------------------------------------------------------


class TicketAdminScreen(KioskScreen):
    """Printer status, today's tickets that did not print, reprint, test page."""

    title = strings.TICKETS_ADMIN_TITLE

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        printer_watch(self.app).listeners.append(lambda _status: self._show_status())

    def show(self, **params: Any) -> None:
        self.ids.message.source = ""
        printer_watch(self.app).refresh(self.app, force=True)
        self.refresh()

    def refresh(self) -> None:
        self._show_status()
        box = self.ids.tickets
        box.clear_widgets()
        try:
            unprinted = _desk(self.app).unprinted()
        except Exception as exc:
            box.add_widget(WrapLabel(source=f"{strings.ERROR_FRIENDLY}（{exc}）"))
            return
        if not unprinted:
            box.add_widget(WrapLabel(source=strings.TICKETS_ADMIN_ALL_PRINTED))
        if len(unprinted) > 1:
            every = KioskButton(
                source=strings.TICKETS_ADMIN_REPRINT_ALL.format(count=len(unprinted)),
                action="ticket-reprint-all",
            )
            every.bind(on_release=lambda _b: self.reprint([t.number for t in unprinted]))
            box.add_widget(every)
        for ticket in unprinted:
            row = BoxLayout(size_hint_y=None, spacing=self.app.theme.gap)
            label = WrapLabel(
                source=f"{ticket.number} {ticket.service_name} {ticket.issued_at:%H:%M}\n"
                f"{ticket.print_error}",
                color=theme.WARNING,
            )
            button = KioskButton(
                source=strings.TICKETS_ADMIN_REPRINT.format(number=ticket.number),
                action=f"ticket-reprint:{ticket.number}",
                size_hint_x=0.4,
            )
            button.bind(on_release=lambda _b, n=ticket.number: self.reprint([n]))
            row.add_widget(label)
            row.add_widget(button)
            row.height = max(label.height, button.height)
            label.bind(
                height=lambda *_a, r=row, la=label, b=button: setattr(
                    r, "height", max(la.height, b.height)
                )
            )
            button.bind(
                height=lambda *_a, r=row, la=label, b=button: setattr(
                    r, "height", max(la.height, b.height)
                )
            )
            box.add_widget(row)

    def _show_status(self) -> None:
        status = printer_watch(self.app).status
        printer = self.app.settings.printer.url.url
        if status is None or printer_watch(self.app).busy:
            text, warn = f"{printer}：{strings.TICKETS_ADMIN_CHECKING}", False
        else:
            text, warn = f"{printer}：{status.label}", status.warn
        self.ids.status.value = text
        self.ids.status.warn = warn

    def reprint(self, numbers: list[str]) -> None:
        self.ids.message.source = strings.TICKETS_ADMIN_WORKING
        desk = _desk(self.app)

        def work() -> list[Any]:
            return [desk.reprint(number) for number in numbers]

        def done(results: Any, error: BaseException | None) -> None:
            if error is not None:
                self.ids.message.source = strings.TICKETS_ADMIN_FAILED.format(
                    what="", error=str(error)
                )
            else:
                lines = [
                    strings.TICKETS_ADMIN_PRINTED.format(what=r.ticket.number)
                    if r.printed
                    else strings.TICKETS_ADMIN_FAILED.format(
                        what=r.ticket.number, error=r.print_error
                    )
                    for r in results
                ]
                self.ids.message.source = "\n".join(lines)
            printer_watch(self.app).refresh(self.app, force=True)
            self.refresh()

        in_background(work, done)

    def test_page(self) -> None:
        self.ids.message.source = strings.TICKETS_ADMIN_WORKING
        desk = _desk(self.app)

        def done(outcome: Any, error: BaseException | None) -> None:
            what = strings.TICKETS_ADMIN_TEST_PAGE
            if error is None and outcome.ok:
                self.ids.message.source = strings.TICKETS_ADMIN_PRINTED.format(what=what)
            else:
                reason = str(error) if error else outcome.error
                self.ids.message.source = strings.TICKETS_ADMIN_FAILED.format(
                    what=what, error=reason
                )
            printer_watch(self.app).refresh(self.app, force=True)

        in_background(desk.print_test, done)

    def check(self) -> None:
        printer_watch(self.app).refresh(self.app, force=True)
        self._show_status()


def admin_rows(app: Any) -> list[tuple[str, str, bool]]:
    """Printer status (from the background check), today's counts, unprinted numbers."""
    if FEATURE not in app.settings.kiosk.features:
        return []
    printer_watch(app).refresh(app)
    status = printer_watch(app).status
    printer = app.settings.printer.url.url
    rows = [
        (
            strings.TICKETS_ADMIN_PRINTER,
            f"{printer}：{status.label if status else strings.TICKETS_ADMIN_CHECKING}",
            bool(status and status.warn),
        )
    ]
    try:
        desk = _desk(app)
        today = desk.ledger.day(desk.site_id, clock.today())
        unprinted = desk.unprinted()
    except Exception as exc:
        return [*rows, (strings.TICKETS_ADMIN_TODAY, str(exc), True)]
    counts: dict[str, int] = {}
    for ticket in today:
        counts[ticket.service_name] = counts.get(ticket.service_name, 0) + 1
    if counts:  # nothing to say on a quiet day: the admin screen stays short
        summary = "；".join(f"{name} {count} 张" for name, count in counts.items())
        rows.append((strings.TICKETS_ADMIN_TODAY, summary, False))
    if unprinted:
        listed = "；".join(f"{t.number}（{t.print_error}）" for t in unprinted[:8])
        more = f" 等{len(unprinted)}张" if len(unprinted) > 8 else ""
        rows.append((strings.TICKETS_ADMIN_UNPRINTED, listed + more, True))
    return rows


ADMIN_ACTIONS = [(strings.TICKETS_ADMIN_OPEN, lambda app: app.go("ticket-admin"))]


# --- tour -------------------------------------------------------------------------------------


def _tour_admin(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("ticket-admin")


TOUR_STOPS = [("ticket-admin", _tour_admin)]


load_kv(__file__)
