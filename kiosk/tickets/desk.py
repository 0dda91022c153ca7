"""The ticket desk: the pack's services at this site, the rules, the ledger and the printer.

Order of work for every ticket: check the rules, commit the number (ledger), render, print,
record the outcome. A print failure never undoes the ticket: the caller gets the ticket with
`printed=False` and the reason, shows the number on screen, and staff can reprint it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from kiosk import clock, stats
from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.packs.model import Notice, Pack, Service, Site
from kiosk.slips import Slip
from kiosk.tickets import rules, texts
from kiosk.tickets.ledger import (
    FAILED,
    PENDING,
    PRINTED,
    SCREEN,
    Ledger,
    QueueRule,
    Refused,
    Ticket,
    ledger_for,
)
from kiosk.tickets.printers import Printer, PrinterError, PrinterStatus, open_printer
from kiosk.tickets.render import TicketContent, render_slip, render_test_page, render_ticket

if TYPE_CHECKING:
    from PIL import Image

UNVERIFIED = "待核实"
# A 'pending' ticket older than this was interrupted (the program stopped while printing).
PENDING_GRACE = timedelta(minutes=2)


class QueueLink(Protocol):
    """A dispenser's link to the hall's host (kiosk.hall.dispatch sets `queue_link`)."""

    def handed_in(self, desk: Desk, ticket: Ticket) -> Ticket:
        """The ticket once the host has it, with the host's "前面还有 N 人" when it answered."""

    def waiting(self, desk: Desk) -> dict[str, int] | None:
        """Waiting per service as the host last said (never blocks); None: not known."""


# Set on a dispenser that is not the hall's host, so that its tickets join the hall's queue.
queue_link: QueueLink | None = None


@dataclass(frozen=True)
class ServiceState:
    """One line of the 取号 screen and of `kiosk ticket services`."""

    service: Service
    availability: rules.Availability
    hours: str
    windows: str
    issued: int
    waiting: int

    @property
    def open(self) -> bool:
        return self.availability.open

    def as_json(self) -> dict[str, Any]:
        service = self.service
        return {
            "code": service.id,
            "prefix": service.prefix,
            "name": service.name,
            "windows": self.windows,
            "hours": self.hours,
            "open": self.open,
            "state": self.availability.code,
            "reason": self.availability.reason or None,
            "next_opening": self.availability.next_opening,
            "issued_today": self.issued,
            "waiting": self.waiting,
            "daily_cap": service.daily_cap or None,
            "priority": service.priority,
            "priority_groups": list(service.priority_groups),
        }


@dataclass(frozen=True)
class Issued:
    """A committed ticket and what happened when it was printed."""

    ticket: Ticket
    content: TicketContent
    printed: bool
    print_error: str = ""
    screen_only: bool = False  # no printer configured: the screen is the ticket

    def as_json(self) -> dict[str, Any]:
        return {
            **self.ticket.as_json(),
            "printed": self.printed,
            "print_error": self.print_error or None,
            "windows": self.content.windows,
        }


@dataclass(frozen=True)
class PrintOutcome:
    ok: bool
    error: str = ""
    path: str = ""  # the PNG or file written, when there is one
    bytes_sent: int = 0


