"""The printed ticket and slip as images: width, QR code, priority mark, margins, wrapping."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from kiosk.slips import Slip
from kiosk.tickets.printers import PrinterStatus, interpret, status_byte
from kiosk.tickets.render import TicketContent, render_slip, render_ticket

MOMENT = datetime(2025, 6, 3, 9, 41, tzinfo=ZoneInfo("Asia/Shanghai"))
CONTENT = TicketContent(
    site_name="渝北区公共法律服务中心",
    service_name="法律援助申请",
    number="B012",
    issued_at=MOMENT,
    position=12,
    ahead=3,
    windows="3号窗口（法律援助）",
    bring=("身份证或户口簿", "经济困难状况说明表"),
    text="请在等候区就座，叫到号后到窗口办理。",
    qr="https://example.org/yubei/legal-aid",
    complaint="023-12345678",
)


def decode_qr(image: Image.Image) -> list[str]:
    from pyzbar import pyzbar

    return [code.data.decode("utf-8") for code in pyzbar.decode(image.convert("L"))]


def ink_columns(image: Image.Image) -> tuple[int, int]:
    """Leftmost and rightmost column holding any black pixel."""
    inverted = Image.eval(image.convert("L"), lambda v: 255 - v)
    left, _, right, _ = inverted.getbbox()
    return left, right


@pytest.mark.parametrize("width", [384, 576])
def test_ticket_is_one_bit_at_the_paper_width_with_the_pack_qr(width):
    image = render_ticket(CONTENT, width)
    assert image.mode == "1" and image.width == width
    assert 600 * width / 576 < image.height < 1600 * width / 576
    assert decode_qr(image) == ["https://example.org/yubei/legal-aid"]
    left, right = ink_columns(image)
    margin = round(16 * width / 576)
    assert left >= margin and right <= width - margin


def test_the_number_is_the_biggest_thing_on_the_ticket():
    image = render_ticket(CONTENT, 576).convert("L")
    # The tallest band of rows with ink in them is the number (about 140 dots tall).
    rows = [image.crop((0, y, 576, y + 1)).getextrema()[0] < 128 for y in range(image.height)]
    runs, current = [], 0
    for has_ink in rows:
        current = current + 1 if has_ink else 0
        runs.append(current)
    assert max(runs) >= 120


def test_priority_is_marked_with_a_black_band():
    plain = render_ticket(CONTENT, 576)
    marked = render_ticket(TicketContent(**{**CONTENT.__dict__, "priority": True}), 576)
    assert marked.height > plain.height

    def solid_rows(image: Image.Image) -> int:
        grey = image.convert("L")
        return sum(
            1
            for y in range(image.height)
            if all(grey.getpixel((x, y)) == 0 for x in (20, 288, 555))
        )

    assert solid_rows(marked) > solid_rows(plain) + 20


def test_long_lines_wrap_inside_the_margins_and_nothing_is_lost():
    long = TicketContent(
        **{
            **CONTENT.__dict__,
            "bring": (
                "与案件有关的全部材料（合同、判决书、欠条、工资条、银行流水、聊天记录截图等）",
            )
            * 3,
            "service_name": "劳动争议与工伤赔偿法律援助申请（农民工讨薪绿色通道）",
        }
    )
    short = render_ticket(CONTENT, 384)
    image = render_ticket(long, 384)
    assert image.height > short.height + 150
    left, right = ink_columns(image)
    assert left >= 11 and right <= 373


def test_unverified_complaint_phone_is_left_off_and_the_hotline_stays():
    without = render_ticket(TicketContent(**{**CONTENT.__dict__, "complaint": ""}), 576)
    with_phone = render_ticket(CONTENT, 576)
    assert with_phone.height > without.height


def test_slip_prints_title_sections_and_its_qr():
    slip = Slip(
        title="法律援助申请材料清单",
        sections=(("需要准备", ("身份证", "经济困难状况说明表")), ("", ("到3号窗口办理",))),
        qr="checklist:legal-aid:v1",
        footer="法律咨询热线 12348",
    )
    image = render_slip(slip, 384, "渝北区公共法律服务中心")
    assert image.mode == "1" and image.width == 384
    assert decode_qr(image) == ["checklist:legal-aid:v1"]


@pytest.mark.parametrize(
    ("online", "cause", "paper", "state"),
    [
        (0x12, None, 0x12, "ok"),
        (0x12, None, 0x1E, "paper_near_end"),
        (0x12, None, 0x72, "paper_out"),
        (0x1A, 0x16, None, "cover_open"),
        (0x1A, 0x32, 0x72, "paper_out"),
        (0x1A, 0x12, 0x12, "offline"),
        (None, None, None, "unknown"),
        (0x12, None, None, "unknown"),
    ],
)
def test_status_bytes_are_interpreted_and_silence_is_unknown(online, cause, paper, state):
    assert interpret(online, cause, paper).state == state


def test_malformed_or_empty_status_replies_are_not_status():
    assert status_byte(b"") is None
    assert status_byte(None) is None
    assert status_byte(b"\xff") is None  # bit 7 set: not a status byte
    assert status_byte(b"\x00\x12") == 0x12


def test_unknown_is_never_called_ok():
    unknown = PrinterStatus("unknown")
    assert unknown.warn and not unknown.blocks_printing and unknown.can_print
    assert PrinterStatus("paper_out").blocks_printing
    assert not PrinterStatus("unreachable").can_print
