"""The outbox: what waits to be uploaded, committed in the kiosk's SQLite store.

A batch enters in the same transaction that advances its source's cursor (statistics events
after id N), so every event lands in exactly one batch even if the kiosk dies at any instant.
A row is deleted only after the server confirmed its PUT. Heartbeats are one row per object
name, replaced in place (`rev` tells a confirmed old heartbeat from a newer one written
meanwhile).

Bounded: past `max_pending` rows the oldest detail batches never tried are merged into one
daily summary per day (counts and sums per day, site, kiosk, kind, subject and counter); only
when that is not enough are the oldest rows dropped, and every drop is counted.
Rows already tried are never merged: their PUT may have arrived with the reply lost, and the
summary would count those events twice.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk import clock, store

FEATURE = "upload"
HEARTBEAT = "heartbeat"
STATS = "stats"
STATS_DAILY = "stats_daily"
COMPLAINT = "complaint"
LEVELLED = ("rating", "rating_window")  # kinds whose value is a level, not an amount
# A daily summary line: these keys, plus n (events) and total (sum of their values).
SUMMARY_KEYS = ("day", "site", "kiosk", "kind", "subject", "counter", "level")


def _v1(db: Any) -> None:
    db.execute(
        """CREATE TABLE upload_outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            day TEXT,
            body BLOB NOT NULL,
            lines INTEGER NOT NULL,
            created TEXT NOT NULL,
            rev INTEGER NOT NULL DEFAULT 1,
            attempts INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE TABLE upload_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


MIGRATIONS = [_v1]


@dataclass(frozen=True)
class Item:
    id: int
    name: str
    kind: str
    body: bytes
    lines: int
    rev: int
    attempts: int


def object_name(kind: str, day: str, site: str, kiosk: str, seq: int) -> str:
    return f"{kind}/dt={day}/site={site}/kiosk={kiosk}/{seq:08d}.jsonl"


def heartbeat_name(site: str, kiosk: str) -> str:
    return f"{HEARTBEAT}/site={site}/kiosk={kiosk}.json"


def jsonl(rows: list[dict[str, Any]]) -> bytes:
    return b"".join(
        json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        for row in rows
    )


