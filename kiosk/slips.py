"""A paper slip other than a queue ticket: e.g. the legal-aid checklist a resident takes away.

Features build a Slip from what they know (never anything about the resident); the tickets
package renders it with the bundled font and prints it through the configured printer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Slip:
    title: str
    # (heading, lines) in order; headings may be "" for an untitled block
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    qr: str = ""  # text a QR code on the slip carries; "" for none
    footer: str = ""  # e.g. 12348 and the complaint line
