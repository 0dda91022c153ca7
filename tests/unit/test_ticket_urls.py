"""[printer] url and the [tickets] keys: every form a technician may write, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import config
from kiosk.errors import ConfigError
from kiosk.tickets.settings import PrinterSection, TicketsSection
from kiosk.tickets.urls import parse_printer_url

BASE = Path("/etc/kiosk")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("usb://0416:5011", {"kind": "usb", "vendor": 0x0416, "product": 0x5011}),
        ("usb://0x04b8:0x0e15?out_ep=0x01", {"kind": "usb", "vendor": 0x04B8}),
        (
            "serial:///dev/ttyUSB0?baudrate=19200",
            {"kind": "serial", "path": Path("/dev/ttyUSB0")},
        ),
        ("network://192.168.1.50:9100", {"kind": "network", "host": "192.168.1.50", "port": 9100}),
        ("network://printer.local", {"kind": "network", "host": "printer.local", "port": 9100}),
        ("file:///dev/usb/lp0", {"kind": "file", "path": Path("/dev/usb/lp0")}),
        ("file://var/out.bin", {"kind": "file", "path": BASE / "var/out.bin"}),
        ("image:///srv/tickets/", {"kind": "image", "path": Path("/srv/tickets")}),
        ("image://var/tickets/", {"kind": "image", "path": BASE / "var/tickets"}),
        ("none", {"kind": "none"}),
        ("NONE", {"kind": "none"}),
    ],
)
def test_every_printer_url_form_parses(url, expected):
    target = parse_printer_url(url, BASE)
    for key, value in expected.items():
        assert getattr(target, key) == value
    assert target.url == url.strip() or target.kind == "none"


def test_serial_options_are_kept():
    target = parse_printer_url("serial:///dev/ttyS0?baudrate=115200&flow=rtscts&parity=E", BASE)
    assert target.option("baudrate") == "115200"
    assert target.option("flow") == "rtscts"
    assert target.option("parity") == "E"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("lpt://1", "usb://VID:PID"),
        ("usb://printer", "hexadecimal"),
        ("network://host:70000", "port"),
        ("serial:///dev/ttyS0?baudrate=1234", "baudrate one of"),
        ("serial:///dev/ttyS0?speed=9600", "serial options are"),
        ("serial:///dev/ttyS0?flow=magic", "flow one of"),
        ("file://", "needs a path"),
        ("192.168.1.50", "usb://VID:PID"),
    ],
)
def test_bad_urls_say_what_is_allowed(url, message):
    with pytest.raises(ValueError, match=message):
        parse_printer_url(url, BASE)


def test_kiosk_ini_errors_name_the_section_and_key(config_file):
    with pytest.raises(ConfigError) as error:
        config.load(config_file(printer={"url": "lpt://1"}))
    assert "[printer] url = 'lpt://1' is not allowed" in str(error.value)
    with pytest.raises(ConfigError, match=r"\[tickets\] number_block = '500-100'"):
        config.load(config_file(tickets={"number_block": "500-100"}))
    with pytest.raises(ConfigError, match=r"\[printer\] paper = '76mm'.*58mm or 80mm"):
        config.load(config_file(printer={"paper": "76mm"}))
    with pytest.raises(ConfigError, match=r"\[tickets\] device_prefix"):
        config.load(config_file(tickets={"device_prefix": "甲"}))


def test_defaults_are_a_png_folder_next_to_kiosk_ini_at_80mm(config_file):
    settings = config.load(config_file())
    assert settings.printer.url.kind == "image"
    assert settings.printer.url.path == settings.file.parent / "var" / "tickets"
    assert settings.printer.paper == 576
    assert settings.tickets.number_block == (1, 999)
    narrow = config.load(config_file(printer={"paper": "58mm"}, tickets={"device_prefix": "k"}))
    assert narrow.printer.paper == 384
    assert narrow.tickets.device_prefix == "K"


def test_the_bundled_kiosk_ini_documents_every_printer_and_ticket_key():
    text = config.DEFAULT_CONFIG.read_text(encoding="utf-8")
    for cls, section in ((PrinterSection, "printer"), (TicketsSection, "tickets")):
        block = text.split(f"[{section}]")[1].split("\n[")[0]
        for field in config.dataclasses.fields(cls):
            assert f"\n{field.name} =" in block, f"[{section}] {field.name} is not documented"
