"""The hall's tables, beside the tickets in the kiosk's ledger (kiosk.tickets.ledger).

Shared by the hall's host (kiosk.hall.queue: events, counter keys, help calls, the dispensers
it has heard from) and by its other dispensers (kiosk.hall.dispatch: which of their tickets
the host has acknowledged), so each migrates the same schema.
"""

from __future__ import annotations

from typing import Any


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


def migrate(conn: Any) -> None:
    """Bring the hall's tables in this ledger connection up to date."""
    import sqlite_utils

    from kiosk import store

    store.migrate(sqlite_utils.Database(conn), "hall", MIGRATIONS)
