"""取号 in the real window: take a ticket, see it, printer failures, closed services, staff."""

from __future__ import annotations

import pytest

from tests.tickets.packs import make_pack
from tests.ui.conftest import SIZES

TUESDAY = "2025-06-03 10:00"


def start(ui, tmp_path, printer_url=None, size=(1080, 1920), **sections):
    content = make_pack(tmp_path / "pack")
    sections.setdefault("printer", {})["url"] = printer_url or f"image://{tmp_path}/printed/"
    sections.setdefault("tickets", {}).setdefault("show_seconds", "5")
    return ui(size=size, content=content, **sections)


def go(driver, name, **params):
    driver.app.go(name, **params)
    driver.settle()


def wait_state(driver, *states, timeout=10):
    screen = driver.app.screens.get_screen("ticket")
    assert driver.wait(lambda: screen.state in states, timeout=timeout), screen.state
    return screen


def ledger(driver):
    from kiosk.tickets.ledger import ledger_for

    return ledger_for(driver.app.settings.store.path)


@pytest.mark.parametrize("size", SIZES)
def test_take_a_ticket_see_it_printed_and_go_home(ui, tmp_path, shots, size):
    from kiosk import clock

    with clock.freeze(TUESDAY):
        driver = start(ui, tmp_path, size=size)
        app = driver.app
        driver.press(cls="Tile", action="tickets")
        assert app.screens.current == "tickets"
        assert driver.find(cls="WrapLabel", text="法律援助申请")
        assert driver.find(cls="Label", text="0 人", root=driver.find(action="service:legal-aid"))
        driver.screenshot(shots / f"tickets-{size[0]}x{size[1]}-list.png")
        driver.press(action="service:legal-aid")
        assert app.screens.current == "ticket-confirm"
        assert driver.find(cls="WrapLabel", text="经济困难状况说明表")
        assert driver.find(cls="WrapLabel", text="70岁以上老年人")
        assert driver.overflows() == []
        driver.screenshot(shots / f"tickets-{size[0]}x{size[1]}-confirm.png")
        driver.press(action="ticket-take")
        screen = wait_state(driver, "printed")
        assert screen.ids.number.text == "B001"
        assert driver.find(cls="WrapLabel", text="请取走下方出票口的小票")
        assert driver.find(cls="WrapLabel", text="3号窗口（法律援助）")
        assert driver.find(cls="WrapLabel", text="今日第 1 位 · 前面没有人等候")
        assert driver.overflows() == []
        driver.screenshot(shots / f"tickets-{size[0]}x{size[1]}-printed.png")
        assert len(list((tmp_path / "printed").glob("2025-06-03-B001.png"))) == 1
        (ticket,) = ledger(driver).day("yubei-center", clock.today())
        assert (ticket.number, ticket.print_status, ticket.priority) == ("B001", "printed", False)
        assert app.session.features["tickets"] == {"number": "B001"}
        # The list now counts the waiting resident; then the screen goes home by itself.
        assert driver.wait(lambda: app.screens.current == "home", timeout=8)
        assert app.session.features == {}, "the number is forgotten with the session"
        driver.settle()
        driver.press(cls="Tile", action="tickets")
        assert app.screens.current == "tickets"
        assert driver.find(cls="Label", text="1 人", root=driver.find(action="service:legal-aid"))
        # 长者模式: the same screen with bigger words still fits, nothing cut off
        app.reset_session()
        driver.press(action="elder")
        go(driver, "ticket-confirm", service_id="legal-aid")
        driver.press(action="ticket-take")
        screen = wait_state(driver, "printed")
        driver.settle()
        assert screen.ids.number.text == "B002"
        assert driver.find(cls="WrapLabel", text="3号窗口（法律援助）")
        driver.screenshot(shots / f"tickets-{size[0]}x{size[1]}-elder-printed.png")
        assert driver.overflows() == []


def test_priority_ticket_is_marked_on_screen_and_in_the_ledger(ui, tmp_path, shots):
    from kiosk import clock

    with clock.freeze(TUESDAY):
        driver = start(ui, tmp_path)
        go(driver, "ticket-confirm", service_id="legal-aid")
        driver.press(action="ticket-take-priority")
        screen = wait_state(driver, "printed")
        assert screen.ids.priority.children, "the priority band is shown"
        assert driver.find(cls="WrapLabel", text="绿色通道 · 优先办理")
        driver.screenshot(shots / "tickets-priority.png")
        (ticket,) = ledger(driver).day("yubei-center", clock.today())
    assert ticket.priority


