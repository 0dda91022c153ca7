"""A morning's queue for pictures (`kiosk tour`): the real hall queue (kiosk.hall.queue) run
on a throw-away database, so the tour's signs show what a hall's signs would."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any


def sample_state(settings: Any, pack: Any) -> dict[str, Any]:
    """A morning's queue from the real hall queue on a throw-away database: a few tickets per
    service (those open at the clock's hour), each counter calling one."""
    from kiosk.hall.queue import Hall
    from kiosk.hall.view import public_state
    from kiosk.tickets.desk import Desk

    with tempfile.TemporaryDirectory(prefix="kiosk-tour-hall-") as scratch:
        scratch_settings = settings.replace("store", path=Path(scratch) / "hall.sqlite3")
        desk = Desk(scratch_settings, pack)
        hall = Hall(scratch_settings, pack, desk.ledger)
        try:
            for service in pack.services_at(settings.kiosk.site):
                for _ in range(4):
                    try:
                        desk.issue(service.id)
                    except Exception:  # closed at the tour's hour: no tickets for it
                        break
            for counter in public_state(hall)["counters"]:
                hall.call_next(str(counter["counter"]))
            return public_state(hall)
        finally:
            desk.ledger.close()
