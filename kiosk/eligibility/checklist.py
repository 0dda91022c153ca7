"""What a resident takes away: the checklist as a printable Slip and as QR-code text.

Built from the result only — outcome, documents, places, alternatives — never from the answers:
no income, no household size, nothing that says who the resident is.
"""

from __future__ import annotations

from kiosk.eligibility.engine import Result
from kiosk.eligibility.rules import chinese_date
from kiosk.slips import Slip

TITLE = "法律援助申请材料清单"
QR_LIMIT = 600  # bytes of UTF-8: small enough for a phone to read off the screen


def place_line(place: object) -> str:
    name = getattr(place, "name", "")
    window = getattr(place, "window", "")
    address = getattr(place, "address", "")
    parts = [name + (f"（{window}）" if window else "")]
    if address:
        parts.append(f"地址：{address}")
    return " ".join(parts)


def build_slip(result: Result, hotline: str = "12348") -> Slip:
    sections: list[tuple[str, tuple[str, ...]]] = [
        ("自测结果", (f"{result.title}（仅供参考，不是审批决定）",)),
    ]
    if result.urgent and result.urgent_text:
        sections.append(("请尽快办理", (result.urgent_text,)))
    sections.append(
        (
            "请带上",
            tuple(f"{d.name}：{d.detail}" if d.detail else d.name for d in result.documents),
        )
    )
    sections.append(("去哪里办", tuple(f"{place_line(p)}。{p.role}" for p in result.places)))
    if result.alternatives:
        sections.append(
            (
                "其他免费途径",
                tuple(
                    " ".join(x for x in (a.name, a.phone or a.where) if x)
                    for a in result.alternatives
                ),
            )
        )
    sections.append(("请注意", (result.notice,)))
    line = result.income_line
    standard = f"；经济困难标准自{chinese_date(line.start)}起执行" if line else ""
    return Slip(
        title=TITLE,
        sections=tuple(sections),
        qr=qr_text(result, hotline),
        footer=f"免费法律咨询热线 {hotline} · 规则版本 {result.rules_version}{standard}",
    )


def qr_text(result: Result, hotline: str = "12348") -> str:
    """The checklist in a few lines, short enough for a QR code read off the screen."""
    lines = [
        f"{TITLE}（{result.title}，仅供参考）",
        "带：" + "；".join(d.name for d in result.documents),
        "去：" + "；".join(p.name + (f" {p.window}" if p.window else "") for p in result.places),
        f"咨询：{hotline}（免费）",
    ]
    text = "\n".join(lines)
    while len(text.encode("utf-8")) > QR_LIMIT and len(lines) > 2:
        lines.pop(-2)  # drop the places first, keep what to bring and the hotline
        text = "\n".join(lines)
    return text
