"""Notices kept in the kiosk's SQLite database: those staff set here (origin 'local') and
those the hall host shares (origin 'hall', replaced whole on every successful fetch).

A notice set here is committed before the command or the admin screen says so, and survives
a restart or a power cut (WAL, synchronous=FULL). Cleared notices keep their row (cleared_at)
so that staff can see what was shown when.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk import clock, store
from kiosk.packs.model import NOTICE_STATUSES, NOTICE_TYPES, Notice

_lock = threading.Lock()
_connections: dict[Path, Any] = {}


def _notices_1(db: Any) -> None:
    db.execute(
        "CREATE TABLE notices ("
        " id TEXT PRIMARY KEY, origin TEXT NOT NULL, title TEXT NOT NULL,"
        " body TEXT NOT NULL DEFAULT '', level TEXT NOT NULL DEFAULT 'general',"
        " start TEXT, effective TEXT, end_at TEXT, sites TEXT NOT NULL DEFAULT '[]',"
        " closes TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL, cleared_at TEXT)"
    )


def _notices_2(db: Any) -> None:
    """CAP's status and msgType, and the ids an update or a cancel replaces."""
    db.execute("ALTER TABLE notices ADD COLUMN status TEXT NOT NULL DEFAULT 'actual'")
    db.execute("ALTER TABLE notices ADD COLUMN msg_type TEXT NOT NULL DEFAULT 'alert'")
    db.execute("ALTER TABLE notices ADD COLUMN refs TEXT NOT NULL DEFAULT '[]'")


MIGRATIONS = [_notices_1, _notices_2]

# An expired or cleared local notice stays this long (staff can look back at what was shown,
# `kiosk notice list --all`), then it is pruned so the table stays small.
GRACE = timedelta(days=7)


def _db(path: Path) -> Any:
    """One migrated connection per database file and process."""
    key = Path(path).resolve()
    with _lock:
        if key not in _connections:
            db = store.open_db(key)
            store.migrate(db, "notices", MIGRATIONS)
            _connections[key] = db
        return _connections[key]


def close_all() -> None:
    with _lock:
        for db in _connections.values():
            db.conn.close()
        _connections.clear()


def _iso(value: datetime | None) -> str | None:
    return value.replace(tzinfo=None).isoformat(timespec="minutes") if value else None


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _notice(row: tuple[Any, ...]) -> Notice:
    ident, origin, title, body, level, start, effective, end, sites, closes = row[:10]
    status, msg_type, refs = row[10:13]
    return Notice(
        id=ident,
        title=title,
        body=body,
        level=level,
        start=_time(start),
        effective=_time(effective),
        end=_time(end),
        sites=tuple(json.loads(sites)),
        closes=tuple(json.loads(closes)),
        origin=origin,
        status=status,
        msg_type=msg_type,
        references=tuple(json.loads(refs)),
    )


COLUMNS = (
    "id, origin, title, body, level, start, effective, end_at, sites, closes, status, msg_type,"
    " refs"
)


def stored(path: Path, origins: tuple[str, ...] = ("local", "hall")) -> list[Notice]:
    """Every notice not cleared, active or not (callers decide by the clock)."""
    marks = ",".join("?" * len(origins))
    rows = _db(path).conn.execute(
        f"SELECT {COLUMNS} FROM notices WHERE cleared_at IS NULL AND origin IN ({marks})"
        " ORDER BY created_at, id",
        origins,
    )
    return [_notice(row) for row in rows.fetchall()]


def add(path: Path, notice: Notice) -> Notice:
    """Store a notice set here; its id is the next free 'n<number>'. Returns it with the id."""
    conn = _db(path).conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        _prune(conn, clock.now())
        numbers = [
            int(row[0][1:])
            for row in conn.execute("SELECT id FROM notices WHERE origin = 'local'")
            if row[0][1:].isdigit()
        ]
        ident = f"n{max(numbers, default=0) + 1}"
        _insert(conn, replace(notice, id=ident, origin="local"))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return replace(notice, id=ident, origin="local")


def prune(path: Path, moment: datetime | None = None) -> int:
    """Delete local notices expired or cleared more than GRACE ago; how many went."""
    conn = _db(path).conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        gone = _prune(conn, moment or clock.now())
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return gone


