"""The eligibility engine: facts contract, the case table, boundaries, dates, back/change."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kiosk.eligibility import conditions, engine, rules
from kiosk.eligibility.cases import load_cases, run_case, run_file
from kiosk.eligibility.walkthrough import UNSURE, Walkthrough
from kiosk.packs.source import load_source
from tests.conftest import CONTENT

CASES = CONTENT / "legal_aid" / "cases.csv"
DAY = date(2025, 3, 1)
MATTERS = [
    "state_compensation",
    "social_insurance_or_assistance",
    "bereavement_pension",
    "support_payments",
    "labour_or_wages",
    "civil_capacity",
    "personal_injury",
    "environmental_damage",
    "domestic_violence",
    "heroic_act",
    "martyr_rights",
    "retrial_acquittal_compensation",
    "criminal_defence",
    "criminal_victim",
    "land_contract",
    "contract_or_debt",
    "other",
]
FACTS = [
    "matter",
    "migrant_worker",
    "assistance_status",
    "high_value_assets",
    "deadline_within_7_days",
    "household_size",
    "monthly_household_income",
    "monthly_rigid_expenses",
]


@pytest.fixture(scope="module")
def pack():
    return load_source(CONTENT)


@pytest.fixture(scope="module")
def ruleset(pack):
    return rules.load_pack_rules(pack)


def check(ruleset, pack=None, day=DAY, site="yubei-center", **facts):
    return engine.evaluate(ruleset, engine.validate_facts(ruleset, facts), day, pack, site)


# --- the contract ----------------------------------------------------------------------------


def test_questions_set_exactly_the_facts_of_the_contract(ruleset):
    assert sorted(ruleset.fact_names) == sorted(FACTS)
    assert sorted(o.value for o in ruleset.question("matter").options) == sorted(MATTERS)
    for name in (
        "migrant_worker",
        "assistance_status",
        "high_value_assets",
        "deadline_within_7_days",
    ):
        assert ruleset.question(name).type == "yesno"
    for name in ("household_size", "monthly_household_income", "monthly_rigid_expenses"):
        assert ruleset.question(name).type == "number"


def test_result_has_the_contract_keys_and_values(ruleset, pack):
    result = check(ruleset, pack, matter="labour_or_wages", migrant_worker=True).as_dict()
    assert list(result)[:9] == [
        "outcome",
        "means_test",
        "citations",
        "documents",
        "places",
        "alternatives",
        "urgent",
        "rule",
        "rules_version",
    ]
    assert result["outcome"] == "likely_eligible"
    assert result["means_test"] == "waived_with_proof"
    assert {"law": "legal_aid_law", "article": 42} in result["citations"]
    assert all(isinstance(c["article"], int) for c in result["citations"])
    assert result["rules_version"] == "2025.1"
    assert result["urgent"] is False


def test_absent_and_null_facts_mean_unknown(ruleset):
    empty = check(ruleset)
    explicit = check(ruleset, **{name: None for name in FACTS})
    assert empty.rule == explicit.rule == "matter_unclear"
    assert empty.outcome == "staff_check"


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"matter": "wages"}, "不是可选的值"),
        ({"income": 3}, "无法识别的事实"),
        ({"migrant_worker": "maybe"}, "true/false"),
        ({"household_size": 0}, "最小值"),
        ({"household_size": 2.5}, "整数"),
        ({"monthly_household_income": -1}, "最小值"),
        ({"monthly_household_income": "abc"}, "不是数字"),
    ],
)
def test_bad_facts_are_refused_with_a_reason(ruleset, facts, message):
    with pytest.raises(engine.FactsError, match=message):
        engine.validate_facts(ruleset, facts)


# --- the case table --------------------------------------------------------------------------


def _runs(ruleset, pack):
    return run_file(ruleset, CASES, DAY, pack, "yubei-center")


def test_every_case_in_the_table_passes(ruleset, pack):
    failures = {r.case.case_id: r.failures for r in _runs(ruleset, pack) if not r.passed}
    assert failures == {}


def test_the_table_reaches_every_rule_outcome_question_and_means_test(ruleset, pack):
    runs = _runs(ruleset, pack)
    assert {r.result.rule for r in runs} == {rule.id for rule in ruleset.rules}
    assert {r.result.outcome for r in runs} == set(rules.OUTCOMES)
    assert {q for r in runs for q in r.asked} == set(ruleset.fact_names)
    assert {r.result.means_test for r in runs} == set(rules.MEANS_TESTS)
    assert any(r.result.urgent for r in runs) and not all(r.result.urgent for r in runs)


def test_boundary_pair_exactly_at_the_line_and_one_fen_below(ruleset):
    common = dict(
        matter="support_payments",
        assistance_status=False,
        household_size=2,
        monthly_household_income=5000,
        high_value_assets=False,
    )
    at_line = check(ruleset, monthly_rigid_expenses="256", **common)
    below = check(ruleset, monthly_rigid_expenses="256.02", **common)
    assert (at_line.outcome, at_line.rule) == ("may_not_be_eligible", "income_over")
    assert (below.outcome, below.rule) == ("likely_eligible", "low_net_income")
    assert "2372" in " ".join(at_line.why)
    assert "2371.99" in " ".join(below.why) and "2372" in " ".join(below.why)


def test_a_case_that_fills_a_question_never_asked_fails(ruleset):
    case = load_cases(ruleset, CASES, DAY)[0]  # A1: migrant worker, wages
    case.cells["household_size"] = "3"
    run = run_case(ruleset, case)
    assert not run.passed
    assert any("household_size" in f and "不会问到" in f for f in run.failures)


def test_a_case_with_a_blank_for_a_question_that_is_asked_fails(ruleset):
    case = next(c for c in load_cases(ruleset, CASES, DAY) if c.case_id == "B1")
    case.cells["high_value_assets"] = ""
    run = run_case(ruleset, case)
    assert any("价值较大的资产" in f for f in run.failures)


def test_a_wrong_expectation_is_reported(ruleset):
    case = next(c for c in load_cases(ruleset, CASES, DAY) if c.case_id == "B3")
    case.expect["expect_outcome"] = "likely_eligible"
    run = run_case(ruleset, case)
    assert run.failures == ["outcome：应为 likely_eligible，实际为 may_not_be_eligible"]


# --- dated parameters ------------------------------------------------------------------------


def _with_new_line(tmp_path: Path) -> rules.RuleSet:
    folder = tmp_path / "pack"
    shutil.copytree(CONTENT, folder)
    rule_file = folder / rules.RULES_FILE
    text = rule_file.read_text(encoding="utf-8")
    row = (
        "      - from: 2026-01-01\n"
        "        value: 2500\n"
        "        source: 测试用的新标准（不是真实数据）\n"
    )
    marker = "\nlaws:\n"
    rule_file.write_text(text.replace(marker, "\n" + row + marker, 1), encoding="utf-8")
    return rules.load_folder(folder)


def test_same_facts_on_two_dates_under_two_standards(tmp_path):
    ruleset = _with_new_line(tmp_path)
    assert [v.value for v in ruleset.params["income_line"].values] == [2372, 2500]
    facts = dict(
        matter="labour_or_wages",
        migrant_worker=False,
        assistance_status=False,
        household_size=1,
        monthly_household_income=2450,
        monthly_rigid_expenses=0,
        high_value_assets=False,
        deadline_within_7_days=False,
    )
    old = check(ruleset, day=date(2025, 12, 31), **facts)
    new = check(ruleset, day=date(2026, 1, 1), **facts)
    assert (old.outcome, old.rule) == ("may_not_be_eligible", "income_over")
    assert (new.outcome, new.rule) == ("likely_eligible", "low_income")
    assert old.income_line.value == 2372 and new.income_line.value == 2500
    assert "2026年1月1日起执行" in " ".join(new.why)


def test_before_any_standard_is_in_force_the_result_is_a_staff_check(ruleset):
    result = check(
        ruleset,
        day=date(2024, 6, 1),
        matter="support_payments",
        assistance_status=False,
        household_size=1,
        monthly_household_income=500,
        high_value_assets=False,
    )
    assert (result.outcome, result.means_test) == ("staff_check", "unknown")
    assert result.income_line is None


# --- waivers, urgency, places ----------------------------------------------------------------


def test_art42_waiver_lists_the_proof_of_status(ruleset):
    result = check(ruleset, matter="support_payments", assistance_status=True)
    assert result.means_test == "waived_with_proof"
    assert "status_proof" in [d.id for d in result.documents]
    assert "hardship_statement" not in [d.id for d in result.documents]


def test_art32_matters_need_no_means_test(ruleset):
    for matter in (
        "domestic_violence",
        "heroic_act",
        "martyr_rights",
        "retrial_acquittal_compensation",
    ):
        result = check(ruleset, matter=matter, monthly_household_income=99999, household_size=1)
        assert (result.outcome, result.means_test) == ("likely_eligible", "not_applicable")
        assert rules.Citation("legal_aid_law", 32) in result.citations


def test_deadline_under_seven_days_is_urgent_and_cites_art44(ruleset):
    urgent = check(ruleset, matter="domestic_violence", deadline_within_7_days=True)
    calm = check(ruleset, matter="domestic_violence", deadline_within_7_days=None)
    assert urgent.urgent and "第四十四条" in urgent.urgent_text
    assert rules.Citation("legal_aid_law", 44) in urgent.citations
    assert not calm.urgent and calm.urgent_text == ""
    assert rules.Citation("legal_aid_law", 44) not in calm.citations


def test_every_result_says_the_centre_decides_within_seven_days(ruleset):
    for run in _runs(ruleset, None):
        assert "7日内" in run.result.notice and "不是审批决定" in run.result.notice
        assert rules.Citation("legal_aid_law", 43) in run.result.citations


def test_places_come_from_the_pack_sites(ruleset, pack):
    at_station = check(ruleset, pack, site="shuanglonghu-station", matter="domestic_violence")
    station = next(p for p in at_station.places if p.id == "town_station")
    assert station.name == "渝北区双龙湖街道公共法律服务工作站" and station.here
    centre = next(p for p in at_station.places if p.id == "district_center")
    window = next(w for w in pack.site("yubei-center").windows if w.name == "法律援助")
    assert centre.window == f"{window.number} {window.name}".strip() and not centre.here
    at_centre = check(ruleset, pack, site="yubei-center", matter="domestic_violence")
    generic = next(p for p in at_centre.places if p.id == "town_station")
    assert generic.name.startswith("您所在镇") and generic.note and not generic.here


def test_alternatives_when_aid_is_unlikely(ruleset, pack):
    result = check(
        ruleset,
        pack,
        matter="contract_or_debt",
        assistance_status=False,
        household_size=1,
        monthly_household_income=9000,
        monthly_rigid_expenses=0,
    )
    assert result.outcome == "may_not_be_eligible"
    names = {a.id: a for a in result.alternatives}
    assert set(names) == {"mediation", "hotline", "consultation"}
    assert names["hotline"].phone == "12348"
    assert "人民调解" in names["mediation"].where


# --- the walkthrough: path, back, change -----------------------------------------------------


def test_walkthrough_asks_only_what_matters(ruleset):
    walk = Walkthrough(ruleset)
    assert walk.current(DAY).id == "matter"
    walk.answer("matter", "labour_or_wages", DAY)
    assert walk.current(DAY).id == "migrant_worker"
    walk.answer("migrant_worker", True, DAY)
    assert walk.current(DAY).id == "deadline_within_7_days"
    walk.answer("deadline_within_7_days", False, DAY)
    assert walk.complete(DAY)
    assert [q.id for q in walk.answered(DAY)] == [
        "matter",
        "migrant_worker",
        "deadline_within_7_days",
    ]
    assert walk.result(DAY).rule == "migrant_worker_waived"


def test_changing_an_earlier_answer_drops_answers_that_no_longer_apply(ruleset):
    walk = Walkthrough(ruleset)
    walk.answer("matter", "labour_or_wages", DAY)
    walk.answer("migrant_worker", True, DAY)
    walk.answer("deadline_within_7_days", True, DAY)
    walk.answer("matter", "contract_or_debt", DAY)
    assert "migrant_worker" not in walk.answers
    assert walk.answers["deadline_within_7_days"] is True  # still asked, kept
    assert walk.current(DAY).id == "assistance_status"
    assert walk.previous("assistance_status", DAY).id == "matter"


def test_lower_income_drops_the_expenses_answer(ruleset):
    walk = Walkthrough(ruleset)
    for qid, value in [
        ("matter", "support_payments"),
        ("assistance_status", False),
        ("household_size", 1),
        ("monthly_household_income", 3000),
    ]:
        walk.answer(qid, value, DAY)
    assert walk.current(DAY).id == "monthly_rigid_expenses"
    walk.answer("monthly_rigid_expenses", 1000, DAY)
    walk.answer("monthly_household_income", 2000, DAY)  # now below the line before expenses
    assert "monthly_rigid_expenses" not in walk.answers
    assert walk.current(DAY).id == "high_value_assets"


def test_back_follows_the_current_path_not_the_clicks(ruleset):
    walk = Walkthrough(ruleset)
    walk.answer("matter", "support_payments", DAY)
    walk.answer("assistance_status", False, DAY)
    walk.answer("household_size", 2, DAY)
    assert walk.previous("monthly_household_income", DAY).id == "household_size"
    assert walk.previous("household_size", DAY).id == "assistance_status"
    assert walk.previous("matter", DAY) is None
    walk.answer("assistance_status", True, DAY)  # now no means questions
    assert "household_size" not in walk.answers
    assert walk.current(DAY).id == "deadline_within_7_days"
    assert walk.previous("deadline_within_7_days", DAY).id == "assistance_status"
    assert walk.previous(None, DAY).id == "assistance_status"  # from the review screen


def test_unsure_is_an_answer_and_reads_as_such(ruleset):
    walk = Walkthrough(ruleset)
    walk.answer("matter", UNSURE, DAY)
    assert walk.answers == {"matter": None}
    assert walk.answer_text(ruleset.question("matter")) == "说不清"
    assert walk.current(DAY).id == "deadline_within_7_days"


def test_question_wording_depends_on_earlier_answers(ruleset):
    walk = Walkthrough(ruleset)
    walk.answer("matter", "personal_injury", DAY)
    assert "工伤" in walk.wording(ruleset.question("migrant_worker"), DAY)
    walk.answer("matter", "labour_or_wages", DAY)
    assert "工伤" not in walk.wording(ruleset.question("migrant_worker"), DAY)


# --- the condition language ------------------------------------------------------------------


def test_conditions_with_unknown_values_never_compare_true():
    values = {"a": None, "b": Decimal("5"), "line": Decimal("5")}
    look = values.get
    assert not conditions.holds({"a": {"lt": "line"}}, look)
    assert not conditions.holds({"a": {"gte": "line"}}, look)
    assert conditions.holds({"a": None}, look)
    assert conditions.holds({"a": ["x", None]}, look)
    assert conditions.holds({"b": {"gte": "line", "lt": 6}}, look)
    assert conditions.holds({"not": {"a": {"known": True}}}, look)
    assert conditions.holds({"any": [{"a": 1}, {"b": 5}]}, look)
    assert not conditions.holds({"all": [{"a": None}, {"b": 4}]}, look)


def test_formulas_allow_only_arithmetic():
    tree = conditions.parse_formula("(x - y) / n")
    assert conditions.compute(tree, {"x": 5000, "y": "256.02", "n": 2}.get) == Decimal("2371.99")
    assert conditions.compute(tree, {"x": 1, "y": 0, "n": 0}.get) is None
    assert conditions.compute(tree, {"x": 1, "n": 2}.get) is None
    for bad in ("__import__('os')", "x.real", "x ** 2", "'a'"):
        with pytest.raises(conditions.ConditionError):
            conditions.parse_formula(bad)
