"""Help calls to the hall server, and the local record staff see on the admin screen."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from kiosk import clock

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
    data = json.dumps(caller.body(), ensure_ascii=False).encode("utf-8")
    return _send("POST", urllib.parse.urljoin(base_url, "api/help"), data, timeout)


def cancel_help(base_url: str, kiosk: str, timeout: float = TIMEOUT) -> Outcome:
    """DELETE /api/help/<kiosk>; never raises."""
    url = urllib.parse.urljoin(base_url, "api/help/" + urllib.parse.quote(kiosk))
    return _send("DELETE", url, None, timeout)


def _send(method: str, url: str, data: bytes | None, timeout: float) -> Outcome:
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json; charset=utf-8")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read(65536)
            return Outcome(sent=200 <= response.status < 300)
    except urllib.error.HTTPError as exc:
        return Outcome(sent=False, error=f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Outcome(sent=False, error=str(reason))


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
