"""Printing an image through python-escpos, and asking the printer how it is.

The job is built once with escpos' Dummy printer: ESC @, the image as raster (GS v 0), then a
cut; it then goes over USB, serial, TCP or into a file. Everything that can hang has a timeout
(escpos' own Network default is 60 s). A print counts as done only when every byte has left
this machine: for TCP, when the printer has acknowledged all data (Linux TIOCOUTQ reaches 0).

Status uses the real-time DLE EOT queries. A missing, late or malformed answer is "unknown",
never "ok" (escpos' paper_status() calls an empty answer "adequate"). Failures raise
PrinterError with a short Chinese reason for staff and the technical detail for logs.
"""

from __future__ import annotations

import contextlib
import copy
import os
import socket
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.errors import KioskError
from kiosk.tickets import texts
from kiosk.tickets.urls import PrinterTarget

if TYPE_CHECKING:
    from PIL import Image

    from kiosk.tickets.settings import PrinterSection

DLE_EOT = b"\x10\x04"
BLOCKING_STATES = ("paper_out", "cover_open", "offline")


class PrinterError(KioskError):
    """The job did not reach the printer. str() is the Chinese reason."""

    def __init__(self, reason: str, detail: str = "", state: str = "error") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
        self.state = state

    def describe(self) -> str:
        return f"{self.reason}（{self.detail}）" if self.detail else self.reason


@dataclass(frozen=True)
class PrinterStatus:
    state: str  # ok paper_near_end paper_out cover_open offline unreachable unknown none error
    detail: str = ""

    @property
    def label(self) -> str:
        return texts.PRINTER_STATES.get(self.state, self.state)

    @property
    def blocks_printing(self) -> bool:
        """Known not to print now: don't send (it would come out later, unexpected)."""
        return self.state in BLOCKING_STATES

    @property
    def can_print(self) -> bool:
        """Worth offering printed tickets (unknown: we try, and record what happens)."""
        return self.state in ("ok", "paper_near_end", "unknown")

    @property
    def warn(self) -> bool:
        return self.state != "ok"

    def as_json(self) -> dict[str, Any]:
        return {"state": self.state, "label": self.label, "detail": self.detail}


@dataclass(frozen=True)
class PrintReport:
    bytes_sent: int = 0
    path: Path | None = None  # the PNG or file written, when there is one


# --- status bytes ----------------------------------------------------------------------------


def status_byte(reply: bytes | None) -> int | None:
    """The first well-formed status byte (bits 0,1,4,7 = 0,1,1,0), else None."""
    if not reply:
        return None
    for value in reply:
        if value & 0x93 == 0x12:
            return value
    return None


def interpret(online: int | None, offline_cause: int | None, paper: int | None) -> PrinterStatus:
    """Combine DLE EOT 1, 2 and 4 answers into one state."""
    if online is None:
        return PrinterStatus("unknown", "no answer to DLE EOT 1")
    if online & 0x08:
        if offline_cause is not None and offline_cause & 0x04:
            return PrinterStatus("cover_open")
        if offline_cause is not None and offline_cause & 0x20:
            return PrinterStatus("paper_out")
        if paper is not None and paper & 0x60:
            return PrinterStatus("paper_out")
        return PrinterStatus("offline")
    if paper is None:
        return PrinterStatus("unknown", "no answer to DLE EOT 4 (paper sensor)")
    if paper & 0x60 == 0x60:
        return PrinterStatus("paper_out")
    if paper & 0x0C == 0x0C:
        return PrinterStatus("paper_near_end")
    return PrinterStatus("ok")


# --- the job -------------------------------------------------------------------------------


def escpos_profile(name: str, width: int, cut: str) -> Any:
    """A private copy of an escpos profile with our paper width (escpos print()s a warning
    to stdout when the width is unknown) and a cutter when we were told there is one."""
    from escpos import capabilities

    try:
        base = capabilities.get_profile_class(name or "default")
    except KeyError:
        raise KioskError(
            f"[printer] profile = {name!r} is not a python-escpos profile; leave it empty"
            " for a generic ESC/POS printer"
        ) from None
    data = copy.deepcopy(base.profile_data)
    data.setdefault("media", {}).setdefault("width", {})["pixels"] = width
    features = data.setdefault("features", {})
    features["bitImageRaster"] = True
    if cut == "full":
        features["paperFullCut"] = True
    elif cut == "partial":
        features["paperPartCut"] = True
    profile = capabilities.Profile()
    profile.profile_data = data
    profile.features = features
    return profile


