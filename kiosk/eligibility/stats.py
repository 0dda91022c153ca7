"""Anonymous counts of walkthrough results: which outcome, which rule, on which day.

Nothing a resident answered is stored, and no time finer than the day: one row per
(day, outcome, rule) holding a count. Enough for the centre to see how often each rule fires.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from kiosk import store

if TYPE_CHECKING:
    import sqlite_utils

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
