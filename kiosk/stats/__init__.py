"""Anonymous statistics: one SQLite table of events, one row per thing that happened.

Why one table of plain events: the centre's quarterly 统计表, the district's fleet report and the
uploader all read the same rows, and a new count never needs a new table. Rows hold counts and
times only — no query text, no answers, no ticket number, nothing that leads back to a person
(PIPL art. 73 anonymisation).

The contract every feature uses::

    from kiosk import stats
    stats.record(settings, stats.TICKET_ISSUED, subject="A")        # -> True when stored
    stats.record(db, stats.RATING, subject="legal-aid", value=5, site="s", kiosk="k-…")

``record(where, kind, subject=None, counter=None, value=None, *, site=None, kiosk=None,
at=None) -> bool``

- ``where``: the kiosk's ``Settings`` (site from ``[kiosk] site``, kiosk from
  ``kiosk.identity.kiosk_id``, the table in ``[store] path``; the connection is kept open per
  database file and shared by all threads), or an open ``sqlite_utils.Database`` /
  ``sqlite3.Connection`` (then pass ``site=`` and ``kiosk=``).
- ``kind``: what happened (constants below; a feature may add its own short lowercase word).
- ``subject``: feature / search kind / service id / outcome / category ... or None.
- ``counter``: the window ("3") or None. ``value``: seconds or a number, or None.
- ``at``: the moment (default ``kiosk.clock.now()``); stored as local ISO time plus its day.
- It never raises: a failed write is logged and returns False, so a resident never sees it.

``record_soon(...)`` takes the same arguments and writes from a background thread: the UI
thread uses it so that a tap never waits for a disk flush.

``events_after(where, last_id, limit=1000) -> list[dict]`` gives the rows with id > last_id in
id order, each a dict with exactly the table's columns — one uploaded JSONL line per dict.

Columns: id (autoincrement), at, day (YYYY-MM-DD), site, kiosk, kind, subject, counter, value.
"""

from __future__ import annotations

from kiosk.stats.events import (
    COMPLAINT,
    ELIGIBILITY,
    FEATURE,
    FIELDS,
    FOLLOWUP,
    KINDS,
    PRINTER_FAULT,
    RATING,
    RATING_WINDOW,
    SEARCH,
    START,
    TICKET_CALLED,
    TICKET_ISSUED,
    TICKET_NO_SHOW,
    TICKET_SERVED,
    UPTIME,
    VISIT,
    ensure,
    events_after,
    flush,
    record,
    record_soon,
)

__all__ = [
    "COMPLAINT",
    "ELIGIBILITY",
    "FEATURE",
    "FIELDS",
    "FOLLOWUP",
    "KINDS",
    "PRINTER_FAULT",
    "RATING",
    "RATING_WINDOW",
    "SEARCH",
    "START",
    "TICKET_CALLED",
    "TICKET_ISSUED",
    "TICKET_NO_SHOW",
    "TICKET_SERVED",
    "UPTIME",
    "VISIT",
    "ensure",
    "events_after",
    "flush",
    "record",
    "record_soon",
]
