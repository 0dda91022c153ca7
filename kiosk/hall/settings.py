"""kiosk.ini `[hall]`: the hall queue server and how kiosks reach it (registered in
kiosk/features.py; parsed by kiosk.config like every section)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import BadValue, boolean, integer, number, setting, text, url


def bind_address(value: str, base: Path) -> str:
    value = value.strip()
    if not re.fullmatch(r"[A-Za-z0-9.:-]{1,253}", value):
        raise BadValue("an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0 (every network)")
    return value


def counters(value: str, base: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """'1: reception; 3: legal-aid, notary' -> (("1", ("reception",)), ("3", (...)))."""
    result: list[tuple[str, tuple[str, ...]]] = []
    allowed = (
        "empty (one counter per window of the site), or 'N: window-or-service, ...; N: ...'"
        " with N a counter number of 1-4 letters or digits"
    )
    for part in value.split(";"):
        if not part.strip():
            continue
        counter, colon, names = part.partition(":")
        counter = counter.strip()
        items = tuple(item.strip() for item in names.split(",") if item.strip())
        if not colon or not re.fullmatch(r"[A-Za-z0-9]{1,4}", counter) or not items:
            raise BadValue(allowed)
        if any(not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", item) for item in items):
            raise BadValue(allowed)
        if any(existing == counter for existing, _ in result):
            raise BadValue(allowed + f" (counter {counter} appears twice)")
        result.append((counter, items))
    return tuple(result)


@dataclass(frozen=True)
class HallSection:
    url: str = setting("", url, "empty, or the http(s) address of the hall server")
    host: bool = setting("no", boolean, "yes or no")
    bind: str = setting("127.0.0.1", bind_address, "an IP address or host name")
    port: int = setting("8470", integer(0, 65535), "0 to 65535 (0: any free port)")
    counters: tuple[tuple[str, tuple[str, ...]], ...] = setting(
        "", counters, "empty, or 'N: window-or-service, ...; N: ...'"
    )
    normal_between_priority: int = setting("0", integer(0, 50), "0 to 50")
    recalls_before_no_show: int = setting("1", integer(0, 10), "0 to 10")
    call_repeats: int = setting("2", integer(0, 5), "0 to 5")
    player: str = setting("aplay -q", text, "empty (silent), or a command that plays a WAV file")
    key: str = setting("", text, "empty, or the dispenser key from `kiosk hall counter-key`")
    retry_seconds: int = setting("10", integer(1, 3600), "1 to 3600 seconds")
    timeout: float = setting("2", number(0.2, 60), "0.2 to 60 seconds")
