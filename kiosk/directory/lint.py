"""Checks of what the directory shows, run by `kiosk pack validate`.

A site's or institution's `qr` is carried into a QR code as written unless it is one of the
words for a contact card or for no code (see kiosk.directory.qrtarget). A value that is
neither a link nor one of those words is almost always a typo (`vcrad`), and residents would
scan it: warn staff before it ships.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kiosk.directory.qrtarget import CARD_WORDS, NO_CODE_WORDS
from kiosk.packs.problems import WARNING, Problem, check


@check("directory")
def qr_values(folder: Path) -> Iterator[Problem]:
    from kiosk.packs.source import read_source

    pack, _problems = read_source(folder)  # their own problems are reported by the loader
    if pack is None:
        return
    items = [("sites.yaml", site) for site in pack.sites]
    table = next(
        (name for name in ("institutions.xlsx", "institutions.csv") if (folder / name).is_file()),
        "institutions.csv",
    )
    items += [(table, inst) for inst in pack.institutions]
    for file, item in items:
        value = item.qr.strip()
        if value.lower() in CARD_WORDS | NO_CODE_WORDS or ":" in value:
            continue
        yield Problem(
            file,
            None,
            "qr",
            f"“{item.name}”的二维码内容“{value}”既不是链接（如 https://…），也不是 vcard 或 无；"
            "终端会把这段文字原样做成二维码。请改成导航链接，或写 vcard（联系名片）、无（不显示）",
            WARNING,
        )
