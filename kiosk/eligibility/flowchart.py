"""The rules as a flowchart (questions -> rules -> outcomes) for the legal-aid centre's sign-off.

Writes Graphviz DOT; renders PNG with the `dot` program when it is installed, using the
bundled Simplified-Chinese font so the chart reads the same on any machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.eligibility import conditions
from kiosk.eligibility.rules import RuleSet

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT = "Noto Sans SC"
OUTCOME_COLOURS = {
    "likely_eligible": "#1E6B34",
    "may_not_be_eligible": "#8A4B00",
    "staff_check": "#1B56A0",
}
WRAP = 30
DERIVED_NAMES = {
    "income_per_person": "家庭月人均收入",
    "net_income_per_person": "扣除必要支出后的月人均收入",
}


def _wrap(text: str, width: int = WRAP) -> str:
    """Break after separators (，/ ：) when a line gets long; never inside a word."""
    lines, line = [], ""
    for piece in re.split(r"(?<=[，/：）])", text):
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = piece.lstrip()
        else:
            line += piece
    lines.append(line)
    return "\n".join(lines)


def _describer(ruleset: RuleSet) -> tuple[Callable[[str], str], Callable[[str, Any], str]]:
    def name(key: str) -> str:
        question = ruleset.question(key)
        if question is not None:
            return question.short
        if key in ruleset.params:
            return ruleset.params[key].name
        return DERIVED_NAMES.get(key, key)

    def value(key: str, item: Any) -> str:
        question = ruleset.question(key)
        option = question.option(item) if question is not None else None
        if option is not None:
            return option.label
        return conditions._word(item)

    return name, value


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(ruleset: RuleSet) -> str:
    out = [
        "digraph eligibility {",
        f'  graph [rankdir=TB, fontname="{FONT}", fontsize=16, nodesep=0.4, ranksep=0.5,'
        f" label={_quote(f'{ruleset.title} 规则版本 {ruleset.version}')}, labelloc=t];",
        f'  node [fontname="{FONT}", fontsize=12, shape=box, style="rounded,filled",'
        ' fillcolor="#FFFFFF"];',
        f'  edge [fontname="{FONT}", fontsize=10];',
        "  subgraph cluster_questions {",
        f"    label={_quote('问题（按顺序；写了“仅当”的，条件成立才问）')};",
        '    style=filled; fillcolor="#F4F1EA";',
    ]
    name, value = _describer(ruleset)
    for number, question in enumerate(ruleset.questions, start=1):
        label = f"{number}. {question.short}\n[{question.id}]"
        if question.ask_if is not None:
            label += "\n仅当：" + _wrap(conditions.describe(question.ask_if, name, value))
        if question.unsure:
            label += f"\n（可答“{question.unsure}”）"
        out.append(f"    q_{question.id} [label={_quote(label)}];")
    for first, second in zip(ruleset.questions, ruleset.questions[1:], strict=False):
        out.append(f"    q_{first.id} -> q_{second.id} [style=dashed];")
    out.append("  }")
    out += [
        "  subgraph cluster_rules {",
        f"    label={_quote('规则（自上而下，第一条成立的决定结果）')};",
        '    style=filled; fillcolor="#EAF0F7";',
    ]
    for number, rule in enumerate(ruleset.rules, start=1):
        label = f"规则{number} {rule.id}\n如果：" + _wrap(
            conditions.describe(rule.when, name, value)
        )
        label += f"\n经济困难审查：{rule.means_test}"
        out.append(f"    r_{rule.id} [label={_quote(label)}];")
    for first, second in zip(ruleset.rules, ruleset.rules[1:], strict=False):
        out.append(f"    r_{first.id} -> r_{second.id} [label={_quote('否则')}];")
    out.append("  }")
    if ruleset.questions and ruleset.rules:
        out.append(
            f"  q_{ruleset.questions[-1].id} -> r_{ruleset.rules[0].id}"
            f" [label={_quote('回答完毕')}, style=bold];"
        )
    for oid, outcome in ruleset.outcomes.items():
        colour = OUTCOME_COLOURS.get(oid, "#444444")
        out.append(
            f"  o_{oid} [label={_quote(outcome.title + chr(10) + oid)}, shape=box,"
            f' fillcolor="{colour}", fontcolor="#FFFFFF", fontsize=14];'
        )
    for rule in ruleset.rules:
        if rule.outcome in ruleset.outcomes:
            colour = OUTCOME_COLOURS.get(rule.outcome, "#444444")
            out.append(f'  r_{rule.id} -> o_{rule.outcome} [color="{colour}"];')
    out.append("}")
    return "\n".join(out) + "\n"


def dot_program() -> str | None:
    return shutil.which("dot")


def render_png(dot_file: Path, png_file: Path, timeout: float = 60) -> None:
    """Run Graphviz on `dot_file`; the bundled font is made visible to it via fontconfig."""
    program = dot_program()
    if program is None:
        raise FileNotFoundError("dot")
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp) / "fonts.conf"
        conf.write_text(
            '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
            f'<dir>{FONT_DIR}</dir><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
            f"<cachedir>{tmp}/cache</cachedir></fontconfig>",
            encoding="utf-8",
        )
        env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
        subprocess.run(
            [program, "-Tpng", "-Gdpi=110", str(dot_file), "-o", str(png_file)],
            check=True,
            capture_output=True,
            env=env,
            timeout=timeout,
        )
