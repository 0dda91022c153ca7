"""Lines break between words, never inside one (看原/文, 农民/工, 请拨/打) nor between a number
and its unit (2372/元) — checked on every text of the bundled content pack."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from kiosk import cjkwrap
from tests.conftest import ROOT

PACK = ROOT / "content" / "yubei"
HAN = re.compile(r"[\u4e00-\u9fff]")


def width(text: str) -> float:
    """Like the bundled font: a Chinese character twice as wide as a Latin one."""
    return sum(2.0 if ord(c) > 0x2E80 else 1.0 for c in text)


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def pack_texts() -> list[str]:
    """Every Chinese paragraph residents can meet: YAML values, CSV cells, Markdown lines."""
    found: list[str] = []
    for path in sorted(PACK.rglob("*")):
        if path.suffix in (".yaml", ".yml"):
            found += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
        elif path.suffix == ".csv":
            with path.open(encoding="utf-8") as handle:
                found += [cell for row in csv.reader(handle) for cell in row]
        elif path.suffix == ".md":
            found += path.read_text(encoding="utf-8").splitlines()
    paragraphs = {p.strip() for text in found for p in text.split("\n")}
    return sorted(p for p in paragraphs if len(HAN.findall(p)) >= 4)


def word_spans(paragraph: str) -> list[tuple[int, int]]:
    """Where each Chinese word of two or more characters lies in `paragraph`."""
    import rjieba

    spans, at = [], 0
    for word in rjieba.cut(paragraph):
        if len(word) >= 2 and all(HAN.match(c) for c in word):
            spans.append((at, at + len(word)))
        at += len(word)
    return spans


def breaks(paragraph: str, lines: list[str]) -> list[int]:
    """Offsets in `paragraph` where `wrap` ended a line (spaces dropped at breaks)."""
    offsets, at = [], 0
    for line in lines[:-1]:
        at = paragraph.index(line, at) + len(line)
        offsets.append(at)
    return offsets


def mid_word(paragraph: str, limit: float) -> list[str]:
    lines = cjkwrap.wrap(paragraph, limit, width)
    bad = []
    for offset in breaks(paragraph, lines):
        for start, end in word_spans(paragraph):
            # the word with the punctuation that may not leave it: （第三十一条）。
            left, right = start, end
            while left > 0 and paragraph[left - 1] in cjkwrap.NO_LINE_END:
                left -= 1
            while right < len(paragraph) and paragraph[right] in cjkwrap.NO_LINE_START:
                right += 1
            whole = width(paragraph[left:right]) <= limit  # else something has to give
            if start < offset < end and whole:
                bad.append(f"{paragraph[start:offset]}/{paragraph[offset:end]} in {lines}")
    units = re.finditer(r"\d([" + "".join(sorted(cjkwrap.UNITS)) + "])", paragraph)
    bad += [
        f"{paragraph[m.start() : m.end()]} split in {lines}"
        for m in units
        if m.start() + 1 in breaks(paragraph, lines)
    ]
    return bad


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("点击下面的按钮看原文", "原文"),
        ("农民工讨要工资可以申请法律援助", "农民工"),
        ("法律咨询请拨打12348", "拨打"),
        ("月收入低于2372元的可以申请", "2372元"),
    ],
)
def test_the_words_residents_tripped_on_stay_whole_at_every_width(text, word):
    for limit in range(int(width(word)), int(width(text)) + 2):
        lines = cjkwrap.wrap(text, limit, width)
        assert "".join(lines) == text
        assert any(word in line for line in lines), (limit, lines)


def test_no_line_of_the_content_pack_breaks_inside_a_word_at_any_width():
    texts = pack_texts()
    assert len(texts) > 200, "the bundled pack's texts were found"
    problems = []
    for paragraph in texts:
        for limit in (12, 17, 23, 31, 40):  # 6 to 20 Chinese characters a line
            problems += mid_word(paragraph, limit)
    assert not problems, "\n".join(problems[:20])


def test_without_a_segmenter_lines_still_break_between_characters(monkeypatch):
    """A kiosk that cannot load the segmenter still shows every word (the old behaviour)."""
    monkeypatch.setattr(cjkwrap, "_cut", None)
    monkeypatch.setattr(cjkwrap, "_deferred", True)
    lines = cjkwrap.wrap("农民工讨要工资", 6, width)
    assert "".join(lines) == "农民工讨要工资"
    assert lines[0] == "农民工"  # three characters a line, whatever the words
    assert cjkwrap.tokens("农民工") == ["农", "民", "工"]


def test_a_word_wider_than_the_line_breaks_by_character_with_punctuation_rules():
    lines = cjkwrap.wrap("（中华人民共和国法律援助法）", 8, width)
    assert "".join(lines) == "（中华人民共和国法律援助法）"
    assert all(line[0] not in cjkwrap.NO_LINE_START for line in lines)
    assert all(line[-1] not in cjkwrap.NO_LINE_END for line in lines)
    assert all(width(line) <= 8 for line in lines)


def test_the_ticket_printer_and_the_cli_load_the_segmenter_on_first_use():
    # In this (non-UI) process nothing deferred it: the first wrap loads it.
    assert not cjkwrap._deferred
    cjkwrap.wrap("法律援助", 4, width)
    assert cjkwrap.words_ready()


def test_the_pack_texts_include_markdown_pages():
    assert any(Path(p).suffix == ".md" for p in PACK.rglob("*.md"))
