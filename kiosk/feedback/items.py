"""Ratings and 投诉建议 as stored: anonymous counts for every rating, an item for each 差评.

Every rating becomes one anonymous statistics event (kiosk.stats). A 差评 (不满意 or 非常不满意)
or a complaint also becomes a follow-up item with a due date in working days and a status
(待回访 / 已回访 / 已整改 / 申诉). The only personal datum anywhere is the call-back phone number a
resident chose to give: it lives on its item only, is shown to staff only, and is deleted when
the item leaves 待回访 or when it is older than `[feedback] retention_days`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kiosk import clock, stats, store
from kiosk.errors import KioskError
from kiosk.feedback import texts
from kiosk.feedback.workdays import add_workdays
from kiosk.stats.summary import Followups

if TYPE_CHECKING:
    import sqlite_utils

    from kiosk.config import Settings
    from kiosk.packs.model import Calendar

FEATURE = "feedback"
PHONE = re.compile(r"^1\d{10}$|^0\d{9,11}$")  # a mobile, or a landline with its area code


class FeedbackError(KioskError):
    """A bad level, status, reason or phone number; the message says what is allowed."""


def _create_items(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE feedback_items ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, day TEXT NOT NULL,"
        " kind TEXT NOT NULL, channel TEXT NOT NULL, level INTEGER, service TEXT,"
        " counter TEXT, ticket TEXT, reasons TEXT NOT NULL DEFAULT '', category TEXT,"
        " message TEXT NOT NULL DEFAULT '', phone TEXT, due TEXT NOT NULL,"
        " status TEXT NOT NULL, updated_at TEXT NOT NULL, closed_at TEXT,"
        " note TEXT NOT NULL DEFAULT '')"
    )
    db.execute("CREATE INDEX feedback_items_status ON feedback_items (status, due)")


MIGRATIONS: list[store.Migration] = [_create_items]
COLUMNS = (
    "id",
    "created_at",
    "day",
    "kind",
    "channel",
    "level",
    "service",
    "counter",
    "ticket",
    "reasons",
    "category",
    "message",
    "phone",
    "due",
    "status",
    "updated_at",
    "closed_at",
    "note",
)


@dataclass(frozen=True)
class Item:
    id: int
    created_at: str
    day: str
    kind: str  # rating | complaint
    channel: str  # kiosk | window
    level: int | None
    service: str | None
    counter: str | None
    ticket: str | None
    reasons: str
    category: str | None
    message: str
    phone: str | None
    due: str
    status: str
    updated_at: str
    closed_at: str | None
    note: str

    def overdue(self, today: date) -> bool:
        return self.status == texts.OPEN and date.fromisoformat(self.due) < today

    def as_json(self, with_phone: bool = True) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in COLUMNS}
        if not with_phone:
            data.pop("phone")
        data["level_name"] = texts.LEVELS.get(self.level or 0, "")
        return data


def open_feedback(settings: Settings) -> sqlite_utils.Database:
    db = store.open_db(settings.store.path)
    store.migrate(db, FEATURE, MIGRATIONS)
    return db


def check_level(level: int) -> int:
    if not isinstance(level, int) or level not in texts.LEVELS:
        raise FeedbackError(texts.BAD_LEVEL)
    return level


def check_phone(phone: str | None) -> str | None:
    if phone is None or not phone.strip():
        return None
    digits = re.sub(r"[\s-]", "", phone)
    if not PHONE.match(digits):
        raise FeedbackError("a call-back phone is 11 digits (mobile) or an area code and number")
    return digits


def is_bad(level: int) -> bool:
    return level <= texts.BAD_AT_MOST


def rate(
    settings: Settings,
    level: int,
    *,
    channel: str = "kiosk",
    service: str | None = None,
    counter: str | None = None,
    ticket: str | None = None,
    reasons: tuple[str, ...] = (),
    phone: str | None = None,
    calendar: Calendar | None = None,
) -> Item | None:
    """Keep one rating (committed before returning). A 差评 returns its follow-up item.

    The anonymous count is recorded even for a 差评; the item is what staff work on.
    """
    check_level(level)
    if channel not in texts.CHANNELS:
        raise FeedbackError("channel must be " + " or ".join(texts.CHANNELS))
    unknown = [r for r in reasons if r not in texts.REASONS]
    if unknown:
        raise FeedbackError("reasons must be among " + ", ".join(texts.REASONS))
    phone = check_phone(phone)
    now = clock.now()
    item = None
    if is_bad(level):
        item = _insert(
            settings,
            now,
            kind="rating",
            channel=channel,
            level=level,
            service=service,
            counter=counter,
            ticket=ticket,
            reasons=",".join(reasons),
            phone=phone,
            calendar=calendar,
        )
    kind = stats.RATING if channel == "kiosk" else stats.RATING_WINDOW
    stats.record(settings, kind, subject=service, counter=counter, value=level, at=now)
    return item


def complain(
    settings: Settings,
    category: str,
    message: str = "",
    phone: str | None = None,
    calendar: Calendar | None = None,
) -> Item:
    """Keep one 投诉建议 left on the kiosk as a follow-up item, and count it anonymously."""
    if category not in texts.CATEGORIES:
        raise FeedbackError("category must be one of " + ", ".join(texts.CATEGORIES))
    message = message.strip()[:200]
    phone = check_phone(phone)
    now = clock.now()
    item = _insert(
        settings,
        now,
        kind="complaint",
        channel="kiosk",
        category=category,
        message=message,
        phone=phone,
        calendar=calendar,
    )
    stats.record(settings, stats.COMPLAINT, subject=category, at=now)
    return item


def _insert(settings: Settings, now: datetime, calendar: Calendar | None, **values: Any) -> Item:
    db = open_feedback(settings)
    due = add_workdays(now.date(), settings.feedback.followup_days, calendar)
    stamp = now.isoformat(timespec="seconds")
    row = {
        "created_at": stamp,
        "day": now.date().isoformat(),
        "due": due.isoformat(),
        "status": texts.OPEN,
        "updated_at": stamp,
        **values,
    }
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cursor = db.conn.execute(
        f"INSERT INTO feedback_items ({names}) VALUES ({marks})", tuple(row.values())
    )
    return get(db, int(cursor.lastrowid or 0))


def get(db: sqlite_utils.Database, item_id: int) -> Item:
    cursor = db.conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM feedback_items WHERE id = ?", (item_id,)
    )
    row = cursor.fetchone()
    if row is None:
        raise FeedbackError(f"no feedback item number {item_id}")
    return Item(*row)


def items(
    db: sqlite_utils.Database,
    status: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[Item]:
    """Items, newest first; `status` 'open' means 待回访."""
    query = f"SELECT {', '.join(COLUMNS)} FROM feedback_items WHERE 1=1"
    params: list[Any] = []
    if status:
        query += " AND status = ?"
        params.append(texts.OPEN if status == "open" else status)
    if since:
        query += " AND day >= ?"
        params.append(since.isoformat())
    if until:
        query += " AND day <= ?"
        params.append(until.isoformat())
    return [Item(*row) for row in db.conn.execute(query + " ORDER BY id DESC", params)]


def update(settings: Settings, item_id: int, status: str, note: str | None = None) -> Item:
    """Change an item's status (staff). Leaving 待回访 deletes its call-back phone number."""
    if status not in texts.STATUSES:
        raise FeedbackError("status must be one of " + ", ".join(texts.STATUSES))
    db = open_feedback(settings)
    item = get(db, item_id)
    now = clock.now()
    stamp = now.isoformat(timespec="seconds")
    closing = status != texts.OPEN
    db.conn.execute(
        "UPDATE feedback_items SET status = ?, updated_at = ?, note = ?,"
        " phone = CASE WHEN ? THEN NULL ELSE phone END,"
        " closed_at = CASE WHEN ? THEN COALESCE(closed_at, ?) ELSE NULL END WHERE id = ?",
        (
            status,
            stamp,
            item.note if note is None else note.strip()[:500],
            closing,
            closing,
            stamp,
            item_id,
        ),
    )
    if closing and item.status == texts.OPEN:
        days = (now.date() - date.fromisoformat(item.day)).days
        stats.record(settings, stats.FOLLOWUP, subject=item.kind, value=days, at=now)
    return get(db, item_id)


