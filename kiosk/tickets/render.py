"""Tickets and slips drawn as black-and-white images at the printer's width.

An image prints Chinese on any ESC/POS printer (no code pages, no printer fonts) and is
exactly what the development printer saves as PNG, so what staff see in a PNG is what the
resident gets on paper. Sizes are given for 576 dots (80 mm) and scale down for 384 (58 mm).
Lines are broken with kiosk.cjkwrap, the same rules as on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import cjkwrap
from kiosk.slips import Slip
from kiosk.tickets import texts

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
REFERENCE_WIDTH = 576
THRESHOLD = 150  # grey above this is paper, below is ink


@dataclass(frozen=True)
class TicketContent:
    """Everything a ticket shows, resolved from the ledger row and the pack."""

    site_name: str
    service_name: str
    number: str
    issued_at: datetime
    position: int
    ahead: int
    priority: bool = False
    priority_groups: tuple[str, ...] = ()
    windows: str = ""
    bring: tuple[str, ...] = ()
    text: str = ""
    qr: str = ""
    hotline: str = "12348"
    complaint: str = ""


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    name = "NotoSansSC-Bold.otf" if bold else "NotoSansSC-Regular.otf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


class Sheet:
    """A tall strip of paper drawn top to bottom, cropped to what was used."""

    def __init__(self, width: int, max_height: int = 6000) -> None:
        from PIL import Image, ImageDraw

        self.width = width
        self.k = width / REFERENCE_WIDTH
        self.margin = round(16 * self.k)
        self.image: Image.Image = Image.new("L", (width, max_height), 255)
        self.draw: ImageDraw.ImageDraw = ImageDraw.Draw(self.image)
        self.y = round(12 * self.k)

    def px(self, value: float) -> int:
        return max(1, round(value * self.k))

    @property
    def inner(self) -> int:
        return self.width - 2 * self.margin

    def space(self, value: float) -> None:
        self.y += self.px(value)

    def text(
        self,
        value: str,
        size: float,
        bold: bool = False,
        align: str = "center",
        ink: int = 0,
        bullet: str = "",
        line_gap: float = 0.25,
    ) -> None:
        """Wrapped paragraph(s); `size` in dots at 576 wide. A bullet hangs to the left."""
        if not value:
            return
        face = font(self.px(size), bold)
        left = self.margin
        if bullet:
            self.draw.text((left + self.px(8), self.y), bullet, font=face, fill=ink)
            left += self.px(8) + round(face.getlength(bullet + " "))
        width = self.width - self.margin - left
        ascent, descent = face.getmetrics()
        height = ascent + descent
        for line in cjkwrap.wrap(value, width, face.getlength):
            length = face.getlength(line)
            x = left + (width - length) / 2 if align == "center" else left
            self.draw.text((x, self.y), line, font=face, fill=ink)
            self.y += round(height * (1 + line_gap))

    def fitted(self, value: str, size: float, bold: bool = True) -> None:
        """One line, as big as `size` allows within the width (the ticket number)."""
        target = self.px(size)
        face = font(target, bold)
        while face.getlength(value) > self.inner and target > 12:
            target = int(target * 0.92)
            face = font(target, bold)
        left, top, right, bottom = face.getbbox(value)
        x = self.margin + (self.inner - (right - left)) / 2 - left
        self.draw.text((x, self.y - top), value, font=face, fill=0)
        self.y += bottom - top

    def band(self, value: str, size: float) -> None:
        """White text on a black band (priority mark, slip titles)."""
        face = font(self.px(size), True)
        left, top, right, bottom = face.getbbox(value)
        pad = self.px(10)
        self.draw.rectangle(
            (self.margin, self.y, self.width - self.margin - 1, self.y + bottom - top + 2 * pad),
            fill=0,
        )
        x = self.margin + (self.inner - (right - left)) / 2 - left
        self.draw.text((x, self.y + pad - top), value, font=face, fill=255)
        self.y += bottom - top + 2 * pad

    def rule(self, dashed: bool = False) -> None:
        y = self.y + self.px(6)
        if dashed:
            step, right = self.px(12), self.width - self.margin - 1
            for x in range(self.margin, right, step):
                self.draw.line((x, y, min(x + step // 2, right), y), fill=0, width=self.px(2))
        else:
            right = self.width - self.margin - 1
            self.draw.line((self.margin, y, right, y), fill=0, width=self.px(3))
        self.y = y + self.px(12)

    def qr(self, data: str, size: float = 220) -> None:
        from PIL import Image

        from kiosk.qr import qr_image

        if not data:
            return
        code = qr_image(data, box_size=1, border=2)
        scale = max(1, self.px(size) // code.width)
        code = code.resize((code.width * scale, code.height * scale), Image.Resampling.NEAREST)
        self.image.paste(code, ((self.width - code.width) // 2, self.y))
        self.y += code.height

    def finish(self) -> Image.Image:
        """Crop to the used height and make it 1-bit (no dithering: crisp text)."""
        self.y += self.px(16)
        used = self.image.crop((0, 0, self.width, self.y))
        return used.point(lambda v: 255 if v > THRESHOLD else 0, mode="1")


def render_ticket(content: TicketContent, width: int = REFERENCE_WIDTH) -> Image.Image:
    sheet = Sheet(width)
    sheet.text(content.site_name, 30, bold=True)
    sheet.rule()
    sheet.text(content.service_name, 44, bold=True)
    if content.windows:
        sheet.text(texts.GO_TO.format(windows=content.windows), 28)
    sheet.space(6)
    if content.priority:
        sheet.band(texts.PRIORITY_MARK, 34)
    sheet.space(18)
    sheet.fitted(content.number, 190)
    sheet.space(14)
    ahead = texts.AHEAD.format(ahead=content.ahead) if content.ahead else texts.AHEAD_NONE
    sheet.text(f"{texts.POSITION.format(position=content.position)}    {ahead}", 28, bold=True)
    sheet.text(texts.issued_line(content.issued_at), 26)
    if content.bring or content.text:
        sheet.rule(dashed=True)
    if content.bring:
        sheet.text(texts.BRING, 28, bold=True, align="left")
        for item in content.bring:
            sheet.text(item, 26, align="left", bullet="·")
    if content.text:
        sheet.space(6)
        sheet.text(content.text, 26, align="left")
    if content.qr:
        sheet.space(12)
        sheet.qr(content.qr)
    sheet.rule(dashed=True)
    sheet.text(texts.KEEP_TICKET, 24)
    sheet.text(texts.HOTLINE.format(phone=content.hotline), 28, bold=True)
    if content.complaint:
        sheet.text(texts.COMPLAINT.format(phone=content.complaint), 24)
    return sheet.finish()


def render_slip(slip: Slip, width: int = REFERENCE_WIDTH, site_name: str = "") -> Image.Image:
    """A checklist or other slip: title, headed blocks of lines, optional QR and footer."""
    sheet = Sheet(width)
    if site_name:
        sheet.text(site_name, 28, bold=True)
        sheet.space(6)
    sheet.band(slip.title, 34)
    sheet.space(10)
    for heading, lines in slip.sections:
        if heading:
            sheet.text(heading, 30, bold=True, align="left")
        for line in lines:
            sheet.text(line, 26, align="left", bullet="·")
        sheet.space(10)
    if slip.qr:
        sheet.qr(slip.qr)
    if slip.footer:
        sheet.rule(dashed=True)
        sheet.text(slip.footer, 24)
    return sheet.finish()


def render_test_page(width: int, site_name: str, printer: str, moment: datetime) -> Image.Image:
    """What `kiosk printer test` prints: the width, Chinese, a QR code and a cut."""
    sheet = Sheet(width)
    sheet.band(texts.TEST_TITLE, 40)
    sheet.space(8)
    sheet.text(site_name, 30, bold=True)
    sheet.text(texts.issued_line(moment), 26)
    sheet.text(printer, 22)
    sheet.space(8)
    sheet.text(texts.TEST_LINE, 28)
    # A full-width frame shows at once whether the paper width setting is right.
    top = sheet.y
    sheet.draw.rectangle((0, top, width - 1, top + sheet.px(40)), outline=0, width=2)
    sheet.y += sheet.px(50)
    sheet.text(f"{width} 点 / {'80' if width >= 576 else '58'} 毫米", 26)
    sheet.qr("12348")
    return sheet.finish()