@pytest.mark.parametrize("size", SIZES)
def test_printer_failure_shows_the_number_a_qr_and_what_to_do(ui, tmp_path, shots, size):
    """Both modes: the number the largest thing on screen AND the QR beside it, all in view."""
    from kiosk import clock
    from tests.tickets.fakeprinter import FakePrinter

    with FakePrinter() as closed:
        url = closed.url  # nothing listens here any more
    with clock.freeze(TUESDAY):
        driver = start(ui, tmp_path, printer_url=url, size=size)
        app = driver.app
        for elder, number_text in ((False, "A001"), (True, "A002")):
            app.reset_session()
            if elder:
                driver.press(action="elder")
            go(driver, "ticket-confirm", service_id="consultation")
            driver.press(action="ticket-take")
            screen = wait_state(driver, "failed")
            assert screen.ids.number.text == number_text
            driver.settle()
            mode = "elder" if elder else "normal"
            driver.screenshot(shots / f"tickets-{size[0]}x{size[1]}-{mode}-not-printed.png")
            number = screen.ids.number.__self__
            # very large; 长者模式's bigger words leave landscape a little less height for it,
            # but it stays half again as big as the biggest of them
            floor = app.theme.huge * (1.0 if elder else 1.2)
            assert number.font_size >= floor, "the number is very large"
            others = [
                w
                for w in driver.find_all(cls="Label")
                if w is not number and w.text.strip() and driver.is_visible(w)
            ]
            assert number.font_size >= 1.5 * max(w.font_size for w in others)
            assert driver.find(cls="WrapLabel", text="小票没有打印出来")
            assert driver.find(cls="WrapLabel", text="请拍照或记下号码")
            assert driver.find(cls="WrapLabel", text="到窗口出示")
            qr = driver.find(cls="QRCode")
            assert f"{number_text}" in qr.data and "法律咨询" in qr.data
            assert qr.opacity == 1 and driver.is_visible(qr)
            assert min(qr.size) >= 160 * app.theme.scale, "a QR a phone can read from a step away"
            x, y = qr.to_window(qr.x, qr.y)
            assert y >= app.root.ids.nav.top and y + qr.height <= app.root.ids.header.y
            assert x >= 0 and x + qr.width <= app.root.width
            assert driver.overflows() == []
            ticket = ledger(driver).get("yubei-center", clock.today(), number_text)
            assert ticket.print_status == "failed" and "连接不上打印机" in ticket.print_error
            assert screen.seconds_left > 30, "a failed ticket stays up long enough to photograph"


def test_the_screen_keeps_drawing_while_a_dead_printer_times_out(ui, tmp_path):
    """The print job runs off the UI thread: frames go on while the printer hangs, and the
    failure shows once it gives up. The printer hangs for as long as the test wants (connect
    timeout 60 s) and gives up when the test closes it, so no frame timing is involved
    (frame times during printing are measured by tests/bench/tickets_bench.py)."""
    from kivy.clock import Clock

    from kiosk import clock
    from tests.tickets.fakeprinter import FakePrinter

    with clock.freeze(TUESDAY):
        dead = FakePrinter(backlog_full=True).__enter__()
        driver = start(ui, tmp_path, printer_url=dead.url, tickets={"show_seconds": "5"})
        app = driver.app
        app.settings = app.settings.replace("printer", timeout=60.0, status=False)
        go(driver, "ticket-confirm", service_id="consultation")
        driver.press(action="ticket-take")
        screen = app.screens.get_screen("ticket")
        assert driver.wait(lambda: screen.ids.number.text == "A001", timeout=10), (
            "the committed number shows while the printer is still being tried"
        )
        assert screen.state == "printing"
        assert driver.find(cls="WrapLabel", text="正在打印小票")
        frames = Clock.frames
        driver.pump(30)
        assert Clock.frames - frames >= 30
        assert screen.state == "printing", "frames were drawn while the job was pending"
        dead.__exit__()  # the printer goes away: the pending connect is refused
        screen = wait_state(driver, "failed", timeout=30)
        assert driver.find(cls="WrapLabel", text="请拍照或记下号码")


def test_a_closed_service_is_disabled_with_the_reason(ui, tmp_path, shots):
    from kiosk import clock

    with clock.freeze("2025-06-03 12:20"):
        driver = start(ui, tmp_path)
        app = driver.app
        driver.press(cls="Tile", action="tickets")
        card = driver.find(action="service:consultation")
        assert card.available is False
        assert driver.find(cls="WrapLabel", text="现在还没到办理时间。下次取号：今天 14:00")
        driver.screenshot(shots / "tickets-closed.png")
        driver.tap(card)
        assert app.screens.current == "tickets"
        assert driver.overflows() == []
        assert ledger(driver).day("yubei-center", clock.today()) == []


def test_a_full_service_refuses_even_from_a_stale_confirmation(ui, tmp_path):
    from kiosk import clock

    with clock.freeze(TUESDAY):
        driver = start(ui, tmp_path, tickets={"show_seconds": "30"})
        app = driver.app
        go(driver, "ticket-confirm", service_id="legal-aid")  # shown while 0 of 5 are taken
        from kiosk.tickets.desk import Desk

        desk = Desk(app.settings, app.content.pack)
        for _ in range(5):
            desk.issue("legal-aid")  # another dispenser process takes the rest
        driver.press(action="ticket-take")
        screen = wait_state(driver, "refused")
        assert driver.find(cls="WrapLabel", text="今天的号已取完（每天5个）")
        assert screen.ids.number.text == ""
        driver.press(action="ticket-done")
        assert app.screens.current == "tickets"
        assert driver.find(action="service:legal-aid").available is False


