"""Tickets the hall's other dispensers hand in to its host (kiosk.hall.dispatch sends them).

A dispenser commits each ticket locally first, then hands it in, again after a failure: the
host checks every field (`check_ticket`) and takes it in once (`receive`, idempotent). FIELDS
is the wire format both sides share: one JSON object per ticket with exactly these keys.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from kiosk import clock
from kiosk.hall.queue import Hall, HallError
from kiosk.tickets.ledger import service_order

FIELDS = (
    "number",
    "service",
    "seq",
    "position",
    "priority",
    "issued_ts",
    "day",
    "issued_at",
    "print_status",
)
NUMBER = re.compile(r"[A-Z]{1,3}[A-Z0-9]{0,2}[0-9]{3,5}")
PRINT_STATES = ("pending", "printed", "failed", "screen")
MAX_TICKETS = 200  # per batch from a dispenser
REMOTE_SEQ = 100_000  # remote tickets are kept with seq = -(origin number * this + their seq)


def check_ticket(item: Any, services: Mapping[str, Any]) -> dict[str, Any]:
    """One ticket of a dispenser's batch, checked field by field."""
    if not isinstance(item, dict):
        raise HallError.bad_input("每张号票应该是一个 JSON 对象")
    number = item.get("number")
    if not isinstance(number, str) or not NUMBER.fullmatch(number):
        raise HallError.bad_input("number 应该是号码，如 A012")
    if item.get("service") not in services:
        raise HallError.bad_input(f"{number}: 没有这项业务 {item.get('service')!r}")
    for name in ("seq", "position"):
        value = item.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 99_999:
            raise HallError.bad_input(f"{number}: {name} 应该是 0 到 99999 的整数")
    if not isinstance(item.get("priority"), bool):
        raise HallError.bad_input(f"{number}: priority 应该是 true 或 false")
    stamp = item.get("issued_ts")
    if isinstance(stamp, bool) or not isinstance(stamp, int | float) or not math.isfinite(stamp):
        raise HallError.bad_input(f"{number}: issued_ts 应该是时间戳")
    try:
        date.fromisoformat(str(item.get("day")))
        issued_at = str(item.get("issued_at"))
        if len(issued_at) > 40:
            raise ValueError
        datetime.fromisoformat(issued_at)
    except ValueError:
        raise HallError.bad_input(f"{number}: day / issued_at 应该是 ISO 日期时间") from None
    if item.get("print_status") not in PRINT_STATES:
        raise HallError.bad_input(f"{number}: print_status 应该是 {', '.join(PRINT_STATES)} 之一")
    return {key: item[key] for key in FIELDS}


def receive(hall: Hall, kiosk: str, tickets: list[dict[str, Any]]) -> dict[str, Any]:
    """Take tickets a dispenser issued (again, after a failure: idempotent).

    A number already taken by another dispenser is a set-up mistake (overlapping number
    blocks without device prefixes): it is reported as a conflict, never overwritten.
    """
    accepted: list[dict[str, Any]] = []
    conflicts: list[str] = []
    now_ts = clock.now().timestamp()
    with hall.change() as conn:
        conn.execute("INSERT OR IGNORE INTO hall_origins (kiosk) VALUES (?)", (kiosk,))
        (origin_no,) = conn.execute(
            "SELECT id FROM hall_origins WHERE kiosk = ?", (kiosk,)
        ).fetchone()
        for ticket in tickets:
            day, number, service = ticket["day"], ticket["number"], ticket["service"]
            existing = conn.execute(
                "SELECT id, origin FROM tickets WHERE site = ? AND day = ? AND number = ?",
                (hall.site, day, number),
            ).fetchone()
            if existing and existing[1] != kiosk:
                conflicts.append(number)
                continue
            if existing is None:
                conn.execute(
                    "INSERT INTO tickets (site, day, service, service_name, seq, number,"
                    " priority, issued_at, issued_ts, position, ahead, print_status, origin)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        hall.site,
                        day,
                        service,
                        hall.services[service].name,
                        -(origin_no * REMOTE_SEQ + ticket["seq"]),
                        number,
                        int(ticket["priority"]),
                        ticket["issued_at"],
                        ticket["issued_ts"],
                        ticket["position"],
                        0,
                        ticket["print_status"],
                        kiosk,
                    ),
                )
            ticket_id = conn.execute(
                "SELECT id FROM tickets WHERE site = ? AND day = ? AND number = ?",
                (hall.site, day, number),
            ).fetchone()[0]
            ordered = service_order(conn, hall.site, day, service, hall.rule, now_ts)
            ahead = next((i for i, t in enumerate(ordered) if t.id == ticket_id), 0)
            accepted.append({"number": number, "ahead": ahead})
    return {"accepted": accepted, "conflicts": conflicts}
