"""Queue tickets (取号) and thermal printing: a resident never loses their place.

A number is committed to SQLite before anything is printed (unique, gap-free, per site, per
local day, per service, per dispenser block); the ticket is then drawn as an image and printed
as ESC/POS raster through python-escpos. If printing fails the ticket stays valid, the failure
is recorded on it, and staff can reprint it (admin screen or `kiosk ticket reprint`).

API for other features (all blocking; in the UI call them from a worker thread and come back
with `Clock.schedule_once`):

    from kiosk.tickets import issue_ticket, print_slip, service_states

    issued = issue_ticket(settings, pack, "legal-aid", priority=False)
    issued.ticket.number          # "C007", already committed
    issued.printed                # False when the printer failed (or none is configured)
    issued.print_error            # the reason, Chinese, "" when printed
    # raises kiosk.tickets.Refused (a KioskError; .code, .reason, .next_opening) when the
    # service is closed, full, or unknown at this site

    outcome = print_slip(slip, settings, pack)   # a kiosk.slips.Slip; never raises for
    outcome.ok, outcome.error                    # printer trouble

    service_states(settings, pack)   # [ServiceState]: open?, why not, hours, waiting

To send a resident to take a ticket from another screen, navigate instead:
`app.go("ticket-confirm", service_id="legal-aid")` shows the confirmation and prints.

Modules: urls (the [printer] url), settings ([printer], [tickets]), ledger (SQLite numbering),
rules (hours, caps), render (Pillow images), printers (escpos transports, status), desk (ties
them together), cli.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.packs.model import Pack
    from kiosk.slips import Slip
    from kiosk.tickets.desk import Issued, PrintOutcome, ServiceState
    from kiosk.tickets.ledger import Refused, Ticket


def issue_ticket(settings: Settings, pack: Pack, service_id: str, priority: bool = False) -> Issued:
    """Commit the next number of `service_id` at this kiosk's site, then print it."""
    from kiosk.tickets.desk import Desk

    return Desk(settings, pack).issue_and_print(service_id, priority)


def print_slip(slip: Slip, settings: Settings, pack: Pack) -> PrintOutcome:
    """Print a slip (e.g. the legal-aid checklist) on the ticket printer."""
    from kiosk.tickets.desk import Desk

    return Desk(settings, pack).print_slip(slip)


def service_states(settings: Settings, pack: Pack) -> list[ServiceState]:
    """The services of this kiosk's site: open or why not, hours, how many are waiting."""
    from kiosk.tickets.desk import Desk

    return Desk(settings, pack).states()


def __getattr__(name: str) -> object:
    """Refused and Ticket load the ledger (and SQLite) on first use only: kiosk.ini's
    [printer] section imports this package at every start."""
    if name in ("Refused", "Ticket"):
        from kiosk.tickets import ledger

        return getattr(ledger, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Refused", "Ticket", "issue_ticket", "print_slip", "service_states"]
