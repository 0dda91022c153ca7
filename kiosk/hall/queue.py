"""The hall's queue on its host: counters call, recall, finish, miss and transfer tickets.

The queue lives in the same SQLite ledger as the tickets (kiosk.tickets.ledger): a ticket is
waiting until a counter calls it, and every change runs in one `BEGIN IMMEDIATE` transaction,
so twenty counters pressing 叫号 at once never get the same ticket, and a crash leaves either
the old or the new state. Each change is also an event row (the calls a display shows) and
bumps a version number that displays use to see that something changed. Who is next comes
from kiosk.tickets.order, the same function that tells a new ticket how many are ahead.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk import clock, stats, store
from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.hall import texts
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

CALLS_SHOWN = 10  # calls listed in the state (newest first)
HELP_MAX = 50  # help calls kept at once
DISPENSER = "dispenser"  # the key name shared by the hall's other ticket dispensers
REMOTE_SEQ = 100_000  # remote tickets are kept with seq = -(origin number * this + their seq)


def _v1(db: Any) -> None:
    db.execute(
        """CREATE TABLE hall_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            site TEXT NOT NULL,
            day TEXT NOT NULL,
            kind TEXT NOT NULL,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id),
            number TEXT NOT NULL,
            service TEXT NOT NULL,
            counter TEXT NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX hall_events_day ON hall_events (site, day, kind)")
    db.execute(
        "CREATE TABLE hall_keys (name TEXT PRIMARY KEY, hash TEXT NOT NULL, made_at TEXT NOT NULL)"
    )
    db.execute(
        """CREATE TABLE hall_help (
            kiosk TEXT PRIMARY KEY, label TEXT NOT NULL, site TEXT NOT NULL,
            place TEXT NOT NULL, at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE TABLE hall_origins (id INTEGER PRIMARY KEY, kiosk TEXT NOT NULL UNIQUE)")
    # On a dispenser that is not the host: its tickets the host has acknowledged.
    db.execute(
        "CREATE TABLE hall_sent (ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),"
        " at TEXT NOT NULL)"
    )


MIGRATIONS = [_v1]
VERSION_KEY = "hall.version"


class HallError(KioskError):
    """A queue action refused: `status` is the HTTP status, the message is for staff."""

    def __init__(self, message: str, status: int = 409, code: str = "refused") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Counter:
    id: str
    name: str
    services: tuple[str, ...]


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


def counters_for(settings: Settings, pack: Pack) -> tuple[Counter, ...]:
    """[hall] counters, or one counter per window of the site; names checked against the pack."""
    site_id = settings.kiosk.site
    site = pack.site(site_id)
    windows = {w.id: w for w in site.windows} if site else {}
    services = {s.id for s in pack.services_at(site_id)}
    spec = settings.hall.counters
    if not spec:
        spec = tuple(
            (str(index), (window.id,))
            for index, window in enumerate(
                (w for w in windows.values() if any(s in services for s in w.services)), 1
            )
        )
    result = []
    for counter, names in spec:
        chosen: list[str] = []
        for name in names:
            if name in windows:
                chosen += [s for s in windows[name].services if s in services]
            elif name in services:
                chosen.append(name)
            else:
                raise KioskError(
                    f"[hall] counters: {counter}: {name!r} is neither a window nor a service of"
                    f" site {site_id}; windows: {', '.join(windows) or 'none'};"
                    f" services: {', '.join(sorted(services)) or 'none'}"
                )
        result.append(
            Counter(
                counter, texts.COUNTER_NAME.format(counter=counter), tuple(dict.fromkeys(chosen))
            )
        )
    return tuple(result)


def hash_key(key: str, salt: bytes | None = None) -> str:
    """Keys are long random strings, so a salted SHA-256 is enough and checking stays cheap."""
    salt = salt or secrets.token_bytes(16)
    return f"sha256${salt.hex()}${hashlib.sha256(salt + key.encode()).hexdigest()}"


def _key_matches(key: str, stored: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
        candidate = hashlib.sha256(bytes.fromhex(salt) + key.encode()).hexdigest()
    except ValueError:
        return False
    return hmac.compare_digest(candidate, digest)


class Hall:
    """The queue of one site on the hall's host. Thread-safe (shares the ledger's lock)."""

    def __init__(self, settings: Settings, pack: Pack, ledger: Ledger | None = None) -> None:
        import sqlite_utils

        self.settings = settings
        self.pack = pack
        self.site = settings.kiosk.site
        self.ledger = ledger or ledger_for(settings.store.path)
        store.migrate(sqlite_utils.Database(self.ledger.conn), "hall", MIGRATIONS)
        self.conn = self.ledger.conn
        self.lock = self.ledger._lock
        self.counters = {c.id: c for c in counters_for(settings, pack)}
        self.services = {s.id: s for s in pack.services_at(self.site)}
        self.rule = QueueRule(states=True, normal_between=settings.hall.normal_between_priority)

    # --- transactions ----------------------------------------------------------------------

    @contextmanager
    def _change(self) -> Iterator[sqlite3.Connection]:
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
    def _now() -> tuple[datetime, str, str]:
        now = clock.now()
        return now, now.date().isoformat(), now.isoformat(timespec="seconds")

    def _event(self, conn: Any, kind: str, row: tuple[Any, ...], counter: str, at: str) -> None:
        ticket_id, number, service, day = row
        conn.execute(
            "INSERT INTO hall_events (site, day, kind, ticket_id, number, service, counter, at)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (self.site, day, kind, ticket_id, number, service, counter, at),
        )

    def _serving(self, conn: Any, counter: str, day: str) -> tuple[Any, ...] | None:
        return conn.execute(
            "SELECT id, number, service, day, recalls, called_at, called_ts FROM tickets"
            " WHERE site = ? AND day = ? AND queue_state = ? AND counter = ?"
            " ORDER BY called_ts DESC LIMIT 1",
            (self.site, day, CALLED, counter),
        ).fetchone()

    # --- counter actions -------------------------------------------------------------------

    def call_next(self, counter_id: str) -> Called | None:
        """Finish what the counter was serving and call the next ticket; None: nobody waits."""
        counter = self.counter(counter_id)
        now, day, at = self._now()
        with self._change() as conn:
            current = self._serving(conn, counter.id, day)
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
        _, day, at = self._now()
        with self._change() as conn:
            current = self._serving(conn, counter.id, day)
            if current is None:
                raise HallError(texts.NOT_SERVING, 409, "not_serving")
            conn.execute("UPDATE tickets SET recalls = recalls + 1 WHERE id = ?", (current[0],))
            self._event(conn, "recall", current[:4], counter.id, at)
        return Called(current[1], current[2], counter.id, at, current[4] + 1)

    def done(self, counter_id: str) -> Called:
        return self._end(counter_id, DONE)

    def no_show(self, counter_id: str) -> Called:
        return self._end(counter_id, NO_SHOW)

    def _end(self, counter_id: str, state: str) -> Called:
        counter = self.counter(counter_id)
        _, day, at = self._now()
        with self._change() as conn:
            current = self._serving(conn, counter.id, day)
            if current is None:
                raise HallError(texts.NOT_SERVING, 409, "not_serving")
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
        now, day, at = self._now()
        with self._change() as conn:
            current = self._serving(conn, counter.id, day)
            if current is None:
                raise HallError(texts.NOT_SERVING, 409, "not_serving")
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
        with self._change() as conn:
            conn.execute(
                "INSERT INTO hall_keys (name, hash, made_at) VALUES (?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET hash = excluded.hash, made_at = excluded.made_at",
                (name, hash_key(key), self._now()[2]),
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
        if row is None or not _key_matches(key, row[0]):
            raise HallError(texts.WRONG_KEY, 403, "wrong_key")

    # --- help calls (呼叫工作人员) -----------------------------------------------------------

    def add_help(self, kiosk: str, label: str, site: str, place: str) -> None:
        at = self._now()[2]
        with self._change() as conn:
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
        with self._change() as conn:
            cursor = conn.execute("DELETE FROM hall_help WHERE kiosk = ?", (kiosk,))
        return cursor.rowcount > 0

    # --- tickets of the hall's other dispensers --------------------------------------------

    def receive(self, kiosk: str, tickets: list[dict[str, Any]]) -> dict[str, Any]:
        """Take tickets a dispenser issued (again, after a failure: idempotent).

        A number already taken by another dispenser is a set-up mistake (overlapping number
        blocks without device prefixes): it is reported as a conflict, never overwritten.
        """
        accepted: list[dict[str, Any]] = []
        conflicts: list[str] = []
        now_ts = clock.now().timestamp()
        with self._change() as conn:
            conn.execute("INSERT OR IGNORE INTO hall_origins (kiosk) VALUES (?)", (kiosk,))
            (origin_no,) = conn.execute(
                "SELECT id FROM hall_origins WHERE kiosk = ?", (kiosk,)
            ).fetchone()
            for ticket in tickets:
                day, number, service = ticket["day"], ticket["number"], ticket["service"]
                existing = conn.execute(
                    "SELECT id, origin FROM tickets WHERE site = ? AND day = ? AND number = ?",
                    (self.site, day, number),
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
                            self.site,
                            day,
                            service,
                            self.services[service].name,
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
                    (self.site, day, number),
                ).fetchone()[0]
                ordered = service_order(conn, self.site, day, service, self.rule, now_ts)
                ahead = next((i for i, t in enumerate(ordered) if t.id == ticket_id), 0)
                accepted.append({"number": number, "ahead": ahead})
        return {"accepted": accepted, "conflicts": conflicts}

    # --- reading ---------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """The public state (contract in BRIEF.md): numbers and counts only."""
        now, day, _ = self._now()
        with self.lock:
            conn = self.conn
            version = self.version()
            services = [
                {
                    "id": service.id,
                    "letter": service.prefix.upper(),
                    "name": service.name,
                    "waiting": len(
                        service_order(conn, self.site, day, service.id, self.rule, now.timestamp())
                    ),
                }
                for service in self.services.values()
            ]
            counters = [
                self._counter_json(conn, counter, day) for counter in self.counters.values()
            ]
            calls = [
                {"ticket": number, "counter": counter, "service": service, "at": at, "seq": seq}
                for seq, number, counter, service, at in conn.execute(
                    "SELECT seq, number, counter, service, at FROM hall_events"
                    " WHERE site = ? AND day = ? AND kind IN ('call', 'recall')"
                    " ORDER BY seq DESC LIMIT ?",
                    (self.site, day, CALLS_SHOWN),
                ).fetchall()
            ]
            help_calls = [
                {"kiosk": kiosk, "label": label, "site": site, "place": place, "at": at}
                for kiosk, label, site, place, at in conn.execute(
                    "SELECT kiosk, label, site, place, at FROM hall_help ORDER BY at, kiosk"
                ).fetchall()
            ]
        site = self.pack.site(self.site)
        return {
            "site": site.name if site else self.site,
            "now": now.isoformat(timespec="seconds"),
            "version": version,
            "services": services,
            "counters": counters,
            "calls": calls,
            "help": help_calls,
        }

    def _counter_json(self, conn: Any, counter: Counter, day: str) -> dict[str, Any]:
        serving = conn.execute(
            "SELECT number, service, called_at FROM tickets WHERE site = ? AND day = ?"
            " AND queue_state = ? AND counter = ? ORDER BY called_ts DESC LIMIT 1",
            (self.site, day, CALLED, counter.id),
        ).fetchone()
        last = conn.execute(
            "SELECT number, service, at, seq FROM hall_events WHERE site = ? AND day = ?"
            " AND counter = ? AND kind = 'done' ORDER BY seq DESC LIMIT 1",
            (self.site, day, counter.id),
        ).fetchone()
        return {
            "counter": counter.id,
            "name": counter.name,
            "services": list(counter.services),
            "serving": serving[0] if serving else None,
            "service": serving[1] if serving else None,
            "called_at": serving[2] if serving else None,
            "last_done": (
                {"ticket": last[0], "service": last[1], "at": last[2], "seq": last[3]}
                if last
                else None
            ),
        }

    def counter_view(self, counter_id: str) -> dict[str, Any]:
        """What the counter page shows besides the public state (after the key was checked)."""
        counter = self.counter(counter_id)
        now, day, _ = self._now()
        with self.lock:
            conn = self.conn
            current = self._serving(conn, counter.id, day)
            (served,) = conn.execute(
                "SELECT COUNT(*) FROM hall_events WHERE site = ? AND day = ? AND counter = ?"
                " AND kind = 'done'",
                (self.site, day, counter.id),
            ).fetchone()
            (transferred,) = conn.execute(
                "SELECT COUNT(*) FROM tickets WHERE site = ? AND day = ? AND queue_state = ?"
                " AND transfer_to = ?",
                (self.site, day, WAITING, counter.id),
            ).fetchone()
            waiting = [
                {
                    "id": sid,
                    "letter": self.services[sid].prefix.upper(),
                    "name": self.services[sid].name,
                    "waiting": len(
                        service_order(conn, self.site, day, sid, self.rule, now.timestamp())
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
            "recalls_before_no_show": self.settings.hall.recalls_before_no_show,
            "counters": [{"counter": c.id, "name": c.name} for c in self.counters.values()],
        }
