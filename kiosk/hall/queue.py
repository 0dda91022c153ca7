"""The hall's queue on its host: counters call, recall, finish, miss and transfer tickets.

The queue lives in the same SQLite ledger as the tickets (kiosk.tickets.ledger): a ticket is
waiting until a counter calls it, and every change runs in one `BEGIN IMMEDIATE` transaction,
so twenty counters pressing 叫号 at once never get the same ticket, and a crash leaves either
the old or the new state. Each change is also an event row (the calls a display shows) and
bumps a version number that displays use to see that something changed. Who is next comes
from kiosk.tickets.order, the same function that tells a new ticket how many are ahead.
What displays and counter pages read is kiosk.hall.view; tickets other dispensers hand in
are taken by kiosk.hall.handin; the tables are kiosk.hall.schema.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk import clock, stats
from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.hall import schema, texts
from kiosk.hall.counters import Counter, counters_for
from kiosk.hall.keys import DISPENSER, hash_key, key_matches
from kiosk.packs.model import Pack
from kiosk.tickets.ledger import (
    CALLED,
    DONE,
    NO_SHOW,
    WAITING,
    Ledger,
    QueueRule,
    ledger_for,
    service_order,
)

HELP_MAX = 50  # help calls kept at once
# What a counter can do, by the names the counter page, the API and `kiosk hall` use.
ACTIONS = ("call", "recall", "done", "no-show", "transfer")


VERSION_KEY = "hall.version"


class HallError(KioskError):
    """A queue action refused: `status` is the HTTP status, the message is for staff."""

    def __init__(self, message: str, status: int = 409, code: str = "refused") -> None:
        super().__init__(message)
        self.status = status
        self.code = code

    @classmethod
    def bad_input(cls, detail: str) -> HallError:
        """A request whose content is wrong (400), saying what was wrong."""
        return cls(texts.BAD_INPUT.format(detail=detail), 400, "bad_input")


@dataclass(frozen=True)
class Called:
    """The ticket a counter is serving after an action."""

    ticket: str
    service: str
    counter: str
    at: str
    recalls: int

    def as_json(self) -> dict[str, Any]:
        return {
            "ticket": self.ticket,
            "service": self.service,
            "counter": self.counter,
            "at": self.at,
            "recalls": self.recalls,
        }


class Hall:
    """The queue of one site on the hall's host. Thread-safe (shares the ledger's lock)."""

    def __init__(self, settings: Settings, pack: Pack, ledger: Ledger | None = None) -> None:
        self.settings = settings
        self.pack = pack
        self.site = settings.kiosk.site
        self.ledger = ledger or ledger_for(settings.store.path)
        schema.migrate(self.ledger.conn)
        self.conn = self.ledger.conn
        self.lock = self.ledger._lock
        self.counters = {c.id: c for c in counters_for(settings, pack)}
        self.services = {s.id: s for s in pack.services_at(self.site)}
        self.rule = QueueRule(states=True, normal_between=settings.hall.normal_between_priority)

    # --- transactions ----------------------------------------------------------------------

    @contextmanager
    def change(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute(
                    "INSERT INTO kv (key, value) VALUES (?, '1') ON CONFLICT(key)"
                    " DO UPDATE SET value = CAST(value AS INTEGER) + 1",
                    (VERSION_KEY,),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def version(self) -> int:
        """Grows with every queue change and every new ticket (displays compare it)."""
        with self.lock:
            row = self.conn.execute(
                "SELECT COALESCE((SELECT CAST(value AS INTEGER) FROM kv WHERE key = ?), 0)"
                " + COALESCE((SELECT MAX(id) FROM tickets), 0)",
                (VERSION_KEY,),
            ).fetchone()
        return int(row[0])

    def counter(self, counter_id: str) -> Counter:
        counter = self.counters.get(str(counter_id))
        if counter is None:
            raise HallError(texts.UNKNOWN_COUNTER.format(counter=counter_id), 404, "unknown")
        return counter

    @staticmethod
    def now() -> tuple[datetime, str, str]:
        now = clock.now()
        return now, now.date().isoformat(), now.isoformat(timespec="seconds")

    def _event(self, conn: Any, kind: str, row: tuple[Any, ...], counter: str, at: str) -> None:
        ticket_id, number, service, day = row
        conn.execute(
            "INSERT INTO hall_events (site, day, kind, ticket_id, number, service, counter, at)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (self.site, day, kind, ticket_id, number, service, counter, at),
        )

    def serving(self, conn: Any, counter: str, day: str) -> tuple[Any, ...] | None:
        return conn.execute(
            "SELECT id, number, service, day, recalls, called_at, called_ts FROM tickets"
            " WHERE site = ? AND day = ? AND queue_state = ? AND counter = ?"
            " ORDER BY called_ts DESC LIMIT 1",
            (self.site, day, CALLED, counter),
        ).fetchone()

    def _serving_now(self, conn: Any, counter: str, day: str) -> tuple[Any, ...]:
        """The ticket this counter serves; refused (409) when it serves none."""
        current = self.serving(conn, counter, day)
        if current is None:
            raise HallError(texts.NOT_SERVING, 409, "not_serving")
        return current

    # --- counter actions -------------------------------------------------------------------

    def act(self, action: str, counter_id: str, to: str | None = None) -> Called | None:
        """One of ACTIONS by its name (`to`: the target counter of a transfer)."""
        if action == "transfer":
            if to is None or not str(to).strip():
                raise HallError.bad_input("转窗口需要目标窗口号 to")
            return self.transfer(counter_id, str(to).strip())
        by_name = {
            "call": self.call_next,
            "recall": self.recall,
            "done": self.done,
            "no-show": self.no_show,
        }
        if action not in by_name:
            raise HallError(texts.NOT_FOUND, 404, "not_found")
        return by_name[action](counter_id)

    def call_next(self, counter_id: str) -> Called | None:
        """Finish what the counter was serving and call the next ticket; None: nobody waits."""
        counter = self.counter(counter_id)
        now, day, at = self.now()
        with self.change() as conn:
            current = self.serving(conn, counter.id, day)
            if current:
                self._finish(conn, current, counter.id, DONE, at)
            chosen = self._next_for(conn, counter, day, now.timestamp())
            if chosen is None:
                return None
            # Calls are ordered by called_ts (normals since the last priority call): keep it
            # strictly increasing even when two calls share a clock tick.
            (latest,) = conn.execute(
                "SELECT MAX(called_ts) FROM tickets WHERE site = ? AND day = ?", (self.site, day)
            ).fetchone()
            called_ts = max(now.timestamp(), (latest or 0) + 0.001)
            conn.execute(
                "UPDATE tickets SET queue_state = ?, counter = ?, called_ts = ?, called_at = ?,"
                " recalls = 0, transfer_to = NULL WHERE id = ?",
                (CALLED, counter.id, called_ts, at, chosen[0]),
            )
            self._event(conn, "call", chosen, counter.id, at)
            (issued_ts,) = conn.execute(
                "SELECT issued_ts FROM tickets WHERE id = ?", (chosen[0],)
            ).fetchone()
        if current:
            self._record(stats.TICKET_SERVED, current, counter.id, now.timestamp())
        self._record(
            stats.TICKET_CALLED, chosen, counter.id, None, max(0.0, now.timestamp() - issued_ts)
        )
        return Called(chosen[1], chosen[2], counter.id, at, 0)

    def _record(
        self,
        kind: str,
        row: tuple[Any, ...],
        counter: str,
        now_ts: float | None,
        seconds: float | None = None,
    ) -> None:
        """Anonymous statistics (service, counter, seconds), written off the request's path."""
        if seconds is None and now_ts is not None and len(row) > 6 and row[6] is not None:
            seconds = max(0.0, now_ts - row[6])
        stats.record_soon(
            self.settings,
            kind,
            subject=row[2],
            counter=counter,
            value=None if seconds is None else round(seconds),
        )

    def _next_for(
        self, conn: Any, counter: Counter, day: str, now_ts: float
    ) -> tuple[Any, ...] | None:
        transferred = conn.execute(
            "SELECT id, number, service, day FROM tickets WHERE site = ? AND day = ?"
            " AND queue_state = ? AND transfer_to = ? ORDER BY requeued_ts, id LIMIT 1",
            (self.site, day, WAITING, counter.id),
        ).fetchone()
        if transferred:
            return transferred
        heads = []
        for service in counter.services:
            waiting = service_order(conn, self.site, day, service, self.rule, now_ts)
            if waiting:
                heads.append((service, waiting[0]))
        if not heads:
            return None
        service, head = min(heads, key=lambda h: (not h[1].priority, h[1].issued_ts, h[1].id))
        return (head.id, head.number, service, day)

    def recall(self, counter_id: str) -> Called:
        counter = self.counter(counter_id)
        _, day, at = self.now()
        with self.change() as conn:
            current = self._serving_now(conn, counter.id, day)
            conn.execute("UPDATE tickets SET recalls = recalls + 1 WHERE id = ?", (current[0],))
            self._event(conn, "recall", current[:4], counter.id, at)
        return Called(current[1], current[2], counter.id, at, current[4] + 1)

    def done(self, counter_id: str) -> Called:
        return self._end(counter_id, DONE)

    def no_show(self, counter_id: str) -> Called:
        return self._end(counter_id, NO_SHOW)

    def _end(self, counter_id: str, state: str) -> Called:
        counter = self.counter(counter_id)
        _, day, at = self.now()
        with self.change() as conn:
            current = self._serving_now(conn, counter.id, day)
            needed = self.settings.hall.recalls_before_no_show
            if state == NO_SHOW and current[4] < needed:
                raise HallError(
                    texts.RECALL_FIRST.format(left=needed - current[4]), 409, "recall_first"
                )
            self._finish(conn, current, counter.id, state, at)
        if state == DONE:
            self._record(stats.TICKET_SERVED, current, counter.id, clock.now().timestamp())
        else:
            self._record(stats.TICKET_NO_SHOW, current, counter.id, None)
        return Called(current[1], current[2], counter.id, at, current[4])

    def _finish(
        self, conn: Any, current: tuple[Any, ...], counter: str, state: str, at: str
    ) -> None:
        conn.execute(
            "UPDATE tickets SET queue_state = ?, finished_at = ? WHERE id = ?",
            (state, at, current[0]),
        )
        self._event(conn, "done" if state == DONE else "no_show", current[:4], counter, at)

    def transfer(self, counter_id: str, target_id: str) -> Called:
        """Send the ticket being served to another counter, which calls it before anyone else."""
        counter = self.counter(counter_id)
        target = self.counter(target_id)
        if target.id == counter.id:
            raise HallError(texts.SAME_COUNTER, 400, "same_counter")
        now, day, at = self.now()
        with self.change() as conn:
            current = self._serving_now(conn, counter.id, day)
            conn.execute(
                "UPDATE tickets SET queue_state = ?, counter = NULL, transfer_to = ?,"
                " requeued_ts = ? WHERE id = ?",
                (WAITING, target.id, now.timestamp(), current[0]),
            )
            self._event(conn, "transfer", current[:4], counter.id, at)
        return Called(current[1], current[2], target.id, at, current[4])

    # --- keys ------------------------------------------------------------------------------

    def make_key(self, name: str) -> str:
        """A new key for a counter (or the dispensers); the old one stops working."""
        if name != DISPENSER:
            name = self.counter(name).id
        key = secrets.token_urlsafe(12)
        with self.change() as conn:
            conn.execute(
                "INSERT INTO hall_keys (name, hash, made_at) VALUES (?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET hash = excluded.hash, made_at = excluded.made_at",
                (name, hash_key(key), self.now()[2]),
            )
        return key

    def check_key(self, name: str, key: str | None) -> None:
        """HallError 401 without a key, 403 with a wrong one (or an unknown counter)."""
        if not key:
            raise HallError(texts.NO_KEY, 401, "no_key")
        with self.lock:
            row = self.conn.execute(
                "SELECT hash FROM hall_keys WHERE name = ?", (str(name),)
            ).fetchone()
        if row is None or not key_matches(key, row[0]):
            raise HallError(texts.WRONG_KEY, 403, "wrong_key")

    # --- help calls (呼叫工作人员) -----------------------------------------------------------

    def add_help(self, kiosk: str, label: str, site: str, place: str) -> None:
        at = self.now()[2]
        with self.change() as conn:
            (count,) = conn.execute(
                "SELECT COUNT(*) FROM hall_help WHERE kiosk != ?", (kiosk,)
            ).fetchone()
            if count >= HELP_MAX:
                raise HallError(texts.HELP_FULL, 429, "help_full")
            conn.execute(
                "INSERT INTO hall_help (kiosk, label, site, place, at) VALUES (?,?,?,?,?)"
                " ON CONFLICT(kiosk) DO UPDATE SET label = excluded.label, site = excluded.site,"
                " place = excluded.place, at = excluded.at",
                (kiosk, label, site, place, at),
            )

    def clear_help(self, kiosk: str) -> bool:
        with self.change() as conn:
            cursor = conn.execute("DELETE FROM hall_help WHERE kiosk = ?", (kiosk,))
        return cursor.rowcount > 0

    # --- tickets of the hall's other dispensers --------------------------------------------
