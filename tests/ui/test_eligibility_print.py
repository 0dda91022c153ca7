"""The checklist leaves on paper, with a ticket for the 法律援助 window (kiosk.tickets)."""

from __future__ import annotations

import shutil
import socket

from tests.conftest import CONTENT
from tests.tickets.packs import make_pack
from tests.ui.test_eligibility import _press

MONDAY_MORNING = "2025-03-03T10:00"


def pack_with_rules(tmp_path):
    """The tickets test pack (a legal-aid queue at the centre) plus the real legal-aid rules."""
    pack = make_pack(tmp_path)
    shutil.copytree(CONTENT / "legal_aid", pack / "legal_aid")
    return pack


def _to_result(driver):
    driver.press(cls="Tile", action="eligibility")
    driver.press(action="eligibility-start")
    _press(driver, action="answer:labour_or_wages")
    _press(driver, action="answer:yes")
    _press(driver, action="answer:no")
    _press(driver, action="see-result")
    assert driver.app.screens.current == "eligibility-result"


def test_print_checklist_and_take_a_ticket_for_the_legal_aid_window(
    ui, tmp_path, monkeypatch, shots
):
    monkeypatch.setenv("KIOSK_NOW", MONDAY_MORNING)
    prints = tmp_path / "prints"
    driver = ui(
        content=pack_with_rules(tmp_path), printer={"url": f"image://{prints}/", "status": "no"}
    )
    _to_result(driver)
    _press(driver, action="print-and-ticket")
    screen = driver.app.screens.current_screen
    assert driver.wait(lambda: "打印好了" in screen.status, timeout=20), screen.status
    assert screen.ticket == "您的号码是 B001" and "3号窗口" in screen.status
    assert driver.find(cls="WrapLabel", text="您的号码是 B001").font_size >= 72
    pngs = sorted(prints.glob("*.png"))
    assert len(pngs) == 2, pngs  # the ticket and the checklist
    driver.settle()
    assert driver.overflows() == []
    driver.screenshot(shots / "eligibility-printed.png")

    _press(driver, action="print-checklist")  # the checklist again, without a second ticket
    assert driver.wait(lambda: screen.status == "打印好了，请在出纸口取走清单。", timeout=20)
    assert len(list(prints.glob("ticket*.png")) + list(prints.glob("*B00*.png"))) <= 1


def test_a_dead_printer_costs_nothing_but_the_paper(ui, tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_NOW", MONDAY_MORNING)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    driver = ui(
        content=pack_with_rules(tmp_path),
        printer={"url": f"network://127.0.0.1:{port}", "status": "no", "timeout": "2"},
    )
    _to_result(driver)
    _press(driver, action="print-and-ticket")
    screen = driver.app.screens.current_screen
    assert driver.wait(lambda: "打印机暂时不能用" in screen.status, timeout=30), screen.status
    assert screen.ticket == "您的号码是 B001" and "没能打印" in screen.status
    assert driver.find(cls="QRCode").data, "the QR code is still there to take the checklist away"


def test_no_print_buttons_without_a_printer_or_a_legal_aid_queue(ui, tmp_path):
    driver = ui(printer={"url": "none"})
    _to_result(driver)
    assert not driver.find_all(action="print-checklist")
    assert not driver.find_all(action="print-and-ticket")
    assert driver.find(cls="QRCode").data


def test_a_site_without_a_legal_aid_queue_offers_printing_but_no_ticket(ui, tmp_path):
    # the station of the test pack has a queue for mediation only
    driver = ui(content=pack_with_rules(tmp_path), kiosk={"site": "shuanglonghu-station"})
    _to_result(driver)
    assert driver.find_all(action="print-checklist")
    assert not driver.find_all(action="print-and-ticket")
