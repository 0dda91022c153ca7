"""The one place the kiosk reads the time.

Opening hours, rosters, ticket days and notices are in the site's local time, never the
machine's zone. Tests freeze the clock with `freeze()`; subprocesses (CLI tests) can freeze
it with the environment variable KIOSK_NOW (ISO 8601, local time of the site if naive).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Shanghai"

_tz: ZoneInfo = ZoneInfo(DEFAULT_TZ)
_frozen: datetime | None = None
_offset = timedelta(0)


def set_timezone(name: str | ZoneInfo) -> None:
    """Use the site's zone (from kiosk.ini) for every local time from now on."""
    global _tz
    _tz = name if isinstance(name, ZoneInfo) else ZoneInfo(name)


def timezone() -> ZoneInfo:
    return _tz


def _from_env() -> datetime | None:
    raw = os.environ.get("KIOSK_NOW")
    if not raw:
        return None
    value = datetime.fromisoformat(raw)
    return value if value.tzinfo else value.replace(tzinfo=_tz)


def now() -> datetime:
    """Aware local datetime in the site's zone."""
    base = _frozen or _from_env()
    if base is not None:
        return (base + _offset).astimezone(_tz)
    return datetime.now(_tz)


def today() -> date:
    return now().date()


def monotonic() -> float:
    """For measuring intervals (idle timers, lockouts within one run); never for dates."""
    return time.monotonic() + _offset.total_seconds()


@contextmanager
def freeze(at: datetime | str) -> Iterator[FrozenClock]:
    """Freeze `now()` at `at` (naive means site-local) for the duration of the block."""
    global _frozen, _offset
    value = datetime.fromisoformat(at) if isinstance(at, str) else at
    if value.tzinfo is None:
        value = value.replace(tzinfo=_tz)
    saved = (_frozen, _offset)
    _frozen, _offset = value, timedelta(0)
    try:
        yield FrozenClock()
    finally:
        _frozen, _offset = saved


class FrozenClock:
    """Handle returned by `freeze()` to move the frozen time forward."""

    def advance(self, **delta: float) -> datetime:
        global _offset
        _offset += timedelta(**delta)
        return now()
