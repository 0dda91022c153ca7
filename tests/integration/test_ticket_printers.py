"""Real bytes into real sockets, pseudo-terminals and files; the raster decoded back.

The network printer is a TCP server on loopback that parses ESC/POS like a printer and
answers DLE EOT status queries (tests/tickets/fakeprinter.py).
"""

from __future__ import annotations

import os
import threading
import time

import pytest

from kiosk import clock
from kiosk.slips import Slip
from kiosk.tickets.printers import build_job
from tests.tickets.env import TicketEnv
from tests.tickets.fakeprinter import (
    COVER_OPEN,
    OFFLINE,
    ONLINE,
    PAPER_NEAR_END,
    PAPER_OUT,
    FakePrinter,
    decode_raster,
    same_pixels,
)

TUESDAY = "2025-06-03 09:30"


@pytest.fixture
def env(tmp_path):
    environment = TicketEnv(tmp_path)
    yield environment
    environment.close()


@pytest.mark.parametrize("paper", ["80mm", "58mm"])
def test_network_ticket_bytes_decode_back_to_the_rendered_ticket(env, paper):
    with FakePrinter() as printer, clock.freeze(TUESDAY):
        desk = env.desk(url=printer.url, paper=paper)
        issued = desk.issue_and_print("B", priority=True)
        (job,) = printer.wait_jobs(1)
        expected = desk.render(issued.ticket)
    assert issued.printed and issued.print_error == ""
    assert job.queries == [1, 4], "online and paper status asked before printing"
    assert job.data.startswith(b"\x1b@"), "the printer is initialised first"
    assert job.data.endswith(b"\x1dVA\x00") or job.data.endswith(b"\x1dV\x00")
    printed = decode_raster(job.data)
    assert printed.width == (576 if paper == "80mm" else 384)
    assert same_pixels(printed, expected), "the paper shows exactly the rendered ticket"
    stored = env.ledger.get("yubei-center", issued.ticket.day, issued.ticket.number)
    assert stored.print_status == "printed"


def test_two_copies_and_partial_cut(env):
    with FakePrinter() as printer, clock.freeze(TUESDAY):
        desk = env.desk(url=printer.url, copies="2", cut="partial")
        desk.issue_and_print("A")
        (job,) = printer.wait_jobs(1)
    assert job.data.count(b"\x1dv0") >= 2
    assert job.data.count(b"\x1dVB\x00") + job.data.count(b"\x1dV\x01") == 2


def test_connection_refused_keeps_the_ticket_and_records_the_failure(env):
    with FakePrinter() as printer:
        url = printer.url
    # The server is closed now: nothing listens on that port.
    with clock.freeze(TUESDAY):
        desk = env.desk(url=url)
        issued = desk.issue_and_print("A")
        again = desk.issue_and_print("A")
    assert (issued.ticket.number, again.ticket.number) == ("A001", "A002")
    assert not issued.printed and issued.print_error.startswith("连接不上打印机")
    stored = env.ledger.get("yubei-center", issued.ticket.day, "A001")
    assert (stored.print_status, stored.print_attempts) == ("failed", 1)
    assert "连接不上打印机" in stored.print_error


def test_a_printer_that_never_accepts_times_out_and_the_ticket_stays(env):
    with FakePrinter(backlog_full=True) as printer, clock.freeze(TUESDAY):
        desk = env.desk(url=printer.url, timeout="1")
        issued = desk.issue_and_print("A")  # returns: the connect timeout is applied
    assert not issued.printed
    assert issued.print_error.startswith("连接不上打印机"), issued.print_error
    assert issued.ticket.number == "A001"
    assert env.ledger.get("yubei-center", issued.ticket.day, "A001").print_status == "failed"


def test_a_printer_that_stops_reading_mid_job_times_out(env):
    with FakePrinter(read=False, receive_buffer=2048) as printer, clock.freeze(TUESDAY):
        desk = env.desk(url=printer.url, timeout="1", status="no")
        issued = desk.issue_and_print("A")  # returns: the write timeout is applied
    assert not issued.printed
    assert issued.print_error.startswith("打印机没有响应（超时）")


@pytest.mark.parametrize(
    ("replies", "state", "prints"),
    [
        ({1: ONLINE, 4: 0x12}, "ok", True),
        ({1: ONLINE, 4: PAPER_NEAR_END}, "paper_near_end", True),
        ({1: ONLINE, 4: PAPER_OUT}, "paper_out", False),
        ({1: OFFLINE, 2: COVER_OPEN, 4: 0x12}, "cover_open", False),
        ({}, "unknown", True),
    ],
)
def test_status_replies_decide_whether_a_job_is_sent(env, replies, state, prints):
    with FakePrinter(status=replies) as printer, clock.freeze(TUESDAY):
        desk = env.desk(url=printer.url, status_timeout="0.3")
        status = desk.printer_status()
        issued = desk.issue_and_print("A")
        jobs = printer.wait_jobs(2, timeout=3)
    assert status.state == state
    assert issued.printed is prints
    job = jobs[-1]
    if prints:
        assert b"\x1dv0" in job.data
    else:
        assert b"\x1dv0" not in job.data, "nothing is sent to a printer that cannot print"
        assert issued.print_error == status.label


