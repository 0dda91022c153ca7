"""What the QR code on a detail page carries: what the pack says, or the office's contact card.

A site's or institution's `qr` field in the pack may be:
  (empty) or "vcard" / "名片"   a contact card (name, phone, address) a phone can save, when
                                it has a phone number or an address that are not 待核实;
  "none" / "无"                 no code;
  anything else                 carried as written: a navigation link (https://uri.amap.com/...),
                                a `geo:` URI, a WeChat page.
Unverified values (待核实) never go into a contact card. Nothing about the resident ever does.
"""

from __future__ import annotations

from kiosk import qr
from kiosk.packs import model

UNVERIFIED = "待核实"
CARD_WORDS = {"", "vcard", "名片", "contact"}
NO_CODE_WORDS = {"none", "无", "no"}


def payload(item: model.Site | model.Institution) -> str:
    """The text to encode, or "" when this item shows no code."""
    wanted = item.qr.strip()
    if wanted.lower() in NO_CODE_WORDS:
        return ""
    if wanted.lower() not in CARD_WORDS:
        return wanted
    phone = item.phone if item.phone and UNVERIFIED not in item.phone else ""
    address = item.address if item.address and UNVERIFIED not in item.address else ""
    if not phone and not address:
        return ""  # a card with nothing but the name helps no one
    return qr.vcard(item.name, phone=phone, address=address)


def is_card(text: str) -> bool:
    return text.startswith("BEGIN:VCARD")
