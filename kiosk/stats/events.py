"""The events table, `record()` and `events_after()` (the contract is in kiosk.stats)."""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import clock, store

if TYPE_CHECKING:
    import sqlite_utils

    from kiosk.config import Settings

log = logging.getLogger(__name__)

FEATURE_NAME = "stats"

# Kinds recorded by the kiosk's own features (subject / counter / value in brackets).
VISIT = "visit"  # a resident's visit began: the first tap away from the home screen
FEATURE = "feature"  # a home tile was opened (subject: feature)
SEARCH = "search"  # a search result was opened (subject: the result's kind, never the query)
ELIGIBILITY = "eligibility"  # a walkthrough result was shown (subject: outcome)
TICKET_ISSUED = "ticket_issued"  # (subject: service id)
TICKET_CALLED = "ticket_called"  # (subject: service, counter, value: seconds waited)
TICKET_SERVED = "ticket_served"  # (subject: service, counter, value: seconds at the window)
TICKET_NO_SHOW = "ticket_no_show"  # (subject: service, counter)
RATING = "rating"  # 一次一评 at the kiosk (subject: service or None, value: level 1..5)
RATING_WINDOW = "rating_window"  # on a window's 评价器 (subject: service, counter, value: level)
COMPLAINT = "complaint"  # 投诉建议 left on the kiosk (subject: category)
FOLLOWUP = "followup"  # a 差评/complaint item left 待回访 (subject: rating|complaint, value: days)
PRINTER_FAULT = "printer_fault"  # a print failed (subject: short reason)
START = "start"  # the kiosk program started
UPTIME = "uptime"  # the kiosk ran (value: seconds since its last uptime row)

KINDS = (
    VISIT,
    FEATURE,
    SEARCH,
    ELIGIBILITY,
    TICKET_ISSUED,
    TICKET_CALLED,
    TICKET_SERVED,
    TICKET_NO_SHOW,
    RATING,
    RATING_WINDOW,
    COMPLAINT,
    FOLLOWUP,
    PRINTER_FAULT,
    START,
    UPTIME,
)

FIELDS = ("id", "at", "day", "site", "kiosk", "kind", "subject", "counter", "value")


def _create_events(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE stats_events ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, day TEXT NOT NULL,"
        " site TEXT NOT NULL, kiosk TEXT NOT NULL, kind TEXT NOT NULL,"
        " subject TEXT, counter TEXT, value REAL)"
    )
    db.execute("CREATE INDEX stats_events_day ON stats_events (day, kind)")


MIGRATIONS: list[store.Migration] = [_create_events]

_lock = threading.Lock()
_connections: dict[Path, sqlite3.Connection] = {}
_ids: dict[Path, str] = {}


def ensure(db: sqlite_utils.Database | sqlite3.Connection) -> sqlite3.Connection:
    """Create or upgrade the table (through kiosk.store's migrations); returns the connection."""
    import sqlite_utils

    conn = db if isinstance(db, sqlite3.Connection) else db.conn
    store.migrate(sqlite_utils.Database(conn), FEATURE_NAME, MIGRATIONS)
    return conn


def _shared_connection(settings: Settings) -> sqlite3.Connection:
    path = Path(settings.store.path).resolve()
    conn = _connections.get(path)
    if conn is None:
        conn = store.connect(path)
        store.migrate(_wrap(conn), "core", store.CORE_MIGRATIONS)
        ensure(conn)
        _connections[path] = conn
    return conn


def _wrap(conn: sqlite3.Connection) -> sqlite_utils.Database:
    import sqlite_utils

    return sqlite_utils.Database(conn)


def _kiosk_of(settings: Settings) -> str:
    from kiosk.identity import kiosk_id

    folder = Path(settings.kiosk.data_dir)
    if folder not in _ids:
        _ids[folder] = kiosk_id(folder)
    return _ids[folder]


def _resolve(
    where: Any, site: str | None, kiosk: str | None
) -> tuple[sqlite3.Connection, str, str]:
    if hasattr(where, "store") and hasattr(where, "kiosk"):  # Settings
        conn = _shared_connection(where)
        return conn, site or where.kiosk.site, kiosk or _kiosk_of(where)
    return ensure(where), site or "", kiosk or ""


def record(
    where: Settings | sqlite_utils.Database | sqlite3.Connection,
    kind: str,
    subject: str | None = None,
    counter: str | None = None,
    value: float | None = None,
    *,
    site: str | None = None,
    kiosk: str | None = None,
    at: datetime | None = None,
) -> bool:
    """Store one event (committed before returning). Never raises: False means not stored."""
    try:
        moment = at or clock.now()
        with _lock:
            conn, site_id, kiosk_id = _resolve(where, site, kiosk)
            conn.execute(
                "INSERT INTO stats_events (at, day, site, kiosk, kind, subject, counter, value)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    moment.isoformat(timespec="seconds"),
                    moment.date().isoformat(),
                    site_id,
                    kiosk_id,
                    str(kind),
                    None if subject is None else str(subject),
                    None if counter is None else str(counter),
                    None if value is None else float(value),
                ),
            )
        return True
    except Exception:  # statistics must never reach a resident
        log.exception("could not record a statistics event (%s)", kind)
        return False


_pending: queue.SimpleQueue[tuple[tuple[Any, ...], dict[str, Any]]] = queue.SimpleQueue()
_writer: threading.Thread | None = None
_outstanding = 0
_written = threading.Condition()


def record_soon(where: Any, kind: str, *args: Any, **kwargs: Any) -> None:
    """Like record(), written by a background thread: for the UI thread, where an fsync must
    not delay a tap. The moment is taken now, not when the row is written."""
    global _writer, _outstanding
    kwargs.setdefault("at", clock.now())
    with _written:
        _outstanding += 1
    _pending.put(((where, kind, *args), kwargs))
    if _writer is None or not _writer.is_alive():
        _writer = threading.Thread(target=_write_pending, name="stats-writer", daemon=True)
        _writer.start()


def _write_pending() -> None:
    global _outstanding
    while True:
        args, kwargs = _pending.get()
        try:
            record(*args, **kwargs)
        finally:
            with _written:
                _outstanding -= 1
                _written.notify_all()


def flush(timeout: float = 5.0) -> bool:
    """Wait until the rows queued by record_soon() are written (tests, shutdown)."""
    with _written:
        return _written.wait_for(lambda: _outstanding == 0, timeout)


def events_after(
    where: Settings | sqlite_utils.Database | sqlite3.Connection, last_id: int, limit: int = 1000
) -> list[dict[str, Any]]:
    """Rows with id > last_id, oldest first, at most `limit`: what the uploader sends next."""
    with _lock:
        conn, _site, _kiosk = _resolve(where, None, None)
        cursor = conn.execute(
            "SELECT id, at, day, site, kiosk, kind, subject, counter, value FROM stats_events"
            " WHERE id > ? ORDER BY id LIMIT ?",
            (int(last_id), int(limit)),
        )
        return [dict(zip(FIELDS, row, strict=True)) for row in cursor]


def close_all() -> None:
    """Close the shared connections (tests; a kiosk keeps them for its lifetime)."""
    with _lock:
        for conn in _connections.values():
            conn.close()
        _connections.clear()
        _ids.clear()
