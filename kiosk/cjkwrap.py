"""Line breaking for Chinese text, shared by the screen (Kivy) and the printed ticket (Pillow).

Kivy and Pillow only break at ASCII spaces. Chinese lines break between words, never inside
one (看原文, 农民工, 请拨打: a resident who reads slowly loses the word otherwise): runs of
Chinese are segmented into words by rjieba (jieba's dictionary and algorithm in Rust, the
dictionary built into the wheel, so it works offline; ~0.2 s and ~30 MB once per process,
then ~3 µs a phrase). Closing punctuation never starts a line, opening punctuation never ends
one, numbers or Latin words (12348, 9:00-12:00, ID) stay whole, and a number keeps its unit
(2372元, 03日). A word wider than the whole line still breaks where it must.

The screen loads the segmenter off the first-frame path (`defer()`, then `load_words()` in a
thread after the first frame, then every label re-wraps); until then lines break between
characters as before. Other callers (the printed ticket, the CLI) load it on first use.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

NO_LINE_START = set("，。、；：？！）》」』】〕〗”’…%·,.;:?!)]}>－—～")
NO_LINE_END = set("（《「『【〔〖“‘([{<")
# A unit stays on the line of its number: 2372元, 3号, 12月03日, 70岁, 5个工作日.
UNITS = set("元角分岁年月日号个人天次时秒周项件份名位层楼室条款万千百亿米里斤")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.:/@_+#&'%-]*|\s+|.", re.S)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

Measure = Callable[[str], float]
Cut = Callable[[str], list[str]]

_cut: Cut | None = None
_deferred = False
_lock = threading.Lock()


def defer() -> None:
    """Do not load the segmenter on first use (the UI loads it after its first frame)."""
    global _deferred
    _deferred = True


def load_words() -> bool:
    """Load the word segmenter now (idempotent, thread-safe); False if it cannot be had, in
    which case lines break between characters as before."""
    global _cut
    with _lock:
        if _cut is None:
            try:
                import rjieba

                rjieba.cut("法律")  # builds the dictionary now, not on the first real line
                _cut = rjieba.cut
            except Exception:  # a kiosk without the segmenter still shows every word
                log.exception("word segmentation unavailable: breaking between characters")
                return False
    return True


def words_ready() -> bool:
    return _cut is not None


def words(run: str) -> list[str]:
    """A run of Chinese characters as words (or as characters while no segmenter is loaded)."""
    if _cut is None and not _deferred:
        load_words()
    cut = _cut
    if cut is None:
        return list(run)
    return [w for w in cut(run) if w]


def _segmented(text: str, raw: list[str]) -> list[str]:
    """Single Han characters from the tokenizer joined into words. The whole paragraph is
    segmented at once, so each word is found in its context (第四十二条 whole)."""
    if not any(len(piece) == 1 and _HAN.match(piece) for piece in raw):
        return raw
    cut = words(text)
    if len(cut) == len(text):  # one character a piece: nothing to join
        return raw
    edges, at = set(), 0
    for word in cut:
        at += len(word)
        edges.add(at)
    out: list[str] = []
    run, at = "", 0
    for piece in raw:
        han = len(piece) == 1 and _HAN.match(piece)
        if run and (not han or at in edges):
            out.append(run)
            run = ""
        if han:
            run += piece
        else:
            out.append(piece)
        at += len(piece)
    if run:
        out.append(run)
    return out


def tokens(text: str, by_word: bool = True) -> list[str]:
    """Unbreakable pieces: words/numbers whole, Chinese words whole (or, with `by_word`
    False, Chinese characters one by one), punctuation glued on."""
    raw = _TOKEN.findall(text)
    if by_word:
        raw = _segmented(text, raw)
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
        # a unit, or a word starting with one (3个人), stays with its number
        unit = glued and piece[:1] in UNITS and glued[-1][-1:].isdigit()
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

    def place(piece: str) -> None:
        nonlocal line, line_width
        if not line and piece.isspace():
            return
        piece_width = size(piece)
        if line and line_width + piece_width > width:
            lines.append(line.rstrip())
            line, line_width = "", 0.0
            if piece.isspace():
                return
        line += piece
        line_width += piece_width

    for paragraph in text.split("\n"):
        line, line_width = "", 0.0
        for piece in tokens(paragraph):
            if size(piece) <= width:
                place(piece)
                continue
            # A word wider than the line: its characters (punctuation still glued on), and
            # a piece wider than the line even so breaks wherever it must.
            for part in tokens(piece, by_word=False):
                if size(part) <= width:
                    place(part)
                    continue
                for char in part:
                    char_width = size(char)
                    if line and line_width + char_width > width:
                        lines.append(line)
                        line, line_width = "", 0.0
                    line += char
                    line_width += char_width
        lines.append(line.rstrip())
    return lines
