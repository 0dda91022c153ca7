"""QR codes for what a resident takes away: a navigation link, a contact card, a checklist.

One function for screen and paper so both encode exactly the same text. Never put anything
about the resident into a code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image


def qr_image(data: str, box_size: int = 10, border: int = 2) -> Image.Image:
    """A black-on-white QR code (error correction M) as a Pillow image in mode 'L'."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(data)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("L")


def vcard(name: str, phone: str = "", address: str = "", note: str = "") -> str:
    """A minimal vCard 3.0 a phone can save as a contact (office name, phone, address)."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_escape(name)}", f"ORG:{_escape(name)}"]
    if phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{phone}")
    if address:
        lines.append(f"ADR;TYPE=WORK:;;{_escape(address)};;;;")
    if note:
        lines.append(f"NOTE:{_escape(note)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")