def _prune(conn: Any, moment: datetime) -> int:
    limit = (moment.replace(tzinfo=None) - GRACE).isoformat(timespec="minutes")
    now = moment.replace(tzinfo=None).isoformat(timespec="minutes")
    cursor = conn.execute(
        "DELETE FROM notices WHERE origin = 'local'"
        " AND ((end_at IS NOT NULL AND end_at < ?) OR (cleared_at IS NOT NULL AND cleared_at < ?))"
        # an update or cancel stays while a notice it replaces is still up (else that returns)
        " AND NOT EXISTS (SELECT 1 FROM json_each(notices.refs) AS r JOIN notices AS m"
        "  ON m.id = r.value WHERE m.cleared_at IS NULL AND (m.end_at IS NULL OR m.end_at > ?))",
        (limit, limit, now),
    )
    return cursor.rowcount


def _insert(conn: Any, notice: Notice) -> None:
    conn.execute(
        f"INSERT INTO notices ({COLUMNS}, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            notice.id,
            notice.origin,
            notice.title,
            notice.body,
            notice.level,
            _iso(notice.start),
            _iso(notice.effective),
            _iso(notice.end),
            json.dumps(list(notice.sites), ensure_ascii=False),
            json.dumps(list(notice.closes), ensure_ascii=False),
            notice.status,
            notice.msg_type,
            json.dumps(list(notice.references), ensure_ascii=False),
            clock.now().isoformat(timespec="seconds"),
        ),
    )


def clear(path: Path, ident: str) -> Notice | None:
    """Take a local notice down now; None when there is no such notice still up. Taking an
    update down takes down the local notices it replaced too (else they would come back)."""
    conn = _db(path).conn
    row = conn.execute(
        f"SELECT {COLUMNS} FROM notices WHERE id = ? AND origin = 'local' AND cleared_at IS NULL",
        (ident,),
    ).fetchone()
    if row is None:
        return None
    conn.execute(
        "UPDATE notices SET cleared_at = ? WHERE id = ?",
        (clock.now().isoformat(timespec="seconds"), ident),
    )
    gone = _notice(row)
    if gone.msg_type == "update":
        for replaced in gone.references:
            clear(path, replaced)
    return gone


def replace_shared(path: Path, notices: list[Notice]) -> None:
    """The hall host's notices, as last fetched: all at once, in one transaction."""
    conn = _db(path).conn
    shared = {notice.id for notice in notices}

    def here(ident: str) -> str:  # a reference to another shared notice; pack ids stay
        return f"hall-{ident}" if ident in shared else ident

    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM notices WHERE origin = 'hall'")
        for notice in notices:
            references = tuple(here(r) for r in notice.references)
            _insert(conn, replace(notice, id=here(notice.id), origin="hall", references=references))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def to_json(notice: Notice) -> dict[str, Any]:
    """The plain form used by `kiosk notice list --json` and GET /api/notices."""
    return {
        "id": notice.id,
        "origin": notice.origin,
        "title": notice.title,
        "body": notice.body,
        "level": notice.level,
        "start": _iso(notice.start),
        "effective": _iso(notice.effective),
        "expires": _iso(notice.end),
        "sites": list(notice.sites),
        "closes": list(notice.closes),
        "status": notice.status,
        "msg_type": notice.msg_type,
        "references": list(notice.references),
    }


def from_json(data: dict[str, Any]) -> Notice:
    """Inverse of to_json; ValueError/KeyError/TypeError on anything malformed."""
    level = str(data.get("level") or "general")
    if level not in ("urgent", "important", "general"):
        raise ValueError(f"unknown level {level!r}")
    status = str(data.get("status") or "actual")  # a host from before CAP status: actual
    msg_type = str(data.get("msg_type") or "alert")
    if status not in NOTICE_STATUSES or msg_type not in NOTICE_TYPES:
        raise ValueError(f"unknown status {status!r} or type {msg_type!r}")
    return Notice(
        id=str(data["id"]),
        title=str(data["title"]),
        body=str(data.get("body") or ""),
        level=level,
        start=_time(data.get("start")),
        effective=_time(data.get("effective")),
        end=_time(data.get("expires")),
        sites=tuple(str(s) for s in data.get("sites") or ()),
        closes=tuple(str(s) for s in data.get("closes") or ()),
        origin=str(data.get("origin") or "local"),
        status=status,
        msg_type=msg_type,
        references=tuple(str(r) for r in data.get("references") or ()),
    )
