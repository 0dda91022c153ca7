"""Chinese line breaking and Markdown blocks used by the screens and the printed slips."""

from __future__ import annotations

import pytest

from kiosk import cjkwrap
from kiosk.mdblocks import blocks


def width(text: str) -> float:
    # A monospace stand-in: CJK and full-width punctuation 2 units, everything else 1.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def test_chinese_breaks_between_characters_and_fits():
    lines = cjkwrap.wrap("请携带身份证和收入证明到窗口办理", 10, width)
    assert all(width(line) <= 10 for line in lines)
    assert "".join(lines) == "请携带身份证和收入证明到窗口办理"


def test_closing_punctuation_never_starts_a_line_and_opening_never_ends_one():
    text = "法律援助，法律咨询。（免费）人民调解《法律援助法》"
    for limit in range(6, 30):
        lines = cjkwrap.wrap(text, limit, width)
        assert "".join(lines) == text
        for line in lines:
            assert line[0] not in cjkwrap.NO_LINE_START, (limit, lines)
            assert line[-1] not in cjkwrap.NO_LINE_END, (limit, lines)


@pytest.mark.parametrize("token", ["12348", "9:00-12:00", "ID", "2026-11-27"])
def test_numbers_and_latin_words_stay_whole(token):
    text = f"咨询电话{token}工作时间"
    for limit in range(len(token) + 1, 40):
        lines = cjkwrap.wrap(text, limit, width)
        assert any(token in line for line in lines), (limit, lines)


def test_explicit_newlines_and_overlong_words():
    assert cjkwrap.wrap("第一行\n第二行", 100, width) == ["第一行", "第二行"]
    lines = cjkwrap.wrap("x" * 25, 10, width)
    assert lines == ["x" * 10, "x" * 10, "x" * 5]
    assert cjkwrap.wrap("", 10, width) == [""]


def test_markdown_blocks_cover_headings_lists_and_tables():
    result = blocks(
        "# 标题\n\n段落一\n\n1. 第一\n2. 第二\n\n- 甲\n\n| 事项 | 电话 |\n|---|---|\n| 投诉 | 待核实 |\n"
    )
    assert [b.kind for b in result] == [
        "heading",
        "paragraph",
        "item",
        "item",
        "item",
        "row",
        "row",
    ]
    assert result[0].level == 1 and result[0].text == "标题"
    assert [b.marker for b in result[2:5]] == ["1.", "2.", "•"]
    assert result[-1].text == "投诉  |  待核实"


def test_a_number_and_its_unit_are_never_split():
    from kiosk import cjkwrap

    def width(text: str) -> float:
        return float(len(text))

    for text, limit, whole in (
        ("月收入低于2372元的可以申请", 9, "2372元"),
        ("2026年12月03日 周四 10:45", 12, "03日"),
    ):
        lines = cjkwrap.wrap(text, limit, width)
        assert len(lines) > 1 and any(whole in line for line in lines), lines
    assert "2372元" in cjkwrap.tokens("低于2372元")