def purge(settings: Settings, db: sqlite_utils.Database | None = None) -> int:
    """Delete call-back numbers older than the retention period; returns how many."""
    db = db or open_feedback(settings)
    cutoff = (clock.today() - timedelta(days=settings.feedback.retention_days)).isoformat()
    cursor = db.conn.execute(
        "UPDATE feedback_items SET phone = NULL WHERE phone IS NOT NULL AND day < ?", (cutoff,)
    )
    return cursor.rowcount


def quarter_followups(settings: Settings, since: date, until: date) -> Followups:
    """The kiosk's follow-up counts for the 统计表 (registered in kiosk/features.py)."""
    return followup_counts(open_feedback(settings), since, until)


def followup_counts(db: sqlite_utils.Database, since: date, until: date) -> Followups:
    """Items made in [since, until], for the 统计表; overdue as of today."""
    found = items(db, since=since, until=until)
    today = clock.today()
    bad = [i for i in found if i.kind == "rating"]
    return Followups(
        bad_ratings=len(bad),
        bad_ratings_open=sum(1 for i in bad if i.status == texts.OPEN),
        complaints=sum(1 for i in found if i.kind == "complaint"),
        handled=sum(1 for i in found if i.status != texts.OPEN),
        total=len(found),
        overdue=sum(1 for i in found if i.overdue(today)),
    )