def build_job(image: Image.Image, settings: PrinterSection) -> bytes:
    """ESC @, the image as GS v 0 raster, feed and cut; repeated for each copy."""
    from escpos.printer import Dummy

    printer = Dummy(profile=escpos_profile(settings.profile, settings.paper, settings.cut))
    printer.hw("INIT")
    printer.image(image, impl="bitImageRaster", center=False)
    if settings.cut == "none":
        printer.print_and_feed(6)
    else:
        printer.cut(mode="PART" if settings.cut == "partial" else "FULL")
    return printer.output * settings.copies


# --- printers ------------------------------------------------------------------------------


class Printer:
    """What the ticket desk needs from any printer."""

    can_report = False

    def __init__(self, target: PrinterTarget, settings: PrinterSection) -> None:
        self.target = target
        self.settings = settings

    @property
    def width(self) -> int:
        return self.settings.paper

    def print_image(self, image: Image.Image, name: str) -> PrintReport:
        raise NotImplementedError

    def status(self) -> PrinterStatus:
        return PrinterStatus("unknown", "this printer cannot report its status")


class NoPrinter(Printer):
    def print_image(self, image: Image.Image, name: str) -> PrintReport:
        raise PrinterError(texts.PRINT_NO_PRINTER, state="none")

    def status(self) -> PrinterStatus:
        return PrinterStatus("none")


class ImagePrinter(Printer):
    """Development printer: a PNG per ticket, written atomically."""

    can_report = True

    def print_image(self, image: Image.Image, name: str) -> PrintReport:
        folder = self.target.path
        assert folder is not None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            final = folder / f"{name}.png"
            partial = folder / f".{name}.png.part"
            image.save(partial, format="PNG")
            os.replace(partial, final)
        except OSError as exc:
            raise PrinterError(texts.PRINT_FAILED, f"{folder}: {exc.strerror}") from None
        return PrintReport(path=final)

    def status(self) -> PrinterStatus:
        folder = self.target.path
        assert folder is not None
        existing = next((p for p in [folder, *folder.parents] if p.exists()), None)
        if existing is None or not os.access(existing, os.W_OK):
            return PrinterStatus("error", f"{folder} is not writable")
        return PrinterStatus("ok", str(folder))


class FilePrinter(Printer):
    """Raw ESC/POS bytes appended to a file, or written to a device such as /dev/usb/lp0."""

    def print_image(self, image: Image.Image, name: str) -> PrintReport:
        job = build_job(image, self.settings)
        path = self.target.path
        assert path is not None
        is_device = path.exists() and not stat.S_ISREG(path.stat().st_mode)

        def write() -> None:
            with open(path, "ab") as handle:
                handle.write(job)
                handle.flush()
                if not is_device:
                    os.fsync(handle.fileno())

        try:
            if is_device:
                _with_timeout(write, self.settings.timeout)
            else:
                write()
        except TimeoutError:
            raise PrinterError(texts.PRINT_TIMEOUT, f"{path}: write timed out") from None
        except OSError as exc:
            raise PrinterError(texts.PRINT_FAILED, f"{path}: {exc.strerror}") from None
        return PrintReport(bytes_sent=len(job), path=path)

    def status(self) -> PrinterStatus:
        path = self.target.path
        assert path is not None
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):
            return PrinterStatus("unknown", f"{path} is a device; it cannot report paper")
        folder = path.parent
        if not (path.exists() and os.access(path, os.W_OK)) and not os.access(folder, os.W_OK):
            return PrinterStatus("error", f"{path} is not writable")
        return PrinterStatus("ok", str(path))


