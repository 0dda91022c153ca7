"""A dispenser that is not the hall's host: its tickets join the host's queue.

Issuing never waits for the host longer than [hall] timeout: the ticket is committed locally
first (its number comes from this dispenser's own number block or device prefix, so it is
unique in the hall without any network), then handed to the host; the host answers with its
"前面还有 N 人". When the host is unreachable the resident still gets the ticket (with the local
estimate) and a background thread keeps handing in every ticket of the day the host has not
acknowledged, every [hall] retry_seconds, until it has. "Not yet acknowledged" is simply the
ticket rows without a row in hall_sent, so a crash at any point loses nothing, and handing a
ticket in twice is harmless (the host recognises it).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import requests

from kiosk import clock, identity
from kiosk.config import Settings
from kiosk.hall import schema
from kiosk.hall.handin import FIELDS, MAX_TICKETS
from kiosk.tickets import desk as desk_module
from kiosk.tickets.desk import Desk
from kiosk.tickets.ledger import Ledger, Ticket, ledger_for

log = logging.getLogger(__name__)

BATCH = MAX_TICKETS // 2  # tickets per request
STATE_FRESH = 60.0  # seconds the host's waiting counts are trusted for the 取号 screen


KEYS = ("id", *FIELDS)  # a ticket row as read here: its local id, then what the host gets
COLUMNS = ", ".join(f"t.{key}" for key in KEYS)


class Dispatcher:
    """Hands this dispenser's tickets to the host and keeps the host's waiting counts."""

    def __init__(self, settings: Settings, ledger: Ledger | None = None) -> None:
        self.settings = settings
        self.url = settings.hall.url
        self.site = settings.kiosk.site
        self.ledger = ledger or ledger_for(settings.store.path)
        schema.migrate(self.ledger.conn)
        self.kiosk = identity.kiosk_id(settings.kiosk.data_dir)
        self.session = requests.Session()
        self.last_error = ""
        self._failed_at: float | None = None
        self._send_lock = threading.Lock()
        self._waiting: dict[str, int] | None = None
        self._waiting_at = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- the queue link the desk uses --------------------------------------------------------

    def handed_in(self, desk: Desk, ticket: Ticket) -> Ticket:
        if desk.ledger is not self.ledger:
            return ticket  # another kiosk's desk in this process (tests, tools)
        failed = self._failed_at
        if failed is not None and time.monotonic() - failed < self.settings.hall.retry_seconds:
            return ticket  # the host was away a moment ago: do not make the resident wait
        answer = self._send([self._row(ticket.id)])
        ahead = {item["number"]: item["ahead"] for item in (answer or {}).get("accepted", [])}
        if ticket.number in ahead:
            return self.ledger.set_ahead(ticket.id, ahead[ticket.number])
        return ticket

    def waiting(self, desk: Desk) -> dict[str, int] | None:
        if desk.ledger is not self.ledger:
            return None
        if self._waiting is None or time.monotonic() - self._waiting_at > STATE_FRESH:
            return None
        return self._waiting

    # --- sending ---------------------------------------------------------------------------

    def unsent(self) -> list[dict[str, Any]]:
        """Today's tickets of this dispenser that the host has not acknowledged yet."""
        with self.ledger._lock:
            rows = self.ledger.conn.execute(
                f"SELECT {COLUMNS} FROM tickets t LEFT JOIN hall_sent s ON s.ticket_id = t.id"
                " WHERE t.site = ? AND t.day = ? AND t.origin = '' AND s.ticket_id IS NULL"
                " ORDER BY t.id",
                (self.site, clock.today().isoformat()),
            ).fetchall()
        return [self._json(row) for row in rows]

    def _row(self, ticket_id: int) -> dict[str, Any]:
        with self.ledger._lock:
            row = self.ledger.conn.execute(
                f"SELECT {COLUMNS} FROM tickets t WHERE t.id = ?", (ticket_id,)
            ).fetchone()
        return self._json(row)

    @staticmethod
    def _json(row: tuple[Any, ...]) -> dict[str, Any]:
        value = dict(zip(KEYS, row, strict=True))
        value["priority"] = bool(value["priority"])
        return value

    def _send(self, tickets: list[dict[str, Any]]) -> dict[str, Any] | None:
        """POST them to the host; marks the accepted ones sent. None when the host is away."""
        by_number = {t["number"]: t["id"] for t in tickets}
        payload = {
            "kiosk": self.kiosk,
            "tickets": [{k: v for k, v in t.items() if k != "id"} for t in tickets],
        }
        try:
            with self._send_lock:
                response = self.session.post(
                    self.url + "api/tickets",
                    json=payload,
                    headers={"Authorization": f"Bearer {self.settings.hall.key}"},
                    timeout=self.settings.hall.timeout,
                )
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            self.last_error = f"hall host unreachable: {type(exc).__name__}"
            self._failed_at = time.monotonic()
            return None
        self._failed_at = None
        if response.status_code not in (200, 409):
            self.last_error = f"hall host refused the tickets: {answer.get('message', '')}"
            log.warning(self.last_error)
            return None
        accepted = [item["number"] for item in answer.get("accepted", [])]
        at = clock.now().isoformat(timespec="seconds")
        with self.ledger._lock:
            self.ledger.conn.executemany(
                "INSERT OR IGNORE INTO hall_sent (ticket_id, at) VALUES (?, ?)",
                [(by_number[n], at) for n in accepted if n in by_number],
            )
        conflicts = answer.get("conflicts", [])
        self.last_error = (
            "the hall host already has tickets numbered "
            + ", ".join(conflicts)
            + " from another dispenser: give each dispenser its own [tickets] number_block"
            " or device_prefix"
            if conflicts
            else ""
        )
        if conflicts:
            log.error(self.last_error)
        return answer

    def send_pending(self) -> int:
        """Hand in what is still unsent; returns how many are still unsent afterwards."""
        pending = self.unsent()
        for start in range(0, len(pending), BATCH):
            if self._send(pending[start : start + BATCH]) is None:
                break
        return len(self.unsent())

    def refresh_waiting(self) -> None:
        try:
            with self._send_lock:
                state = self.session.get(
                    self.url + "api/state", timeout=self.settings.hall.timeout
                ).json()
            self._waiting = {s["id"]: int(s["waiting"]) for s in state["services"]}
            self._waiting_at = time.monotonic()
        except (requests.RequestException, ValueError, KeyError, TypeError):
            pass  # the 取号 screen falls back to its own estimate after STATE_FRESH

    # --- running ---------------------------------------------------------------------------

    def start(self) -> Dispatcher:
        desk_module.queue_link = self
        self._thread = threading.Thread(target=self._loop, name="hall-dispatch", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if desk_module.queue_link is self:
            desk_module.queue_link = None
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.send_pending()
                self.refresh_waiting()
            except Exception:  # a database hiccup must not end the retries
                log.exception("hall: handing in tickets failed")
            self._stop.wait(self.settings.hall.retry_seconds)
