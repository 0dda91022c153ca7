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


def read_slip(data: bytes) -> tuple[str, list[str]]:
    """What a resident finds on the paper: the ESC/POS raster the printer received, decoded
    into an image, then read back (OCR for the Chinese text, zbar for QR codes)."""
    import subprocess
    import tempfile

    from pyzbar import pyzbar

    from tests.tickets.fakeprinter import decode_raster

    image = decode_raster(data).convert("L")
    codes = [code.data.decode("utf-8") for code in pyzbar.decode(image)]
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/slip.png"
        image.save(path)
        text = subprocess.run(
            ["tesseract", path, "-", "-l", "chi_sim+eng", "--psm", "6"],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    return text.replace(" ", ""), codes


def test_print_checklist_and_take_a_ticket_for_the_legal_aid_window(
    ui, tmp_path, monkeypatch, shots
):
    import pytest

    from tests.tickets.fakeprinter import FakePrinter, decode_raster, same_pixels

    if not shutil.which("tesseract"):
        pytest.skip("tesseract is not installed (the CI script installs it)")
    monkeypatch.setenv("KIOSK_NOW", MONDAY_MORNING)
    with FakePrinter() as printer:
        driver = ui(content=pack_with_rules(tmp_path), printer={"url": printer.url, "status": "no"})
        _to_result(driver)
        _press(driver, action="print-and-ticket")
        screen = driver.app.screens.current_screen
        assert driver.wait(lambda: "打印好了" in screen.status, timeout=30), screen.status
        assert screen.ticket == "您的号码是 B001" and "3号窗口" in screen.status
        assert driver.find(cls="WrapLabel", text="您的号码是 B001").font_size >= 72
        checklist_qr = driver.find(cls="QRCode").data
        jobs = printer.wait_jobs(2, timeout=30)
        assert len(jobs) == 2, "the ticket and the checklist"
        driver.settle()
        assert driver.overflows() == []
        driver.screenshot(shots / "eligibility-printed.png")

        _press(driver, action="print-checklist")  # the checklist again, without a second ticket
        assert driver.wait(lambda: screen.status == "打印好了，请在出纸口取走清单。", timeout=30)
        jobs = printer.wait_jobs(3, timeout=30)
        from kiosk import clock
        from kiosk.tickets.desk import Desk
        from kiosk.tickets.ledger import ledger_for

        app = driver.app
        (b001,) = ledger_for(app.settings.store.path).day(app.settings.kiosk.site, clock.today())
        assert b001.number == "B001"
        ticket_b001 = Desk(app.settings, app.content.pack).render(b001)
    assert len(jobs) == 3
    slips = [read_slip(job.data) for job in jobs]
    texts = [text for text, _ in slips]
    tickets = [(text, codes) for text, codes in slips if "今日第" in text]
    checklists = [(text, codes) for text, codes in slips if "今日第" not in text]
    assert len(tickets) == 1, texts
    text, _ = tickets[0]
    assert "法律援助" in text and "3号窗口" in text, text
    # The big number is beyond OCR: the paper must be, pixel for pixel, ticket B001 as the
    # ledger holds it.
    ticket_job = jobs[next(i for i, (t, _) in enumerate(slips) if "今日第" in t)]
    assert same_pixels(decode_raster(ticket_job.data), ticket_b001), "the ticket is B001"
    assert len(checklists) == 2, f"the checklist twice, no second ticket: {texts}"
    for text, codes in checklists:
        assert "自测结果" in text and "很可能可以申请" in text and "身份证" in text, text
        assert codes == [checklist_qr], "the paper carries the screen's QR code"


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