def _with_timeout(work: Any, seconds: float) -> None:
    """Run blocking device I/O in a helper thread; give up waiting after `seconds`."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the caller below
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True, name="printer-write")
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeoutError
    if errors:
        raise errors[0]


class EscposPrinter(Printer):
    """USB, serial and network printers, through python-escpos' device classes."""

    can_report = True

    def _device(self) -> Any:
        raise NotImplementedError

    def _set_read_timeout(self, device: Any, seconds: float) -> None:
        raise NotImplementedError

    def _finish(self, device: Any, deadline: float) -> None:
        """Wait until every byte has left this machine, then close."""
        device.close()

    def _ask(self, device: Any, query: int) -> int | None:
        device._raw(DLE_EOT + bytes([query]))
        try:
            reply = device._read()
        except (TimeoutError, OSError) as exc:
            if _is_timeout(exc):
                return None
            raise
        except Exception as exc:  # pyusb's USBTimeoutError is not an OSError
            if "timeout" in type(exc).__name__.lower():
                return None
            raise
        return status_byte(reply)

    def _query(self, device: Any) -> PrinterStatus:
        self._set_read_timeout(device, self.settings.status_timeout)
        online = self._ask(device, 1)
        if online is None:
            return interpret(None, None, None)
        cause = self._ask(device, 2) if online & 0x08 else None
        paper = self._ask(device, 4)
        return interpret(online, cause, paper)

    def _open(self) -> Any:
        from escpos.exceptions import DeviceNotFoundError

        device = self._device()
        try:
            device.open()
        except DeviceNotFoundError as exc:
            raise PrinterError(
                texts.PRINT_UNREACHABLE, _first_line(exc), state="unreachable"
            ) from None
        except Exception as exc:  # e.g. pyusb: "No backend available"
            raise PrinterError(
                texts.PRINT_UNREACHABLE, f"{type(exc).__name__}: {exc}", state="unreachable"
            ) from None
        return device

    def status(self) -> PrinterStatus:
        if not self.settings.status:
            return PrinterStatus("unknown", "status queries are switched off ([printer] status)")
        try:
            device = self._open()
        except PrinterError as exc:
            return PrinterStatus(exc.state, exc.detail)
        try:
            return self._query(device)
        except Exception as exc:
            return PrinterStatus("error", f"{type(exc).__name__}: {exc}")
        finally:
            _close_quietly(device)

    def print_image(self, image: Image.Image, name: str) -> PrintReport:
        job = build_job(image, self.settings)
        device = self._open()
        started = time.monotonic()
        try:
            if self.settings.status:
                state = self._query(device)
                if state.blocks_printing:
                    raise PrinterError(state.label, state.detail, state=state.state)
            self._prepare_write(device, len(job))
            device._raw(job)
            self._finish(device, started + self._write_budget(len(job)))
        except PrinterError:
            _close_quietly(device)
            raise
        except Exception as exc:
            _close_quietly(device)
            if _is_timeout(exc) or "timeout" in type(exc).__name__.lower():
                raise PrinterError(texts.PRINT_TIMEOUT, _first_line(exc), state="error") from None
            raise PrinterError(
                texts.PRINT_FAILED, f"{type(exc).__name__}: {_first_line(exc)}"
            ) from None
        return PrintReport(bytes_sent=len(job))

    def _write_budget(self, size: int) -> float:
        return self.settings.timeout

    def _prepare_write(self, device: Any, size: int) -> None:
        """Set the write timeout for a job of `size` bytes."""


class NetworkPrinter(EscposPrinter):
    def _device(self) -> Any:
        from escpos.printer import Network

        return Network(
            host=self.target.host,
            port=self.target.port,
            timeout=self.settings.timeout,
            profile=escpos_profile(self.settings.profile, self.settings.paper, self.settings.cut),
        )

    def _set_read_timeout(self, device: Any, seconds: float) -> None:
        device.device.settimeout(seconds)

    def _prepare_write(self, device: Any, size: int) -> None:
        device.device.settimeout(self.settings.timeout)

    def _finish(self, device: Any, deadline: float) -> None:
        """Half-close, then wait until the printer has acknowledged every byte.

        Closing with unread input makes Linux send RST, which can drop data still queued; so
        read whatever the printer says while waiting, and close only once the queue is empty.
        """
        sock: socket.socket = device.device
        sock.shutdown(socket.SHUT_WR)
        while True:
            unsent = _unacknowledged(sock)
            if unsent == 0:
                break
            if time.monotonic() >= deadline:
                _close_quietly(device)
                raise PrinterError(
                    texts.PRINT_TIMEOUT, f"{unsent} bytes not taken by the printer", state="error"
                )
            if unsent is None:  # no TIOCOUTQ on this system: best effort
                break
            sock.settimeout(0.005)
            try:
                if sock.recv(256) == b"":
                    time.sleep(0.005)  # the printer closed its side; our queue must still drain
            except (TimeoutError, BlockingIOError):
                pass
            except OSError as exc:
                _close_quietly(device)
                raise PrinterError(
                    texts.PRINT_FAILED, f"connection lost: {exc}", state="error"
                ) from None
        _close_quietly(device)


