"""What the hall shows: the public state (displays, kiosks, evaluators) and a counter's page.

Numbers and counts only, read in one go under the ledger's lock so a display never sees half
a change. The public state's shape is the contract in BRIEF.md (`GET /api/state`).
"""

from __future__ import annotations

from typing import Any

from kiosk.hall.counters import Counter
from kiosk.hall.queue import Hall
from kiosk.tickets.ledger import CALLED, WAITING, service_order

CALLS_SHOWN = 10  # calls listed in the state (newest first)


def public_state(hall: Hall) -> dict[str, Any]:
    """The public state (contract in BRIEF.md): numbers and counts only."""
    now, day, _ = hall.now()
    with hall.lock:
        conn = hall.conn
        version = hall.version()
        services = [
            {
                "id": service.id,
                "letter": service.prefix.upper(),
                "name": service.name,
                "waiting": len(
                    service_order(conn, hall.site, day, service.id, hall.rule, now.timestamp())
                ),
            }
            for service in hall.services.values()
        ]
        counters = [_counter_json(hall, conn, counter, day) for counter in hall.counters.values()]
        calls = [
            {"ticket": number, "counter": counter, "service": service, "at": at, "seq": seq}
            for seq, number, counter, service, at in conn.execute(
                "SELECT seq, number, counter, service, at FROM hall_events"
                " WHERE site = ? AND day = ? AND kind IN ('call', 'recall')"
                " ORDER BY seq DESC LIMIT ?",
                (hall.site, day, CALLS_SHOWN),
            ).fetchall()
        ]
        help_calls = [
            {"kiosk": kiosk, "label": label, "site": site, "place": place, "at": at}
            for kiosk, label, site, place, at in conn.execute(
                "SELECT kiosk, label, site, place, at FROM hall_help ORDER BY at, kiosk"
            ).fetchall()
        ]
    site = hall.pack.site(hall.site)
    return {
        "site": site.name if site else hall.site,
        "now": now.isoformat(timespec="seconds"),
        "version": version,
        "services": services,
        "counters": counters,
        "calls": calls,
        "help": help_calls,
    }


def _counter_json(hall: Hall, conn: Any, counter: Counter, day: str) -> dict[str, Any]:
    serving = conn.execute(
        "SELECT number, service, called_at FROM tickets WHERE site = ? AND day = ?"
        " AND queue_state = ? AND counter = ? ORDER BY called_ts DESC LIMIT 1",
        (hall.site, day, CALLED, counter.id),
    ).fetchone()
    last = conn.execute(
        "SELECT number, service, at, seq FROM hall_events WHERE site = ? AND day = ?"
        " AND counter = ? AND kind = 'done' ORDER BY seq DESC LIMIT 1",
        (hall.site, day, counter.id),
    ).fetchone()
    return {
        "counter": counter.id,
        "name": counter.name,
        "services": list(counter.services),
        "serving": serving[0] if serving else None,
        "service": serving[1] if serving else None,
        "called_at": serving[2] if serving else None,
        "last_done": (
            {"ticket": last[0], "service": last[1], "at": last[2], "seq": last[3]} if last else None
        ),
    }


def counter_view(hall: Hall, counter_id: str) -> dict[str, Any]:
    """What the counter page shows besides the public state (after the key was checked)."""
    counter = hall.counter(counter_id)
    now, day, _ = hall.now()
    with hall.lock:
        conn = hall.conn
        current = hall.serving(conn, counter.id, day)
        (served,) = conn.execute(
            "SELECT COUNT(*) FROM hall_events WHERE site = ? AND day = ? AND counter = ?"
            " AND kind = 'done'",
            (hall.site, day, counter.id),
        ).fetchone()
        (transferred,) = conn.execute(
            "SELECT COUNT(*) FROM tickets WHERE site = ? AND day = ? AND queue_state = ?"
            " AND transfer_to = ?",
            (hall.site, day, WAITING, counter.id),
        ).fetchone()
        waiting = [
            {
                "id": sid,
                "letter": hall.services[sid].prefix.upper(),
                "name": hall.services[sid].name,
                "waiting": len(
                    service_order(conn, hall.site, day, sid, hall.rule, now.timestamp())
                ),
            }
            for sid in counter.services
        ]
    return {
        "counter": counter.id,
        "name": counter.name,
        "services": waiting,
        "transferred": transferred,
        "served_today": served,
        "serving": (
            {
                "ticket": current[1],
                "service": current[2],
                "recalls": current[4],
                "called_at": current[5],
            }
            if current
            else None
        ),
        "recalls_before_no_show": hall.settings.hall.recalls_before_no_show,
        "counters": [{"counter": c.id, "name": c.name} for c in hall.counters.values()],
    }