class Outbox:
    def __init__(self, path: Path) -> None:
        self.db = store.open_db(Path(path))
        store.migrate(self.db, FEATURE, MIGRATIONS)
        self.conn = self.db.conn

    def close(self) -> None:
        self.conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- state ---------------------------------------------------------------------------

    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM upload_state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def get_int(self, key: str) -> int:
        value = self.get(key)
        return int(value) if value and value.lstrip("-").isdigit() else 0

    def set(self, key: str, value: str | int | None) -> None:
        if value is None:
            self.conn.execute("DELETE FROM upload_state WHERE key = ?", (key,))
        else:
            self.conn.execute(
                "INSERT INTO upload_state (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, str(value)),
            )

    def add_int(self, key: str, count: int) -> None:
        self.set(key, self.get_int(key) + count)

    # --- adding --------------------------------------------------------------------------

    def add_batch(
        self, kind: str, day: str, site: str, kiosk: str, rows: list[dict[str, Any]]
    ) -> str:
        """Queue one immutable batch (call inside `transaction()`); returns its object name."""
        seq = self.get_int("seq") + 1
        self.set("seq", seq)
        name = object_name(kind, day, site, kiosk, seq)
        self.conn.execute(
            "INSERT INTO upload_outbox (name, kind, day, body, lines, created)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (name, kind, day, jsonl(rows), len(rows), _stamp()),
        )
        return name

    def put_latest(self, name: str, kind: str, body: bytes) -> None:
        """Queue an object that replaces its previous state (a heartbeat)."""
        self.conn.execute(
            "INSERT INTO upload_outbox (name, kind, day, body, lines, created)"
            " VALUES (?, ?, NULL, ?, 1, ?) ON CONFLICT(name) DO UPDATE SET"
            " body = excluded.body, created = excluded.created, rev = rev + 1",
            (name, kind, body, _stamp()),
        )

    # --- sending -------------------------------------------------------------------------

    def due(self, limit: int = 100) -> list[Item]:
        """Heartbeats first (the district sees the kiosk even behind a backlog), then oldest."""
        rows = self.conn.execute(
            "SELECT id, name, kind, body, lines, rev, attempts FROM upload_outbox"
            " ORDER BY kind = ? DESC, id LIMIT ?",
            (HEARTBEAT, limit),
        ).fetchall()
        return [Item(*row) for row in rows]

    def tried(self, item: Item) -> None:
        self.conn.execute(
            "UPDATE upload_outbox SET attempts = attempts + 1 WHERE id = ?", (item.id,)
        )

    def confirmed(self, item: Item) -> None:
        """The server has it: forget it (a heartbeat replaced meanwhile stays queued)."""
        self.conn.execute("DELETE FROM upload_outbox WHERE id = ? AND rev = ?", (item.id, item.rev))

    # --- what staff see ------------------------------------------------------------------

    def pending(self) -> tuple[int, str | None]:
        count, oldest = self.conn.execute(
            "SELECT COUNT(*), MIN(created) FROM upload_outbox"
        ).fetchone()
        return count, oldest

    def names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM upload_outbox ORDER BY id")]

    # --- the bound -----------------------------------------------------------------------

    def enforce_bound(self, max_pending: int, site: str, kiosk: str) -> None:
        """Merge, then drop, until at most `max_pending` batches wait (heartbeats not counted)."""
        with self.transaction():
            while self._batches() > max_pending:
                if not self._merge_oldest_day(site, kiosk):
                    break
            excess = self._batches() - max_pending
            if excess > 0:
                dropped = self.conn.execute(
                    "SELECT id, lines FROM upload_outbox WHERE kind != ? ORDER BY id LIMIT ?",
                    (HEARTBEAT, excess),
                ).fetchall()
                self.conn.executemany(
                    "DELETE FROM upload_outbox WHERE id = ?", [(r[0],) for r in dropped]
                )
                self.add_int("dropped", len(dropped))
                self.add_int("dropped_lines", sum(r[1] for r in dropped))

    def _batches(self) -> int:
        return self.conn.execute(
            "SELECT COUNT(*) FROM upload_outbox WHERE kind != ?", (HEARTBEAT,)
        ).fetchone()[0]

    def _merge_oldest_day(self, site: str, kiosk: str) -> bool:
        found = self.conn.execute(
            "SELECT day FROM upload_outbox WHERE kind = ? AND attempts = 0"
            " GROUP BY day HAVING COUNT(*) > 1 ORDER BY MIN(id) LIMIT 1",
            (STATS,),
        ).fetchone()
        if found is None:
            return False
        day = found[0]
        rows = self.conn.execute(
            "SELECT id, body FROM upload_outbox WHERE kind = ? AND attempts = 0 AND day = ?",
            (STATS, day),
        ).fetchall()
        sums: dict[tuple[Any, ...], list[float]] = {}
        for _id, body in rows:
            for line in bytes(body).splitlines():
                event = json.loads(line)
                # A rating's value is its level: kept apart, so levels still add up.
                level = event.get("value") if event.get("kind") in LEVELLED else None
                key = (*(event.get(k) for k in SUMMARY_KEYS[:-1]), level)
                entry = sums.setdefault(key, [0, 0.0])
                entry[0] += int(event.get("n", 1))
                value = event.get("total", event.get("value"))
                entry[1] += float(value) if value is not None else 0.0
        summary = [
            dict(zip(SUMMARY_KEYS, key, strict=True), n=n, total=total)
            for key, (n, total) in sorted(sums.items(), key=lambda kv: [str(k) for k in kv[0]])
        ]
        self.conn.executemany("DELETE FROM upload_outbox WHERE id = ?", [(r[0],) for r in rows])
        self.add_batch(STATS_DAILY, day, site, kiosk, summary)
        self.add_int("merged", len(rows))
        return True


def _stamp() -> str:
    return clock.now().isoformat(timespec="seconds")
