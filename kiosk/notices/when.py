"""The times staff type for a notice: '18:00' (today), '2026-02-10 18:00', '2026-02-10'
(the end of that day for an end time), or '+2h' / '+30m' from now."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from kiosk.errors import KioskError


def parse(value: str, now: datetime, end: bool = False) -> datetime:
    """-> naive local datetime; KioskError with an example when the text is not a time."""
    text = value.strip().replace("：", ":").replace("/", "-")
    relative = re.fullmatch(r"\+(\d{1,4})\s*([hm])", text.lower())
    base = now.replace(tzinfo=None, second=0, microsecond=0)
    if relative:
        amount = int(relative[1])
        delta = timedelta(hours=amount) if relative[2] == "h" else timedelta(minutes=amount)
        return base + delta
    clock_only = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    try:
        if clock_only:
            return datetime.combine(base.date(), time(int(clock_only[1]), int(clock_only[2])))
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            day = datetime.strptime(text, "%Y-%m-%d")
            return day + timedelta(days=1) if end else day
        match = re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2})[ T](\d{1,2}:\d{2})", text)
        if match:
            return datetime.strptime(f"{match[1]} {match[2]}", "%Y-%m-%d %H:%M")
    except ValueError:
        pass
    raise KioskError(
        f"{value!r} is not a time; write 18:00 (today), '2026-02-10 18:00', 2026-02-10 or +2h"
    )
