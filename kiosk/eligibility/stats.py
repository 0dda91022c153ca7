"""Anonymous counts of walkthrough results: which outcome, which rule, on which day.

Nothing a resident answered is stored, and no time finer than the day: one row per
(day, outcome, rule) holding a count. Enough for the centre to see how often each rule fires.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import store

if TYPE_CHECKING:
    import sqlite_utils

    from kiosk.eligibility.engine import Result
    from kiosk.eligibility.walkthrough import Walkthrough

log = logging.getLogger(__name__)

FEATURE = "eligibility"


def _create_counts(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE eligibility_counts ("
        " day TEXT NOT NULL, outcome TEXT NOT NULL, rule TEXT NOT NULL,"
        " count INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, outcome, rule))"
    )


MIGRATIONS: list[store.Migration] = [_create_counts]


def ensure(db: sqlite_utils.Database) -> None:
    store.migrate(db, FEATURE, MIGRATIONS)


def record(db: sqlite_utils.Database, outcome: str, rule: str, day: date) -> None:
    """Count one result shown to a resident (committed before returning)."""
    ensure(db)
    db.conn.execute(
        "INSERT INTO eligibility_counts (day, outcome, rule, count) VALUES (?, ?, ?, 1)"
        " ON CONFLICT(day, outcome, rule) DO UPDATE SET count = count + 1",
        (day.isoformat(), outcome, rule),
    )


def rows(db: sqlite_utils.Database, since: date | None = None) -> list[dict[str, Any]]:
    ensure(db)
    query = "SELECT day, outcome, rule, count FROM eligibility_counts"
    params: tuple[Any, ...] = ()
    if since is not None:
        query += " WHERE day >= ?"
        params = (since.isoformat(),)
    cursor = db.conn.execute(query + " ORDER BY day, outcome, rule", params)
    return [dict(zip(("day", "outcome", "rule", "count"), row, strict=True)) for row in cursor]


def by_outcome(db: sqlite_utils.Database, since: date | None = None) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in rows(db, since):
        totals[row["outcome"]] = totals.get(row["outcome"], 0) + row["count"]
    return totals


# One writer thread with its own connection per database: the UI thread never waits for an
# fsync, and a kiosk's taps are counted in the order they happened.
_writer: ThreadPoolExecutor | None = None
_writer_lock = threading.Lock()
_databases: dict[Path, sqlite_utils.Database] = {}
_last: Future[None] | None = None


def count_once(walk: Walkthrough, result: Result, day: date, db_path: Path) -> bool:
    """Count a result shown to a resident, once per (outcome, rule) in their session, written in
    the background. True when it is new (the caller may record its own event then)."""
    global _writer, _last
    key = (result.outcome, result.rule)
    if key in walk.counted:
        return False
    walk.counted.add(key)
    with _writer_lock:
        if _writer is None:
            _writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eligibility-counts")
        _last = _writer.submit(_write, Path(db_path), result.outcome, result.rule, day)
    return True


def _write(db_path: Path, outcome: str, rule: str, day: date) -> None:
    try:
        db = _databases.get(db_path)
        if db is None:
            db = _databases[db_path] = store.open_db(db_path)
        record(db, outcome, rule, day)
    except Exception:  # counting must never stand between a resident and the result
        log.exception("could not count an eligibility result")


def flush(timeout: float = 5.0) -> bool:
    """Wait until the counts queued by count_once() are written (tests, shutdown)."""
    with _writer_lock:
        last = _last
    if last is None:
        return True
    try:
        last.result(timeout)
    except TimeoutError:
        return False
    return True