class SerialPrinter(EscposPrinter):
    def _device(self) -> Any:
        import serial
        from escpos.printer import Serial

        target = self.target
        flow = target.option("flow", "none").lower()
        device = Serial(
            devfile=str(target.path),
            baudrate=int(target.option("baudrate", "9600")),
            bytesize=int(target.option("bytesize", "8")),
            parity={"N": serial.PARITY_NONE, "E": serial.PARITY_EVEN, "O": serial.PARITY_ODD}[
                target.option("parity", "N").upper()
            ],
            stopbits=int(target.option("stopbits", "1")),
            timeout=self.settings.status_timeout,
            xonxoff=flow == "xonxoff",
            dsrdtr=flow == "dsrdtr",
            profile=escpos_profile(self.settings.profile, self.settings.paper, self.settings.cut),
        )
        device.rtscts_wanted = flow == "rtscts"
        return device

    def _open(self) -> Any:
        device = super()._open()
        if getattr(device, "rtscts_wanted", False):
            device.device.rtscts = True
        return device

    def _set_read_timeout(self, device: Any, seconds: float) -> None:
        device.device.timeout = seconds

    def _write_budget(self, size: int) -> float:
        # 10 bits per byte on the wire; a 40 KB ticket takes 21 s at 19200 baud.
        baud = int(self.target.option("baudrate", "9600"))
        return size * 10 / baud * 1.5 + self.settings.timeout

    def _prepare_write(self, device: Any, size: int) -> None:
        device.device.write_timeout = self._write_budget(size)

    def _finish(self, device: Any, deadline: float) -> None:
        port = device.device
        while port.out_waiting and time.monotonic() < deadline:
            time.sleep(0.01)
        if port.out_waiting:
            _close_quietly(device)
            raise PrinterError(
                texts.PRINT_TIMEOUT, f"{port.out_waiting} bytes not sent", state="error"
            )
        _close_quietly(device)


class UsbPrinter(EscposPrinter):
    def _device(self) -> Any:
        from escpos.printer import Usb

        options = {
            name: int(self.target.option(name), 0)
            for name in ("in_ep", "out_ep", "interface")
            if self.target.option(name)
        }
        return Usb(
            idVendor=self.target.vendor,
            idProduct=self.target.product,
            timeout=int(self.settings.timeout * 1000),
            profile=escpos_profile(self.settings.profile, self.settings.paper, self.settings.cut),
            **options,
        )

    def _set_read_timeout(self, device: Any, seconds: float) -> None:
        milliseconds = max(1, int(seconds * 1000))
        device._read = lambda: device.device.read(device.in_ep, 16, milliseconds)


def _unacknowledged(sock: socket.socket) -> int | None:
    """Bytes sent but not yet acknowledged by the peer (Linux); None where unknown."""
    try:
        import fcntl
        import struct
        import termios

        raw = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, struct.pack("i", 0))
        return int(struct.unpack("i", raw)[0])
    except (ImportError, OSError, AttributeError):
        return None


def _is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, TimeoutError | socket.timeout)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return " ".join(line.strip() for line in text if line.strip())[:200] or type(exc).__name__


def _close_quietly(device: Any) -> None:
    """Close without raising. A network socket is closed directly: escpos' close() would
    shut down both directions first, which is pointless once every byte is acknowledged."""
    with contextlib.suppress(Exception):
        handle = getattr(device, "_device", None)
        if isinstance(handle, socket.socket):
            handle.close()
            device._device = False
            return
        device.close()


PRINTERS: dict[str, type[Printer]] = {
    "none": NoPrinter,
    "image": ImagePrinter,
    "file": FilePrinter,
    "network": NetworkPrinter,
    "serial": SerialPrinter,
    "usb": UsbPrinter,
}


def open_printer(settings: PrinterSection) -> Printer:
    """The configured printer (no connection is made until it prints or is asked)."""
    return PRINTERS[settings.url.kind](settings.url, settings)
