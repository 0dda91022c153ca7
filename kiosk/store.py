"""The kiosk's SQLite database: WAL mode, and versioned migrations per feature.

Each feature (tickets, stats, admin, ...) owns its tables and its list of migrations, so features
evolve independently: `migrate(db, "tickets", TICKET_MIGRATIONS)`. A migration runs inside one
transaction together with the row that records it, so a power cut leaves either the old or the
new schema, never half of one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import KioskError

if TYPE_CHECKING:
    import sqlite_utils

Migration = Callable[["sqlite_utils.Database"], None]


class StoreError(KioskError):
    """The database cannot be opened or is newer than this program."""


def connect(path: Path) -> sqlite3.Connection:
    """A connection tuned for a kiosk: WAL, durable commits, waits instead of failing on locks."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"{path}: cannot open the database ({exc})") from None
    return conn


def open_db(path: Path) -> sqlite_utils.Database:
    """sqlite-utils over a tuned connection, with the core schema in place."""
    import sqlite_utils

    db = sqlite_utils.Database(connect(path))
    migrate(db, "core", CORE_MIGRATIONS)
    return db


def _ensure_ledger(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " feature TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL"
        " DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), PRIMARY KEY (feature, version))"
    )


def version(db: sqlite_utils.Database, feature: str) -> int:
    _ensure_ledger(db.conn)
    row = db.conn.execute(
        "SELECT MAX(version) FROM schema_migrations WHERE feature = ?", (feature,)
    ).fetchone()
    return row[0] or 0


def migrate(db: sqlite_utils.Database, feature: str, migrations: Sequence[Migration]) -> int:
    """Apply the migrations of `feature` not yet applied; returns the resulting version.

    migrations[0] is version 1. A database written by a newer program (higher version than
    this code knows) is refused rather than silently misread. Migrations run inside an open
    transaction: write them with `db.execute(SQL)`, not with sqlite-utils helpers that commit.
    """
    conn = db.conn
    _ensure_ledger(conn)
    current = version(db, feature)
    if current > len(migrations):
        raise StoreError(
            f"{db.conn.execute('PRAGMA database_list').fetchone()[2]}: the '{feature}' tables are"
            f" at version {current}, newer than this program knows ({len(migrations)});"
            " install the newer program or restore a backup"
        )
    for number in range(current + 1, len(migrations) + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            if version(db, feature) >= number:
                conn.execute("COMMIT")
                continue
            migrations[number - 1](db)
            conn.execute(
                "INSERT INTO schema_migrations (feature, version) VALUES (?, ?)", (feature, number)
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return len(migrations)


def _core_1(db: sqlite_utils.Database) -> None:
    # Small durable key/value facts of the kiosk itself (e.g. the admin lockout).
    db.conn.execute("CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


CORE_MIGRATIONS: list[Migration] = [_core_1]


def get_value(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    row = db.conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_value(db: sqlite_utils.Database, key: str, value: str | None) -> None:
    if value is None:
        db.conn.execute("DELETE FROM kv WHERE key = ?", (key,))
    else:
        db.conn.execute(
            "INSERT INTO kv (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
