"""What goes into the outbox: statistics batches and the heartbeat.

Statistics come from `kiosk.stats` (the events table): the events after the uploader's cursor
are grouped by day and site, one batch each, and the cursor moves in the same transaction.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from pathlib import Path
from typing import Any

from kiosk import __version__, clock
from kiosk.config import Settings
from kiosk.upload.outbox import COMPLAINT, HEARTBEAT, STATS, Outbox, heartbeat_name

BATCH_LIMIT = 5000  # events per read; a backlog becomes several batches
STARTED = time.monotonic()  # the program's start, for the heartbeat's uptime


def _stats() -> Any:
    """The statistics module, when it is installed (it is built by another feature)."""
    try:
        from kiosk import stats
    except ImportError:
        return None
    return stats if hasattr(stats, "events_after") else None


def collect_stats(outbox: Outbox, kiosk: str) -> int:
    """Move every new statistics event into batches; returns the number of batches made."""
    stats = _stats()
    if stats is None:
        return 0
    stats.ensure(outbox.conn)  # migrations run outside our transaction
    made = 0
    while True:
        with outbox.transaction():
            cursor = outbox.get_int("cursor.stats")
            events = stats.events_after(outbox.conn, cursor, BATCH_LIMIT)
            groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for event in events:
                groups.setdefault((event["day"], event["site"]), []).append(event)
            for (day, site), rows in sorted(groups.items()):
                outbox.add_batch(STATS, day, site, rows[0].get("kiosk") or kiosk, rows)
            if events:
                outbox.set("cursor.stats", events[-1]["id"])
        made += len(groups)
        if len(events) < BATCH_LIMIT:
            return made


# What leaves the kiosk of a 差评/complaint item: never the call-back phone number or the
# ticket number (which could lead back to a person), only the item and its handling.
COMPLAINT_FIELDS = (
    "id", "created_at", "day", "kind", "channel", "level", "service", "counter", "reasons",
    "category", "message", "due", "status",
)  # fmt: skip


def collect_complaints(outbox: Outbox, settings: Settings, kiosk: str) -> int:
    """差评/complaint items, when the centre enables them ([upload] complaints = yes).

    Each item is sent once, when it is made (the batch is immutable); how it was followed up
    reaches the district as `followup` statistics events.
    """
    if not settings.upload.complaints:
        return 0
    from kiosk import store
    from kiosk.feedback import items

    store.migrate(outbox.db, items.FEATURE, items.MIGRATIONS)
    columns = ", ".join(COMPLAINT_FIELDS)
    made = 0
    with outbox.transaction():
        cursor = outbox.get_int("cursor.complaint")
        found = [
            dict(zip(COMPLAINT_FIELDS, row, strict=True))
            for row in outbox.conn.execute(
                f"SELECT {columns} FROM feedback_items WHERE id > ? ORDER BY id LIMIT ?",
                (cursor, BATCH_LIMIT),
            )
        ]
        groups: dict[str, list[dict[str, Any]]] = {}
        for item in found:
            groups.setdefault(item["day"], []).append(
                {**item, "site": settings.kiosk.site, "kiosk": kiosk}
            )
        for day, rows in sorted(groups.items()):
            outbox.add_batch(COMPLAINT, day, settings.kiosk.site, kiosk, rows)
            made += 1
        if found:
            outbox.set("cursor.complaint", found[-1]["id"])
    return made


def heartbeat(settings: Settings, outbox: Outbox, kiosk: str) -> dict[str, Any]:
    """The kiosk's latest state, as the district's `fleet status` reads it."""
    from kiosk.sync import status as sync_status

    sync: dict[str, Any] = {"state": "unknown"}
    with contextlib.suppress(Exception):  # a heartbeat must go out even if a part fails
        found = sync_status.report(settings, with_disk=False)
        sync = {
            "state": found.state,
            "active": found.active,
            "server_version": found.server_version,
            "last_success": _iso(found.last_success),
            "last_error": found.last_error,
        }
    pending, oldest = outbox.pending()
    free = None
    with contextlib.suppress(OSError):
        folder = Path(settings.kiosk.data_dir)
        free = shutil.disk_usage(folder if folder.exists() else folder.parent).free
    return {
        "kiosk": kiosk,
        "site": settings.kiosk.site,
        "time": clock.now().isoformat(timespec="seconds"),
        "program": __version__,
        "pack": sync.get("active"),
        "sync": sync,
        "printer": printer_state(settings, outbox),
        "disk_free": free,
        "uptime": round(time.monotonic() - STARTED),
        "upload": {
            "pending": pending,
            "oldest": oldest,
            "dropped": outbox.get_int("dropped"),
            "last_error": outbox.get("last_error"),
        },
        "last_error": outbox.get("last_error") or sync.get("last_error"),
        "interval": settings.upload.heartbeat,
    }


def queue_heartbeat(settings: Settings, outbox: Outbox, kiosk: str) -> None:
    body = json.dumps(heartbeat(settings, outbox, kiosk), ensure_ascii=False).encode("utf-8")
    with outbox.transaction():
        outbox.put_latest(heartbeat_name(settings.kiosk.site, kiosk), HEARTBEAT, body)


def printer_state(settings: Settings, outbox: Outbox) -> dict[str, Any]:
    """The configured printer and the outcome of its last print (from the ticket ledger)."""
    state: dict[str, Any] = {"url": str(getattr(settings.printer.url, "kind", "")) or None}
    try:
        row = outbox.conn.execute(
            "SELECT at, ok, error FROM ticket_prints ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except Exception:  # no tickets table on this kiosk
        row = None
    if row is None:
        state["state"] = "unknown"
    else:
        state.update(state="ok" if row[1] else "failed", at=row[0], error=row[2] or None)
    return state


def _iso(moment: Any) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
