"""The rules lint: what staff see when the rule file is wrong or getting old."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from kiosk import features
from kiosk.eligibility import lint, rules
from kiosk.packs import problems
from kiosk.packs.problems import ERROR, WARNING
from tests.conftest import CONTENT

FRESH = date(2025, 6, 1)


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(CONTENT, folder)
    return folder


def edit(folder: Path, old: str, new: str, file: str = rules.RULES_FILE) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(folder: Path, needle: str) -> int:
    lines = (folder / rules.RULES_FILE).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def errors(found):
    return [p for p in found if p.severity == ERROR]


def test_the_bundled_rules_have_no_errors_and_flag_the_unverified_line():
    found = lint.lint_folder(CONTENT, today=FRESH)
    assert errors(found) == []
    assert [p.field for p in found] == ["params.income_line"]
    assert "待核实" in found[0].message and found[0].severity == WARNING
    assert lint.lint_cases(CONTENT, today=FRESH) == []


def test_a_standard_older_than_twelve_months_is_a_warning():
    on_time = lint.lint_folder(CONTENT, today=date(2025, 12, 31))
    late = lint.lint_folder(CONTENT, today=date(2026, 1, 2))
    assert not any("超过12个月" in p.message for p in on_time)
    stale = [p for p in late if "超过12个月" in p.message]
    assert len(stale) == 1 and stale[0].severity == WARNING
    assert stale[0].file == "legal_aid/rules.yaml" and stale[0].line


def test_unknown_fact_in_a_rule_is_an_error_with_its_line(pack):
    edit(pack, "when: {high_value_assets: true}", "when: {big_house: true}")
    found = errors(lint.lint_folder(pack, today=FRESH))
    assert len(found) == 1
    assert "big_house" in found[0].message and "未知事实" in found[0].message
    assert found[0].field == "rules.assets_over.when"
    assert found[0].line == line_of(pack, "- id: assets_over")


def test_missing_outcome_is_an_error(pack):
    edit(
        pack,
        "    outcome: may_not_be_eligible\n    means_test: required_not_met\n",
        "    outcome: maybe\n    means_test: required_not_met\n",
    )
    found = errors(lint.lint_folder(pack, today=FRESH))
    assert any("maybe" in p.message and "缺少结果" in p.message for p in found)


def test_an_outcome_text_left_out_is_an_error(pack):
    edit(pack, "  staff_check:\n    title:", "  staff_check_old:\n    title:")
    found = errors(lint.lint_folder(pack, today=FRESH))
    messages = " ".join(p.message for p in found)
    assert "staff_check" in messages and "缺少结果" in messages


def test_dangling_article_is_an_error(pack):
    edit(
        pack,
        "cite: [legal_aid_law:34, legal_aid_law:41]",
        "cite: [legal_aid_law:34, legal_aid_law:99]",
    )
    found = errors(lint.lint_folder(pack, today=FRESH))
    assert len(found) == 1
    assert "legal_aid_law:99" in found[0].message and "articles.yaml" in found[0].message


def test_deleted_article_text_makes_citations_dangle(pack):
    edit(pack, "    article: 42\n", "    article: 420\n", rules.ARTICLES_FILE)
    found = errors(lint.lint_folder(pack, today=FRESH))
    assert any("legal_aid_law:42" in p.message for p in found)


def test_rule_table_must_end_with_the_catch_all(pack):
    edit(
        pack,
        "  - id: means_unknown\n    when: {}\n",
        "  - id: means_unknown\n    when: {matter: other}\n",
    )
    found = errors(lint.lint_folder(pack, today=FRESH))
    assert any("其余情况" in p.message for p in found)


def test_a_value_a_question_cannot_give_is_an_error(pack):
    edit(pack, "when: {matter: criminal_defence}", "when: {matter: criminal_defense}")
    found = errors(lint.lint_folder(pack, today=FRESH))
    assert any("criminal_defense" in p.message for p in found)


def test_ask_if_may_not_use_a_later_question(pack):
    edit(
        pack, "ask_if: {matter: [labour_or_wages, personal_injury]}", "ask_if: {household_size: 1}"
    )
    found = errors(lint.lint_folder(pack, today=FRESH))
    assert any(
        "还没有问到" in p.message and p.field == "questions.migrant_worker.ask_if" for p in found
    )


def test_unknown_placeholder_and_document_are_errors(pack):
    edit(pack, "每人每月约 {net_income_per_person} 元。", "每人每月约 {net_income} 元。")
    edit(pack, "documents: [id_card, matter_papers]", "documents: [id_card, passport]")
    messages = " ".join(p.message for p in errors(lint.lint_folder(pack, today=FRESH)))
    assert "{net_income}" in messages and "passport" in messages


def test_yaml_syntax_error_names_the_line(pack):
    edit(pack, "title: 法律援助自测\n", "title: [法律援助自测\n")
    found = lint.lint_folder(pack, today=FRESH)
    assert len(found) == 1 and found[0].severity == ERROR and found[0].line


def test_failing_cases_are_errors_with_their_row(pack):
    edit(
        pack,
        "B3,边界：扣除支出后月人均恰好等于标准,2025-03-01,support_payments,,否,2,5000,256,",
        "B3,边界：扣除支出后月人均恰好等于标准,2025-03-01,support_payments,,否,2,5000,256.02,",
        rules.CASES_FILE,
    )
    found = lint.lint_cases(pack, today=FRESH)
    assert len(found) == 1
    assert found[0].file == rules.CASES_FILE and found[0].line == 6 and found[0].field == "B3"


def test_the_checks_are_registered_for_pack_validation():
    registered = dict(problems.load_checks())
    assert "kiosk.eligibility.lint" in features.check_modules()
    assert "法律援助自测规则" in registered and "法律援助自测案例表" in registered


def test_a_pack_without_rules_has_nothing_to_report(tmp_path):
    (tmp_path / "pack.yaml").write_text("id: x\n", encoding="utf-8")
    assert lint.lint_folder(tmp_path) == [] and lint.lint_cases(tmp_path) == []
