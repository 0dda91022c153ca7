"""The ticket ledger in SQLite: numbers that are never lost, never doubled, never skipped.

A number is taken inside one `BEGIN IMMEDIATE` transaction that reads the day's highest
number for the service and inserts the next one, then commits (WAL, synchronous=FULL) before
anything is printed. SQLite serialises writers across processes, so two processes can never
take the same number; a process killed before COMMIT leaves no trace (the next ticket gets the
same number: no gap); one killed after COMMIT leaves a valid ticket marked 'pending' that staff
can reprint. The day is part of the key, so a new day starts at the first number of the block
whatever happened overnight (kiosk off at midnight, restarted at 3 a.m.): there is no reset job
to miss or to run twice.

Print outcomes are kept per ticket (status, error, attempts) and as a log of every attempt.
Nothing about the resident is stored.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kiosk import store
from kiosk.errors import KioskError
from kiosk.tickets import order

PENDING, PRINTED, FAILED, SCREEN = "pending", "printed", "failed", "screen"
NEW_ID = 2**62  # stands for the ticket being issued while it is placed in the order


def _v1(db: Any) -> None:
    db.execute(
        """CREATE TABLE tickets (
            id INTEGER PRIMARY KEY,
            site TEXT NOT NULL,
            day TEXT NOT NULL,
            service TEXT NOT NULL,
            service_name TEXT NOT NULL,
            seq INTEGER NOT NULL,
            number TEXT NOT NULL,
            priority INTEGER NOT NULL DEFAULT 0,
            issued_at TEXT NOT NULL,
            issued_ts REAL NOT NULL,
            position INTEGER NOT NULL,
            ahead INTEGER NOT NULL,
            print_status TEXT NOT NULL DEFAULT 'pending',
            print_error TEXT NOT NULL DEFAULT '',
            printed_at TEXT,
            print_attempts INTEGER NOT NULL DEFAULT 0,
            UNIQUE (site, day, service, seq),
            UNIQUE (site, day, number)
        )"""
    )
    db.execute("CREATE INDEX tickets_day ON tickets (site, day, print_status)")
    db.execute(
        """CREATE TABLE ticket_prints (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            ok INTEGER NOT NULL,
            error TEXT NOT NULL DEFAULT '',
            printer TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX ticket_prints_ticket ON ticket_prints (ticket_id)")


def _v2(db: Any) -> None:
    # The queue side of a ticket (kept by the hall server on the hall's host): waiting until a
    # counter calls it, then called, done or missed; `origin` is the kiosk id of the dispenser
    # that issued it when that was another machine of the hall ('' here).
    for column in (
        "queue_state TEXT NOT NULL DEFAULT 'waiting'",
        "counter TEXT",
        "called_ts REAL",
        "called_at TEXT",
        "recalls INTEGER NOT NULL DEFAULT 0",
        "finished_at TEXT",
        "transfer_to TEXT",
        "requeued_ts REAL",
        "origin TEXT NOT NULL DEFAULT ''",
    ):
        db.execute(f"ALTER TABLE tickets ADD COLUMN {column}")
    db.execute("CREATE INDEX tickets_queue ON tickets (site, day, service, queue_state)")


MIGRATIONS = [_v1, _v2]
WAITING, CALLED, DONE, NO_SHOW = "waiting", "called", "done", "no_show"


@dataclass(frozen=True)
class QueueRule:
    """How a dispenser counts who is still waiting.

    states=True on the hall's host, where counters mark tickets as called: a ticket waits until
    it is called. Elsewhere nothing is ever called, so a ticket counts as waiting for
    `wait_minutes` after it was issued (an estimate, said so in kiosk.ini).
    """

    states: bool = False
    wait_minutes: int = 120
    normal_between: int = 0


def waiting_tickets(
    conn: Any, site: str, day: str, service: str, rule: QueueRule, now_ts: float
) -> list[order.Waiting]:
    """The tickets of one service still waiting (not transferred to a named counter)."""
    sql = (
        "SELECT id, number, priority, issued_ts FROM tickets WHERE site = ? AND day = ?"
        " AND service = ? AND queue_state = 'waiting' AND transfer_to IS NULL"
    )
    args: list[Any] = [site, day, service]
    if not rule.states:
        sql += " AND issued_ts >= ?"
        args.append(now_ts - rule.wait_minutes * 60)
    return [
        order.Waiting(id=row[0], number=row[1], priority=bool(row[2]), issued_ts=row[3])
        for row in conn.execute(sql, args).fetchall()
    ]


def normals_since_priority(conn: Any, site: str, day: str, service: str) -> int | None:
    """Normal tickets called since the last priority one today; None: no priority yet."""
    rows = conn.execute(
        "SELECT priority FROM tickets WHERE site = ? AND day = ? AND service = ?"
        " AND called_ts IS NOT NULL ORDER BY called_ts DESC, id DESC",
        (site, day, service),
    ).fetchall()
    for count, (priority,) in enumerate(rows):
        if priority:
            return count
    return None


def service_order(
    conn: Any, site: str, day: str, service: str, rule: QueueRule, now_ts: float
) -> list[order.Waiting]:
    """The waiting tickets of a service in calling order (see kiosk.tickets.order)."""
    return order.ordered(
        waiting_tickets(conn, site, day, service, rule, now_ts),
        rule.normal_between,
        normals_since_priority(conn, site, day, service),
    )


class Refused(KioskError):
    """No ticket: `code` for programs, the message for people (Chinese)."""

    def __init__(self, code: str, message: str, next_opening: datetime | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.reason = message
        self.next_opening = next_opening


@dataclass(frozen=True)
class Ticket:
    id: int
    site: str
    day: date
    service: str
    service_name: str
    seq: int
    number: str
    priority: bool
    issued_at: datetime
    position: int  # 今日第 N 位 (this service, this dispenser)
    ahead: int  # tickets still waiting before this one when it was issued
    print_status: str = PENDING
    print_error: str = ""
    printed_at: datetime | None = None
    print_attempts: int = 0

    @property
    def printed(self) -> bool:
        return self.print_status == PRINTED

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "service": self.service,
            "service_name": self.service_name,
            "priority": self.priority,
            "day": self.day.isoformat(),
            "issued_at": self.issued_at.isoformat(),
            "position": self.position,
            "ahead": self.ahead,
            "printed": self.printed,
            "print_status": self.print_status,
            "print_error": self.print_error or None,
            "print_attempts": self.print_attempts,
        }


_COLUMNS = (
    "id, site, day, service, service_name, seq, number, priority, issued_at, position, ahead,"
    " print_status, print_error, printed_at, print_attempts"
)


def _ticket(row: tuple[Any, ...]) -> Ticket:
    return Ticket(
        id=row[0],
        site=row[1],
        day=date.fromisoformat(row[2]),
        service=row[3],
        service_name=row[4],
        seq=row[5],
        number=row[6],
        priority=bool(row[7]),
        issued_at=datetime.fromisoformat(row[8]),
        position=row[9],
        ahead=row[10],
        print_status=row[11],
        print_error=row[12] or "",
        printed_at=datetime.fromisoformat(row[13]) if row[13] else None,
        print_attempts=row[14],
    )


def format_number(prefix: str, device_prefix: str, seq: int, last: int) -> str:
    """A001; with a device prefix AK001; 4 digits when the block goes past 999."""
    digits = max(3, len(str(last)))
    return f"{prefix}{device_prefix}{seq:0{digits}d}"


def _pause_point(name: str) -> None:
    """Test hook: with KIOSK_TICKETS_PAUSE=name, announce the pid in a file and hang here,
    so a test can SIGKILL the process at exactly this instant, or (with
    KIOSK_TICKETS_RESUME_FILE) go on once that file exists. Inert otherwise."""
    if os.environ.get("KIOSK_TICKETS_PAUSE") != name:
        return
    marker = os.environ.get("KIOSK_TICKETS_PAUSE_FILE")
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    resume = os.environ.get("KIOSK_TICKETS_RESUME_FILE")
    if not resume:
        time.sleep(3600)
        return
    while not Path(resume).exists():
        time.sleep(0.01)


class Ledger:
    """One connection to the kiosk database; thread-safe (the UI prints from a worker)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        db = store.open_db(self.path)
        store.migrate(db, "tickets", MIGRATIONS)
        self.conn = db.conn
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    # --- issuing -------------------------------------------------------------------------

    def issue(
        self,
        *,
        site: str,
        service: str,
        service_name: str,
        prefix: str,
        now: datetime,
        priority: bool = False,
        block: tuple[int, int] = (1, 999),
        device_prefix: str = "",
        cap: int = 0,
        wait_minutes: int = 120,
        rule: QueueRule | None = None,
    ) -> Ticket:
        """Take the next number and commit it; Refused when the cap or the block is used up."""
        day = now.date().isoformat()
        first, last = block
        stamp = now.timestamp()
        with self._lock:
            conn = self.conn
            _pause_point("before-begin")
            conn.execute("BEGIN IMMEDIATE")
            try:
                count, top = conn.execute(
                    "SELECT COUNT(*), MAX(CASE WHEN seq BETWEEN ? AND ? THEN seq END)"
                    " FROM tickets WHERE site = ? AND day = ? AND service = ?",
                    (first, last, site, day, service),
                ).fetchone()
                if cap and count >= cap:
                    raise Refused("full", "")
                seq = first if top is None else top + 1
                if seq > last:
                    raise Refused("exhausted", "")
                number = format_number(prefix, device_prefix, seq, last)
                queue_rule = rule or QueueRule(wait_minutes=wait_minutes)
                new = order.Waiting(id=NEW_ID, number=number, priority=priority, issued_ts=stamp)
                ahead = order.ahead_of(
                    NEW_ID,
                    [*waiting_tickets(conn, site, day, service, queue_rule, stamp), new],
                    queue_rule.normal_between,
                    normals_since_priority(conn, site, day, service),
                )
                cursor = conn.execute(
                    "INSERT INTO tickets (site, day, service, service_name, seq, number, priority,"
                    " issued_at, issued_ts, position, ahead) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        site,
                        day,
                        service,
                        service_name,
                        seq,
                        number,
                        int(priority),
                        now.isoformat(timespec="seconds"),
                        stamp,
                        count + 1,
                        ahead,
                    ),
                )
                _pause_point("before-commit")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            ticket_id = cursor.lastrowid
        _pause_point("after-commit")
        return Ticket(
            id=ticket_id,
            site=site,
            day=now.date(),
            service=service,
            service_name=service_name,
            seq=seq,
            number=number,
            priority=priority,
            issued_at=now.replace(microsecond=0),
            position=count + 1,
            ahead=ahead,
        )

    # --- printing outcomes ---------------------------------------------------------------

    def record_print(
        self,
        ticket_id: int,
        *,
        ok: bool,
        at: datetime,
        kind: str = "issue",
        error: str = "",
        printer: str = "",
        status: str | None = None,
    ) -> Ticket:
        """Keep the outcome of one print attempt on the ticket and in the attempt log."""
        status = status or (PRINTED if ok else FAILED)
        stamp = at.isoformat(timespec="seconds")
        with self._lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "INSERT INTO ticket_prints (ticket_id, at, kind, ok, error, printer)"
                    " VALUES (?,?,?,?,?,?)",
                    (ticket_id, stamp, kind, int(ok), error, printer),
                )
                conn.execute(
                    "UPDATE tickets SET print_status = ?, print_error = ?,"
                    " printed_at = CASE WHEN ? THEN ? ELSE printed_at END,"
                    " print_attempts = print_attempts + 1 WHERE id = ?",
                    (status, "" if ok else error, int(ok), stamp, ticket_id),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        ticket = self.get_by_id(ticket_id)
        assert ticket is not None
        return ticket

    def set_ahead(self, ticket_id: int, ahead: int) -> Ticket:
        """The hall's host placed the ticket in its queue: keep its answer on the ticket."""
        with self._lock:
            self.conn.execute("UPDATE tickets SET ahead = ? WHERE id = ?", (ahead, ticket_id))
        ticket = self.get_by_id(ticket_id)
        assert ticket is not None
        return ticket

    # --- reading -------------------------------------------------------------------------

    def _select(self, where: str, args: tuple[Any, ...]) -> list[Ticket]:
        with self._lock:
            rows = self.conn.execute(
                f"SELECT {_COLUMNS} FROM tickets WHERE {where} ORDER BY id", args
            ).fetchall()
        return [_ticket(row) for row in rows]

    def get_by_id(self, ticket_id: int) -> Ticket | None:
        found = self._select("id = ?", (ticket_id,))
        return found[0] if found else None

    def get(self, site: str, day: date, number: str) -> Ticket | None:
        found = self._select(
            "site = ? AND day = ? AND number = ?", (site, day.isoformat(), number.upper())
        )
        return found[0] if found else None

    def day(self, site: str, day: date) -> list[Ticket]:
        return self._select("site = ? AND day = ?", (site, day.isoformat()))

    def unprinted(self, site: str, day: date) -> list[Ticket]:
        """Tickets of the day whose paper never came out (failed, or interrupted mid-print)."""
        return self._select(
            "site = ? AND day = ? AND print_status IN (?, ?)",
            (site, day.isoformat(), FAILED, PENDING),
        )

    def counts(
        self, site: str, day: date, now: datetime, rule: QueueRule | None = None
    ) -> dict[str, tuple[int, int]]:
        """service -> (issued today, waiting before a new normal ticket), for the 取号 screen."""
        rule = rule or QueueRule()
        with self._lock:
            issued = self.conn.execute(
                "SELECT service, COUNT(*) FROM tickets WHERE site = ? AND day = ? GROUP BY service",
                (site, day.isoformat()),
            ).fetchall()
            return {
                service: (
                    count,
                    len(
                        service_order(
                            self.conn, site, day.isoformat(), service, rule, now.timestamp()
                        )
                    ),
                )
                for service, count in issued
            }

    def attempts(self, ticket_id: int) -> list[dict[str, Any]]:
        with self._lock:
            rows = self.conn.execute(
                "SELECT at, kind, ok, error, printer FROM ticket_prints WHERE ticket_id = ?"
                " ORDER BY id",
                (ticket_id,),
            ).fetchall()
        return [
            {"at": at, "kind": kind, "ok": bool(ok), "error": error, "printer": printer}
            for at, kind, ok, error, printer in rows
        ]


_ledgers: dict[Path, Ledger] = {}
_ledgers_lock = threading.Lock()


def ledger_for(path: Path) -> Ledger:
    """One Ledger per database file and process (connections are not free)."""
    key = Path(path).resolve()
    with _ledgers_lock:
        if key not in _ledgers:
            _ledgers[key] = Ledger(key)
        return _ledgers[key]
