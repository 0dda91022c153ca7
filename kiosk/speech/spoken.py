"""Text as it should be heard: numbers that are codes read digit by digit, marks dropped."""

from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
# A number followed by one of these is a quantity (2372元, 3号窗口, 70岁): read as a number.
QUANTITY_UNITS = "元块角岁个人天日月号次分秒小时周项件份名位层楼室条款%％万千百"
_RUN = re.compile(r"(?<![0-9.])([A-Za-z]?)(\d+)(?![0-9.])")
_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3])[:：]([0-5]\d)(?!\d)")
_DROP = re.compile(r"[（(]待核实[)）]|[*_#>|`~]+")


def digit_by_digit(number: str) -> str:
    return "".join(DIGITS[int(d)] for d in number)


def spoken(text: str) -> str:
    """Rewrite `text` for a speech engine.

    Runs of five or more digits (12348, phone numbers), years (2026年) and numbers right after a
    letter (ticket A012) are read digit by digit; times 8:30 become 8点30分; other numbers
    stay numbers, so 2372元 is read as an amount.
    """
    text = _DROP.sub(" ", text)
    text = _TIME.sub(lambda m: f"{int(m[1])}点" + (f"{int(m[2])}分" if int(m[2]) else "整"), text)

    def one(match: re.Match[str]) -> str:
        letter, number = match[1], match[2]
        after = text[match.end() : match.end() + 1]
        code = (
            bool(letter)
            or len(number) >= 5
            or after == "年"
            or (len(number) >= 3 and number.startswith("0"))
        )
        if code or (len(number) >= 3 and after not in QUANTITY_UNITS and after.strip()):
            return letter + digit_by_digit(number)
        return letter + number

    text = _RUN.sub(one, text)
    return re.sub(r"\s+", " ", text).strip()