def test_no_answer_is_unknown_not_ok(env):
    with FakePrinter(answer=False) as printer:
        desk = env.desk(url=printer.url, status_timeout="0.3")
        status = desk.printer_status()
    assert status.state == "unknown" and status.label.startswith("状态未知")


def test_status_of_an_unreachable_printer(env):
    with FakePrinter() as printer:
        url = printer.url
    status = env.desk(url=url).printer_status()
    assert status.state == "unreachable" and not status.can_print


def test_slip_prints_through_the_same_path(env):
    slip = Slip(title="法律援助申请材料清单", sections=(("需要准备", ("身份证",)),), qr="x")
    with FakePrinter() as printer, clock.freeze(TUESDAY):
        desk = env.desk(url=printer.url)
        outcome = desk.print_slip(slip)
        (job,) = printer.wait_jobs(1)
    assert outcome.ok and outcome.bytes_sent == len(job.data)
    from kiosk.tickets.render import render_slip

    assert same_pixels(decode_raster(job.data), render_slip(slip, 576, desk.site_name))


def test_serial_printer_through_a_pseudo_terminal(env):
    import tty

    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    path = os.ttyname(slave)
    received = bytearray()
    stop = threading.Event()

    def printer_side() -> None:
        """Answer DLE EOT with 'online, paper ok' and collect the rest."""
        import select

        while not stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            chunk = os.read(master, 65536)
            received.extend(chunk)
            for _ in range(chunk.count(b"\x10\x04")):
                os.write(master, b"\x12")

    thread = threading.Thread(target=printer_side, daemon=True)
    thread.start()
    try:
        with clock.freeze(TUESDAY):
            desk = env.desk(url=f"serial://{path}?baudrate=115200", paper="58mm")
            issued = desk.issue_and_print("A")
            expected = desk.render(issued.ticket)
        deadline = time.monotonic() + 5
        while not received.endswith(b"\x1dVA\x00") and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join(2)
        os.close(master)
        os.close(slave)
    assert issued.printed, issued.print_error
    assert received.startswith(b"\x10\x04\x01\x10\x04\x04\x1b@")
    assert same_pixels(decode_raster(bytes(received[6:])), expected)


def test_serial_port_that_does_not_exist(env):
    with clock.freeze(TUESDAY):
        issued = env.desk(url="serial:///dev/ttyDOESNOTEXIST?baudrate=9600").issue_and_print("A")
    assert not issued.printed and issued.print_error.startswith("连接不上打印机")


def test_file_printer_appends_raw_jobs(env, tmp_path):
    target = tmp_path / "spool.bin"
    target.write_bytes(b"EARLIER")
    with clock.freeze(TUESDAY):
        desk = env.desk(url=f"file://{target}")
        first = desk.issue_and_print("A")
        second = desk.issue_and_print("A")
        image = desk.render(first.ticket)
    data = target.read_bytes()
    assert first.printed and second.printed
    assert data.startswith(b"EARLIER\x1b@")
    job = build_job(image, desk.settings.printer)
    assert data[len(b"EARLIER") :].startswith(job)
    assert data.count(b"\x1b@") >= 2


def test_usb_printer_through_pyusb_with_a_fake_device(env, monkeypatch):
    """USB is the one true edge here: pyusb's find() returns a recording device."""
    import usb.core

    class Endpoint:
        bEndpointAddress = 0x01

    class FakeUsbDevice:
        backend = type("Backend", (), {"__module__": "usb.backend.fake"})()

        def __init__(self) -> None:
            self.written = bytearray()
            self.disposed = 0
            self._ctx = self  # pyusb's resource context: dispose() on close

        def dispose(self, _device: object) -> None:
            self.disposed += 1

        def set_configuration(self) -> None:
            pass

        def reset(self) -> None:
            pass

        def is_kernel_driver_active(self, _interface: int) -> bool:
            return False

        def write(self, endpoint: int, data: bytes, timeout: int | None = None) -> int:
            self.written += data
            return len(data)

        def read(self, endpoint: int, size: int, timeout: int | None = None) -> bytes:
            return bytes([0x12])

    device = FakeUsbDevice()
    seen = {}

    def find(**criteria):
        seen.update(criteria)
        return device

    monkeypatch.setattr(usb.core, "find", find)
    with clock.freeze(TUESDAY):
        desk = env.desk(url="usb://0416:5011")
        issued = desk.issue_and_print("A")
        expected = desk.render(issued.ticket)
    assert (seen["idVendor"], seen["idProduct"]) == (0x0416, 0x5011)
    assert issued.printed, issued.print_error
    assert device.disposed >= 1, "the USB device is released after the job"
    assert same_pixels(decode_raster(bytes(device.written)), expected)


def test_usb_printer_missing(env, monkeypatch):
    import usb.core

    monkeypatch.setattr(usb.core, "find", lambda **_: None)
    with clock.freeze(TUESDAY):
        issued = env.desk(url="usb://0416:5011").issue_and_print("A")
    assert not issued.printed and issued.print_error.startswith("连接不上打印机")