class Desk:
    """Cheap to make; holds no state of its own beyond what it was given."""

    def __init__(
        self,
        settings: Settings,
        pack: Pack,
        ledger: Ledger | None = None,
        printer: Printer | None = None,
    ) -> None:
        self.settings = settings
        self.pack = pack
        self.site_id = settings.kiosk.site
        self._ledger = ledger
        self._printer = printer

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            self._ledger = ledger_for(self.settings.store.path)
        return self._ledger

    @property
    def printer(self) -> Printer:
        if self._printer is None:
            self._printer = open_printer(self.settings.printer)
        return self._printer

    @property
    def site(self) -> Site | None:
        return self.pack.site(self.site_id)

    @property
    def site_name(self) -> str:
        site = self.site
        return site.name if site else self.pack.name

    # --- services ------------------------------------------------------------------------

    def services(self) -> tuple[Service, ...]:
        return self.pack.services_at(self.site_id)

    def find_service(self, code: str) -> Service:
        """By id, or by ticket letter (case-insensitive)."""
        services = self.services()
        for service in services:
            if service.id == code:
                return service
        for service in services:
            if service.prefix.upper() == code.upper():
                return service
        known = ", ".join(f"{s.id} ({s.prefix})" for s in services) or "none"
        raise KioskError(f"no service {code!r} at site {self.site_id}; services here: {known}")

    def windows_text(self, service: Service) -> str:
        site = self.site
        by_id = {w.id: w for w in site.windows} if site else {}
        names = []
        for window_id in service.windows:
            window = by_id.get(window_id)
            if window is None:
                names.append(window_id)
            elif window.number and window.name:
                names.append(f"{window.number}（{window.name}）")
            else:
                names.append(window.number or window.name)
        return "、".join(names)

    def queue_rule(self) -> QueueRule:
        """Who counts as waiting here: the hall's host knows who was called, others estimate."""
        hall = self.settings.hall
        return QueueRule(
            states=hall.host,
            wait_minutes=self.settings.tickets.wait_minutes,
            normal_between=hall.normal_between_priority,
        )

    def _counts(self, now: datetime) -> dict[str, tuple[int, int]]:
        counts = self.ledger.counts(self.site_id, now.date(), now, self.queue_rule())
        remote = queue_link.waiting(self) if queue_link is not None else None
        if remote is not None:  # the hall's host knows who was called; its order counts
            counts = {
                service.id: (counts.get(service.id, (0, 0))[0], remote.get(service.id, 0))
                for service in self.services()
            }
        return counts

    def states(self, now: datetime | None = None) -> list[ServiceState]:
        now = now or clock.now()
        counts = self._counts(now)
        notices = self._notices(now)
        return [
            self._state(service, now, counts.get(service.id, (0, 0)), notices)
            for service in self.services()
        ]

    def state(self, service: Service, now: datetime | None = None) -> ServiceState:
        now = now or clock.now()
        counts = self._counts(now)
        return self._state(service, now, counts.get(service.id, (0, 0)), self._notices(now))

    def _notices(self, now: datetime) -> tuple[Notice, ...]:
        """Notices in force now (pack, local, hall-shared): a closure notice stops tickets."""
        from kiosk import notices

        return notices.current(self.settings, self.pack, now)

    def _state(
        self,
        service: Service,
        now: datetime,
        counts: tuple[int, int],
        notices: tuple[Notice, ...] = (),
    ) -> ServiceState:
        issued, waiting = counts
        site = self.site
        closing = next(
            (n for n in notices if n.closes_service(service.id, now, self.site_id)), None
        )
        if closing is not None:
            available = rules.closed_by_notice(service, site, self.pack.calendar, closing, now)
        else:
            available = rules.availability(
                service,
                site,
                self.pack.calendar,
                now,
                issued_today=issued,
                stop_before_close=self.settings.tickets.stop_before_close,
            )
        return ServiceState(
            service=service,
            availability=available,
            hours=rules.hours_text(rules.effective_hours(service, site)),
            windows=self.windows_text(service),
            issued=issued,
            waiting=waiting,
        )

    # --- issuing -------------------------------------------------------------------------

    def issue(self, code: str, priority: bool = False) -> Ticket:
        """Check the rules and commit the next number. Refused says why not (Chinese)."""
        service = self.find_service(code)
        if priority and not service.priority:
            raise Refused("no_priority", texts.REFUSED_NO_PRIORITY)
        now = clock.now()
        state = self.state(service, now)
        if not state.open:
            raise Refused(
                state.availability.code, state.availability.reason, state.availability.next_opening
            )
        tickets = self.settings.tickets
        try:
            ticket = self.ledger.issue(
                site=self.site_id,
                service=service.id,
                service_name=service.name,
                prefix=service.prefix.upper(),
                now=now,
                priority=priority,
                block=tickets.number_block,
                device_prefix=tickets.device_prefix,
                cap=service.daily_cap,
                wait_minutes=tickets.wait_minutes,
                rule=self.queue_rule(),
            )
        except Refused as exc:
            # The ledger only knows the code; the reason is worded here, with the next opening.
            if exc.code == "full":
                final = rules.availability(
                    service, self.site, self.pack.calendar, now, issued_today=service.daily_cap
                )
                raise Refused("full", final.reason, final.next_opening) from None
            raise Refused(exc.code, texts.REFUSED_EXHAUSTED) from None
        stats.record(self.settings, stats.TICKET_ISSUED, subject=service.id)
        link = queue_link
        if link is not None:
            ticket = link.handed_in(self, ticket)
        return ticket

    def issue_and_print(
        self, code: str, priority: bool = False, known_status: PrinterStatus | None = None
    ) -> Issued:
        """Commit a number, then print it. Only refusals raise; print trouble is returned."""
        ticket = self.issue(code, priority)
        return self.print_ticket(ticket, kind="issue", known_status=known_status)

    # --- printing ------------------------------------------------------------------------

    def content(self, ticket: Ticket) -> TicketContent:
        service = next((s for s in self.services() if s.id == ticket.service), None)
        hotline = self.pack.hotline()
        complaint = next(
            (
                c.phone
                for c in self.pack.contacts_for(self.site_id, "complaint")
                if c.phone and UNVERIFIED not in c.phone
            ),
            "",
        )
        return TicketContent(
            site_name=self.site_name,
            service_name=ticket.service_name,
            number=ticket.number,
            issued_at=ticket.issued_at,
            position=ticket.position,
            ahead=ticket.ahead,
            priority=ticket.priority,
            priority_groups=service.priority_groups if service else (),
            windows=self.windows_text(service) if service else "",
            bring=service.bring if service else (),
            text=service.ticket_text if service else "",
            qr=service.qr if service else "",
            hotline=hotline.phone if hotline and hotline.phone else "12348",
            complaint=complaint,
        )

    def render(self, ticket: Ticket) -> Image.Image:
        return render_ticket(self.content(ticket), self.settings.printer.paper)

    def print_ticket(
        self, ticket: Ticket, kind: str = "issue", known_status: PrinterStatus | None = None
    ) -> Issued:
        """Print (or reprint) a committed ticket and record the outcome on it."""
        content = self.content(ticket)
        printer = self.printer
        if printer.target.kind == "none":
            recorded = self.ledger.record_print(
                ticket.id,
                ok=False,
                at=clock.now(),
                kind=kind,
                error=texts.PRINT_NO_PRINTER,
                printer="none",
                status=SCREEN,
            )
            return Issued(recorded, content, False, texts.PRINT_NO_PRINTER, screen_only=True)
        error = ""
        try:
            if known_status is not None and known_status.blocks_printing:
                raise PrinterError(known_status.label, known_status.detail, known_status.state)
            image = render_ticket(content, printer.width)
            printer.print_image(image, self._file_name(ticket, kind))
        except PrinterError as exc:
            error = exc.describe()
            stats.record(self.settings, stats.PRINTER_FAULT, subject=exc.state)
        except Exception as exc:  # a bug must not lose the ticket either
            error = f"{texts.PRINT_FAILED}（{type(exc).__name__}: {exc}）"
            stats.record(self.settings, stats.PRINTER_FAULT, subject="error")
        recorded = self.ledger.record_print(
            ticket.id,
            ok=not error,
            at=clock.now(),
            kind=kind,
            error=error,
            printer=printer.target.url,
        )
        return Issued(recorded, content, not error, error)

    def _file_name(self, ticket: Ticket, kind: str) -> str:
        stamp = clock.now().strftime("%H%M%S")
        suffix = "" if kind == "issue" else f"-{kind}-{stamp}"
        return f"{ticket.day.isoformat()}-{ticket.number}{suffix}"

    def reprint(self, number: str, day: date | None = None) -> Issued:
        ticket = self.ledger.get(self.site_id, day or clock.today(), number.strip().upper())
        if ticket is None:
            raise KioskError(
                f"no ticket {number} on {(day or clock.today()).isoformat()} at {self.site_id}"
            )
        return self.print_ticket(ticket, kind="reprint")

    def unprinted(self, day: date | None = None) -> list[Ticket]:
        """Failed prints, and prints interrupted by a crash (pending for too long)."""
        now = clock.now()
        result = []
        for ticket in self.ledger.unprinted(self.site_id, day or now.date()):
            if ticket.print_status == PENDING and now - ticket.issued_at < PENDING_GRACE:
                continue  # being printed right now
            if ticket.print_status == PENDING:
                ticket = replace(ticket, print_error=texts.PRINT_INTERRUPTED)
            result.append(ticket)
        return result

    def print_slip(self, slip: Slip) -> PrintOutcome:
        """Render a Slip and print it. Never raises for printer trouble."""
        printer = self.printer
        try:
            image = render_slip(slip, printer.width, self.site_name)
            report = printer.print_image(image, f"slip-{clock.now():%Y-%m-%d-%H%M%S-%f}")
        except PrinterError as exc:
            stats.record(self.settings, stats.PRINTER_FAULT, subject=exc.state)
            return PrintOutcome(False, exc.describe())
        except Exception as exc:
            stats.record(self.settings, stats.PRINTER_FAULT, subject="error")
            return PrintOutcome(False, f"{texts.PRINT_FAILED}（{type(exc).__name__}: {exc}）")
        return PrintOutcome(True, "", str(report.path or ""), report.bytes_sent)

    def print_test(self) -> PrintOutcome:
        printer = self.printer
        try:
            image = render_test_page(printer.width, self.site_name, printer.target.url, clock.now())
            report = printer.print_image(image, f"test-{clock.now():%Y-%m-%d-%H%M%S}")
        except PrinterError as exc:
            return PrintOutcome(False, exc.describe())
        return PrintOutcome(True, "", str(report.path or ""), report.bytes_sent)

    def printer_status(self) -> PrinterStatus:
        return self.printer.status()


__all__ = [
    "FAILED",
    "PENDING",
    "PRINTED",
    "SCREEN",
    "Desk",
    "Issued",
    "PrintOutcome",
    "Refused",
    "ServiceState",
]