def test_double_tap_on_take_issues_one_ticket(ui, tmp_path):
    from kiosk import clock
    from kiosk.ui.screens import tickets

    with clock.freeze(TUESDAY):
        driver = start(ui, tmp_path)
        go(driver, "ticket-confirm", service_id="consultation")
        # The printer check can add a line and move the button: tap where it finally stands.
        assert driver.wait(lambda: tickets.printer_watch(driver.app).status is not None, timeout=10)
        driver.settle()
        button = driver.find(action="ticket-take")
        x, y = button.to_window(*button.center)
        driver.tap_at(x, y)
        driver.tap_at(x, y)
        wait_state(driver, "printed")
        driver.pump(10)
        numbers = [t.number for t in ledger(driver).day("yubei-center", clock.today())]
    assert numbers == ["A001"]


def test_paper_out_is_announced_before_taking_and_nothing_is_sent(ui, tmp_path, shots):
    from kiosk import clock
    from kiosk.ui.screens import tickets
    from tests.tickets.fakeprinter import PAPER_OUT, FakePrinter

    with FakePrinter(status={1: 0x12, 4: PAPER_OUT}) as printer, clock.freeze(TUESDAY):
        driver = start(ui, tmp_path, printer_url=printer.url)
        app = driver.app
        driver.press(cls="Tile", action="tickets")
        assert driver.wait(lambda: tickets.printer_watch(driver.app).status is not None, timeout=5)
        driver.pump(3)
        assert driver.find(cls="WrapLabel", text="出票机暂时不能打印小票（缺纸）")
        driver.screenshot(shots / "tickets-paper-out.png")
        driver.press(action="service:consultation")
        driver.press(action="ticket-take")
        wait_state(driver, "failed")
        assert driver.find(cls="WrapLabel", text="请拍照或记下号码")
        assert all(b"\x1dv0" not in job.data for job in printer.jobs)
        (ticket,) = ledger(driver).day("yubei-center", clock.today())
        assert ticket.print_error == "缺纸"
        assert app.screens.current == "ticket"


def test_staff_see_the_failure_and_reprint_from_the_admin_screen(ui, tmp_path, shots):
    from kiosk import clock
    from kiosk.tickets.settings import printer_url

    with clock.freeze(TUESDAY):
        blocked = tmp_path / "blocked"
        blocked.write_text("")
        driver = start(ui, tmp_path, printer_url=f"image://{blocked}/")
        app = driver.app
        go(driver, "ticket-confirm", service_id="consultation")
        driver.press(action="ticket-take")
        wait_state(driver, "failed")
        app.reset_session()
        app.go("admin")
        driver.settle()
        rows = {row.label: row for row in driver.find_all(cls="InfoRow")}
        assert "A001" in rows["未打印的号"].value and rows["未打印的号"].warn
        assert "法律咨询 1 张" in rows["今日取号"].value
        # The technician fixes the printer, then reprints.
        fixed = printer_url(f"image://{tmp_path}/printed/", tmp_path)
        app.settings = app.settings.replace("printer", url=fixed)
        admin_scroll = app.screens.get_screen("admin").children[0]
        admin_scroll.scroll_y = 0  # the staff actions sit under the status rows
        driver.settle()
        driver.press(action="admin:取号与打印机：状态、补打小票")
        driver.settle()
        assert app.screens.current == "ticket-admin"
        assert driver.overflows() == []
        driver.screenshot(shots / "tickets-admin.png")
        driver.press(action="ticket-reprint:A001")
        assert driver.wait(lambda: driver.find_all(cls="WrapLabel", text="A001 已打印"), timeout=5)
        assert driver.find(cls="WrapLabel", text="全部已打印")
        assert len(list((tmp_path / "printed").glob("2025-06-03-A001-reprint-*.png"))) == 1
        ticket = ledger(driver).get("yubei-center", clock.today(), "A001")
        assert ticket.print_status == "printed" and ticket.print_attempts == 2


@pytest.mark.parametrize("size", SIZES)
def test_every_ticket_screen_fits_in_both_orientations(ui, tmp_path, shots, size):
    from kiosk import clock
    from kiosk.ui.screens import ticket, tickets, tickets_admin

    stops = tickets.TOUR_STOPS + ticket.TOUR_STOPS + tickets_admin.TOUR_STOPS
    with clock.freeze(TUESDAY):
        driver = start(ui, tmp_path, size=size)
        problems = []
        for name, visit in stops:
            visit(driver)
            driver.settle()
            driver.screenshot(shots / f"tickets-tour-{size[0]}x{size[1]}-{name}.png")
            problems += [f"{name}: {p}" for p in driver.overflows()]
    assert problems == []
