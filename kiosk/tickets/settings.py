"""kiosk.ini `[printer]` and `[tickets]`: the ticket feature's settings (registered in
kiosk/features.py; parsed by kiosk.config like every section)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import BadValue, boolean, choice, integer, number, setting, text
from kiosk.tickets.urls import ALLOWED as PRINTER_URLS
from kiosk.tickets.urls import PrinterTarget, parse_printer_url


def printer_url(value: str, base: Path) -> PrinterTarget:
    try:
        return parse_printer_url(value, base)
    except ValueError as exc:
        raise BadValue(str(exc)) from None


def paper_width(value: str, base: Path) -> int:
    """Paper width in mm -> printable dots at 203 dpi (58 mm: 384, 80 mm: 576)."""
    widths = {"58": 384, "58mm": 384, "80": 576, "80mm": 576}
    key = value.strip().lower().replace(" ", "")
    if key not in widths:
        raise BadValue("58mm or 80mm")
    return widths[key]


def number_block(value: str, base: Path) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{1,5})\s*-\s*(\d{1,5})\s*", value)
    if not match or not 1 <= int(match[1]) <= int(match[2]) <= 99999:
        raise BadValue("FIRST-LAST with 1 <= FIRST <= LAST <= 99999, e.g. 1-499")
    return int(match[1]), int(match[2])


def device_prefix(value: str, base: Path) -> str:
    value = value.strip().upper()
    if value and not re.fullmatch(r"[A-Z0-9]{1,2}", value):
        raise BadValue("empty, or one or two letters or digits")
    return value


@dataclass(frozen=True)
class PrinterSection:
    url: PrinterTarget = setting("image://var/tickets/", printer_url, PRINTER_URLS)
    paper: int = setting("80mm", paper_width, "58mm or 80mm")
    profile: str = setting("", text, "empty, or a python-escpos printer profile name")
    cut: str = setting("full", choice("full", "partial", "none"), "full, partial or none")
    copies: int = setting("1", integer(1, 3), "1 to 3")
    timeout: float = setting("5", number(0.5, 120), "0.5 to 120 seconds")
    status: bool = setting("yes", boolean, "yes or no")
    status_timeout: float = setting("1", number(0.1, 10), "0.1 to 10 seconds")


@dataclass(frozen=True)
class TicketsSection:
    number_block: tuple[int, int] = setting("1-999", number_block, "FIRST-LAST, e.g. 1-499")
    device_prefix: str = setting("", device_prefix, "empty, or one or two letters or digits")
    wait_minutes: int = setting("120", integer(5, 1440), "5 to 1440 minutes")
    stop_before_close: int = setting("0", integer(0, 240), "0 to 240 minutes")
    show_seconds: int = setting("20", integer(5, 600), "5 to 600 seconds")
    failure_show_seconds: int = setting("90", integer(10, 600), "10 to 600 seconds")
