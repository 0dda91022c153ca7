"""`[printer] url` -> which printer, on which wire, with which options.

One URL says everything a technician needs to change when the printer changes:

    usb://0416:5011                 USB vendor:product (hex); ?in_ep=0x81&out_ep=0x03
    serial:///dev/ttyUSB0?baudrate=19200   also bytesize, parity (N/E/O), stopbits,
                                    flow (none, rtscts, xonxoff, dsrdtr)
    network://192.168.1.50:9100     raw TCP (JetDirect); the port defaults to 9100
    file:///dev/usb/lp0             raw ESC/POS bytes appended to a file or device
    image:///srv/tickets/           a PNG per ticket (development, or no printer yet)
    none                            no printer: the number is shown on screen only

A path without a leading "/" (file://var/x.bin, image://var/tickets/) is relative to the
folder of the kiosk.ini that names it. Pure parsing, no imports of printer libraries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

KINDS = ("usb", "serial", "network", "file", "image", "none")
ALLOWED = (
    "usb://VID:PID, serial:///dev/ttyUSB0?baudrate=19200, network://HOST:PORT, "
    "file:///path, image:///folder/ or none"
)
SERIAL_OPTIONS = {"baudrate", "bytesize", "parity", "stopbits", "flow"}
USB_OPTIONS = {"in_ep", "out_ep", "interface"}
FLOWS = ("none", "rtscts", "xonxoff", "dsrdtr")


@dataclass(frozen=True)
class PrinterTarget:
    kind: str  # one of KINDS
    url: str  # as written, for messages and the admin screen
    path: Path | None = None  # serial device, file, image folder
    host: str = ""
    port: int = 0
    vendor: int = 0
    product: int = 0
    options: tuple[tuple[str, str], ...] = ()

    def option(self, name: str, default: str = "") -> str:
        return dict(self.options).get(name, default)

    def describe(self) -> str:
        return self.url


def parse_printer_url(value: str, base: Path) -> PrinterTarget:
    """Parse a printer URL; ValueError says what is wrong."""
    url = value.strip()
    if url.lower() in ("none", "", "none://"):
        return PrinterTarget(kind="none", url="none")
    match = re.fullmatch(r"([a-z]+)://([^?#]*)(?:\?([^#]*))?", url, re.I)
    if not match:
        raise ValueError(ALLOWED)
    kind, rest, query = match[1].lower(), match[2], match[3] or ""
    if kind not in KINDS:
        raise ValueError(ALLOWED)
    options = tuple((k.lower(), v) for k, v in parse_qsl(query, keep_blank_values=True))
    if kind == "usb":
        ids = re.fullmatch(r"(?:0x)?([0-9a-f]{1,4}):(?:0x)?([0-9a-f]{1,4})", rest, re.I)
        if not ids:
            raise ValueError("usb://VID:PID with hexadecimal ids, e.g. usb://0416:5011")
        _known(options, USB_OPTIONS, "usb")
        for name, raw in options:
            _int(raw, name, base=0)
        return PrinterTarget(
            kind, url, vendor=int(ids[1], 16), product=int(ids[2], 16), options=options
        )
    if kind == "network":
        host, _, port_text = rest.rstrip("/").rpartition(":") if ":" in rest else (rest, "", "")
        host = host.strip("[]") or rest.rstrip("/")
        if not host or "/" in host:
            raise ValueError("network://HOST:PORT, e.g. network://192.168.1.50:9100")
        port = _int(port_text, "port") if port_text else 9100
        if not 1 <= port <= 65535:
            raise ValueError("a TCP port from 1 to 65535")
        return PrinterTarget(kind, url, host=host, port=port, options=options)
    if not rest:
        raise ValueError(f"{kind}:// needs a path, e.g. {kind}:///dev/ttyUSB0")
    path = Path(rest) if rest.startswith("/") else (base / rest).resolve()
    if kind == "serial":
        _known(options, SERIAL_OPTIONS, "serial")
        opts = dict(options)
        if "baudrate" in opts and _int(opts["baudrate"], "baudrate") not in _BAUDS:
            raise ValueError("baudrate one of " + ", ".join(str(b) for b in _BAUDS))
        if opts.get("parity", "N").upper() not in ("N", "E", "O"):
            raise ValueError("parity N, E or O")
        if opts.get("flow", "none").lower() not in FLOWS:
            raise ValueError("flow one of " + ", ".join(FLOWS))
        if _int(opts.get("bytesize", "8"), "bytesize") not in (7, 8):
            raise ValueError("bytesize 7 or 8")
        if _int(opts.get("stopbits", "1"), "stopbits") not in (1, 2):
            raise ValueError("stopbits 1 or 2")
    return PrinterTarget(kind, url, path=path, options=options)


_BAUDS = (2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400)


def _known(options: tuple[tuple[str, str], ...], allowed: set[str], kind: str) -> None:
    unknown = [name for name, _ in options if name not in allowed]
    if unknown:
        raise ValueError(f"{kind} options are " + ", ".join(sorted(allowed)))


def _int(raw: str, name: str, base: int = 10) -> int:
    try:
        return int(raw, base)
    except ValueError:
        raise ValueError(f"{name} must be a number") from None
