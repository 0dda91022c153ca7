"""Line breaking for Chinese text, shared by the screen (Kivy) and the printed ticket (Pillow).

Kivy and Pillow only break at ASCII spaces. Chinese may break between any two characters,
except that closing punctuation never starts a line, opening punctuation never ends one, and
numbers or Latin words (12348, 9:00-12:00, ID) stay whole, and a number keeps its unit
(2372元, 03日).
"""

from __future__ import annotations

import re
from collections.abc import Callable

NO_LINE_START = set("，。、；：？！）》」』】〕〗”’…%·,.;:?!)]}>－—～")
NO_LINE_END = set("（《「『【〔〖“‘([{<")
# A unit stays on the line of its number: 2372元, 3号, 12月03日, 70岁, 5个工作日.
UNITS = set("元角分岁年月日号个人天次时秒周项件份名位层楼室条款万千百亿米里斤")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.:/@_+#&'%-]*|\s+|.", re.S)

Measure = Callable[[str], float]


def tokens(text: str) -> list[str]:
    """Unbreakable pieces: words/numbers whole, CJK one by one, punctuation glued on."""
    raw = _TOKEN.findall(text)
    glued: list[str] = []
    pending_open = ""
    for piece in raw:
        if piece in NO_LINE_END:
            pending_open += piece
            continue
        if pending_open:
            piece = pending_open + piece
            pending_open = ""
        closing = glued and piece[0] in NO_LINE_START and not glued[-1].isspace()
        unit = glued and piece in UNITS and glued[-1][-1:].isdigit()
        if closing or unit:
            glued[-1] += piece
        else:
            glued.append(piece)
    if pending_open:
        glued.append(pending_open)
    return glued


def wrap(text: str, width: float, measure: Measure) -> list[str]:
    """Break `text` into lines no wider than `width` (as measured), keeping explicit newlines."""
    lines: list[str] = []
    cache: dict[str, float] = {}

    def size(piece: str) -> float:
        if piece not in cache:
            cache[piece] = measure(piece)
        return cache[piece]

    for paragraph in text.split("\n"):
        line, line_width = "", 0.0
        for piece in tokens(paragraph):
            if not line and piece.isspace():
                continue
            piece_width = size(piece)
            if line and line_width + piece_width > width:
                lines.append(line.rstrip())
                line, line_width = "", 0.0
                if piece.isspace():
                    continue
            if piece_width > width:
                # A single word wider than the line: break it wherever it must break.
                for char in piece:
                    char_width = size(char)
                    if line and line_width + char_width > width:
                        lines.append(line)
                        line, line_width = "", 0.0
                    line += char
                    line_width += char_width
                continue
            line += piece
            line_width += piece_width
        lines.append(line.rstrip())
    return lines
