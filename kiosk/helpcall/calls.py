"""Help calls to the hall server, and the local record staff see on the admin screen."""

from __future__ import annotations

import threading
import urllib.parse
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from kiosk import clock
from kiosk.hall import client as hall_client

TIMEOUT = 5.0  # seconds; a help call that cannot get through falls back to the local chime


@dataclass(frozen=True)
class Caller:
    """Who is calling: what the hall's counter page shows as "1号机需要帮助"."""

    kiosk: str
    label: str
    site: str
    place: str

    def body(self) -> dict[str, str]:
        return {"kiosk": self.kiosk, "label": self.label, "site": self.site, "place": self.place}


@dataclass(frozen=True)
class Outcome:
    sent: bool  # the hall server has it (staff see it on the counter pages)
    error: str = ""  # why it did not get through (for the admin screen)


def post_help(base_url: str, caller: Caller, timeout: float = TIMEOUT) -> Outcome:
    """POST /api/help; never raises (a resident must never see a traceback)."""
    sent = hall_client.send(base_url, "POST", "api/help", caller.body(), timeout)
    return Outcome(sent=sent.ok, error=sent.error)


def cancel_help(base_url: str, kiosk: str, timeout: float = TIMEOUT) -> Outcome:
    """DELETE /api/help/<kiosk>; never raises."""
    sent = hall_client.send(
        base_url, "DELETE", "api/help/" + urllib.parse.quote(kiosk), None, timeout
    )
    return Outcome(sent=sent.ok, error=sent.error)


class HelpLog:
    """The last help calls of this kiosk, for the admin screen (times only, nobody's data)."""

    def __init__(self, size: int = 10) -> None:
        self._entries: deque[tuple[datetime, str]] = deque(maxlen=size)
        self._lock = threading.Lock()

    def add(self, what: str) -> None:
        with self._lock:
            self._entries.append((clock.now(), what))

    def entries(self) -> list[tuple[datetime, str]]:
        with self._lock:
            return list(reversed(self._entries))
