"""Staff case tables: one row per case, the answers and the expected result.

A row is replayed through the walkthrough exactly as a resident would answer: a blank answer
cell means "this question must not be asked", 不确定 (or ?) means "asked, answered 不确定".
So a table catches both wrong results and broken `ask_if` edits. Expected columns (blank: not
checked): expect_outcome, expect_means_test, expect_rule, expect_urgent (是/否), expect_citations
(exactly these; "31" means legal_aid_law:31), expect_documents and expect_places (at least
these ids). CSV (UTF-8, as Excel saves it) or XLSX, first sheet; the header is row 1.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.eligibility.engine import FactsError, Result, coerce, evaluate
from kiosk.eligibility.rules import Citation, RulesError, RuleSet
from kiosk.eligibility.walkthrough import UNSURE, Walkthrough
from kiosk.errors import KioskError

DEFAULT_LAW = "legal_aid_law"
EXPECT_COLUMNS = (
    "expect_outcome",
    "expect_means_test",
    "expect_rule",
    "expect_urgent",
    "expect_citations",
    "expect_documents",
    "expect_places",
)


class CasesError(KioskError):
    """The case table cannot be read."""


@dataclass
class Case:
    row: int  # spreadsheet row (header = 1)
    case_id: str
    description: str
    day: date
    cells: dict[str, str]  # question id -> raw cell text ("" = not asked)
    expect: dict[str, str]


@dataclass
class CaseRun:
    case: Case
    result: Result | None
    asked: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case.case_id,
            "row": self.case.row,
            "description": self.case.description,
            "passed": self.passed,
            "failures": self.failures,
            "asked": self.asked,
            "outcome": self.result.outcome if self.result else None,
            "rule": self.result.rule if self.result else None,
        }


def read_rows(file: Path) -> list[dict[str, str]]:
    file = Path(file)
    if not file.is_file():
        raise CasesError(f"{file}: 文件不存在")
    if file.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(file, read_only=True, data_only=True).worksheets[0]
        rows = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        if not rows:
            return []
        header = [h.strip() for h in rows[0]]
        return [dict(zip(header, row, strict=False)) for row in rows[1:]]
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            return [
                {(k or "").strip(): (v or "") for k, v in row.items()}
                for row in csv.DictReader(handle)
            ]
    except UnicodeDecodeError:
        raise CasesError(f"{file}: 不是 UTF-8 编码的 CSV（在 Excel 中另存为“CSV UTF-8”）") from None


def load_cases(ruleset: RuleSet, file: Path, today: date) -> list[Case]:
    rows = read_rows(file)
    if rows and "case_id" not in rows[0]:
        raise CasesError(f"{file}: 第1行应是表头，并有 case_id 列")
    cases = []
    for number, row in enumerate(rows, start=2):
        if not any(str(v).strip() for v in row.values()):
            continue
        raw_day = (row.get("date") or "").strip()
        try:
            day = date.fromisoformat(raw_day[:10]) if raw_day else today
        except ValueError:
            raise CasesError(
                f"{file} 第{number}行 [date]: “{raw_day}”不是日期（2025-03-01）"
            ) from None
        cases.append(
            Case(
                row=number,
                case_id=(row.get("case_id") or f"row{number}").strip(),
                description=(row.get("description") or "").strip(),
                day=day,
                cells={q.id: (row.get(q.id) or "").strip() for q in ruleset.questions},
                expect={c: (row.get(c) or "").strip() for c in EXPECT_COLUMNS},
            )
        )
    return cases


def _choice_value(ruleset: RuleSet, question_id: str, cell: str) -> str:
    """Staff may write an option's Chinese label instead of its id."""
    question = ruleset.question(question_id)
    if question is not None and question.type == "choice":
        for option in question.options:
            if cell == option.label:
                return str(option.value)
    return cell


def run_case(ruleset: RuleSet, case: Case, pack: Any = None, site_id: str = "") -> CaseRun:
    run = CaseRun(case, None)
    walk = Walkthrough(ruleset)
    try:
        answers = {
            qid: coerce(ruleset.question(qid), _choice_value(ruleset, qid, cell))  # type: ignore[arg-type]
            for qid, cell in case.cells.items()
            if cell
        }
    except FactsError as exc:
        run.failures.append(f"答案写法有误：{exc}")
        return run
    # Replay: answer only what the walkthrough asks.
    for _ in range(len(ruleset.questions) + 1):
        question = walk.current(case.day)
        if question is None:
            break
        run.asked.append(question.id)
        if not case.cells.get(question.id):
            run.failures.append(f"会问到“{question.short}”（{question.id}），但表中这一格是空的")
            walk.answer(question.id, UNSURE if question.unsure else question.allowed()[0], case.day)
            continue
        walk.answer(question.id, answers[question.id], case.day)
    for qid in answers:
        if qid not in run.asked:
            run.failures.append(f"填写了 {qid}，但按前面的回答不会问到这个问题")
    try:
        result = evaluate(ruleset, walk.facts(), case.day, pack, site_id)
    except RulesError as exc:
        run.failures.append(str(exc))
        return run
    run.result = result
    run.failures += _compare(case.expect, result)
    return run


def _compare(expect: dict[str, str], result: Result) -> list[str]:
    failures = []
    for key, actual in (
        ("expect_outcome", result.outcome),
        ("expect_means_test", result.means_test),
        ("expect_rule", result.rule),
    ):
        if expect.get(key) and expect[key] != actual:
            failures.append(f"{key[7:]}：应为 {expect[key]}，实际为 {actual}")
    if expect.get("expect_urgent"):
        wanted = expect["expect_urgent"].lower() in {"是", "yes", "true", "1"}
        if wanted != result.urgent:
            failures.append(
                f"urgent：应为 {'是' if wanted else '否'}，实际为 {'是' if result.urgent else '否'}"
            )
    if expect.get("expect_citations"):
        wanted_c = {_citation(t) for t in expect["expect_citations"].split()}
        actual_c = set(result.citations)
        if wanted_c != actual_c:
            failures.append(f"citations：应为 {_show(wanted_c)}，实际为 {_show(actual_c)}")
    for key, items in (
        ("expect_documents", {d.id for d in result.documents}),
        ("expect_places", {p.id for p in result.places}),
    ):
        missing = [i for i in expect.get(key, "").split() if i not in items]
        if missing:
            failures.append(
                f"{key[7:]}：缺少 {' '.join(missing)}（实际为 {' '.join(sorted(items))}）"
            )
    return failures


def _citation(token: str) -> Citation:
    return Citation.parse(token if ":" in token else f"{DEFAULT_LAW}:{token}")


def _show(citations: set[Citation]) -> str:
    return " ".join(
        str(c.article) if c.law == DEFAULT_LAW else f"{c.law}:{c.article}"
        for c in sorted(citations, key=lambda c: (c.law, c.article))
    )


def run_file(
    ruleset: RuleSet, file: Path, today: date, pack: Any = None, site_id: str = ""
) -> list[CaseRun]:
    return [run_case(ruleset, case, pack, site_id) for case in load_cases(ruleset, file, today)]
