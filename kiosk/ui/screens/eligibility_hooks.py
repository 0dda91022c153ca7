"""法律援助自测 for staff and the tour: the admin screen's rows and the tour's pictures."""

from __future__ import annotations

from typing import Any

from kiosk import clock
from kiosk.eligibility.rules import Citation, RulesError, chinese_date
from kiosk.ui import strings
from kiosk.ui.screens.eligibility import (
    FEATURE,
    _plain,
    ruleset_for,
    walk_for,
)

# --- hooks for the tour and the admin screen ---------------------------------------------------


def _answer_all(driver: Any, answers: list[tuple[str, Any]]) -> None:
    app = driver.app
    app.reset_session()
    app.go("eligibility")
    app.session.features.pop(FEATURE, None)
    walk = walk_for(app)
    for qid, value in answers:
        walk.answer(qid, value, clock.today())


def _tour_intro(driver: Any) -> None:
    driver.app.reset_session()
    driver.app.go("eligibility")


def _tour_matter(driver: Any) -> None:
    _answer_all(driver, [])
    driver.app.go("eligibility-question", remember=False, qid="matter")


def _tour_yesno(driver: Any) -> None:
    _answer_all(driver, [("matter", "personal_injury")])
    driver.app.go("eligibility-question", remember=False, qid="migrant_worker")


def _tour_number(driver: Any) -> None:
    _answer_all(driver, [("matter", "support_payments"), ("assistance_status", False)])
    screen = driver.app.go("eligibility-question", remember=False, qid="household_size")
    screen.pad.value = "3"


MAY_NOT = [
    ("matter", "contract_or_debt"),
    ("assistance_status", False),
    ("household_size", 3),
    ("monthly_household_income", 15000),
    ("monthly_rigid_expenses", 1000),
    ("deadline_within_7_days", False),
]


def _tour_review(driver: Any) -> None:
    _answer_all(driver, MAY_NOT)
    driver.app.go("eligibility-review", remember=False)


def _tour_likely(driver: Any) -> None:
    _answer_all(
        driver,
        [("matter", "labour_or_wages"), ("migrant_worker", True), ("deadline_within_7_days", True)],
    )
    driver.app.go("eligibility-result", remember=False)


def _tour_may_not(driver: Any) -> None:
    _answer_all(driver, MAY_NOT)
    driver.app.go("eligibility-result", remember=False)


def _tour_staff(driver: Any) -> None:
    _answer_all(driver, [("matter", "criminal_defence")])
    driver.app.go("eligibility-result", remember=False)


def _tour_article(driver: Any) -> None:
    _tour_may_not(driver)
    screen = driver.app.screens.get_screen("eligibility-result")
    screen.read(Citation("legal_aid_law", 43))


TOUR_STOPS = [
    ("eligibility-intro", _tour_intro),
    ("eligibility-question-choice", _tour_matter),
    ("eligibility-question-yesno", _tour_yesno),
    ("eligibility-question-number", _tour_number),
    ("eligibility-review", _tour_review),
    ("eligibility-result-likely", _tour_likely),
    ("eligibility-result-may-not", _tour_may_not),
    ("eligibility-result-staff", _tour_staff),
    ("eligibility-article", _tour_article),
]


def admin_rows(app: Any) -> list[tuple[str, str, bool]]:
    try:
        ruleset = ruleset_for(app)
    except RulesError as exc:
        return [(strings.ELIG_ADMIN_RULES, str(exc), True)]
    today = clock.today()
    param = ruleset.params.get("income_line")
    line = param.at(today) if param else None
    rows: list[tuple[str, str, bool]] = []
    if line is None:
        rows.append(
            (strings.ELIG_ADMIN_RULES, f"版本 {ruleset.version}；今天没有适用的收入标准", True)
        )
    else:
        stale = (
            today - (param.newest().start if param and param.newest() else line.start)
        ).days > 365
        flags = (strings.ELIG_ADMIN_STALE if stale else "") + (
            "" if line.verified else strings.ELIG_ADMIN_UNVERIFIED
        )
        rows.append(
            (
                strings.ELIG_ADMIN_RULES,
                strings.ELIG_ADMIN_RULES_VALUE.format(
                    version=ruleset.version,
                    value=_plain(line.value),
                    start=chinese_date(line.start),
                    flags=flags,
                ),
                bool(flags),
            )
        )
    try:
        from kiosk.eligibility import stats

        counts = stats.by_outcome(app.db(), since=today)
    except Exception:
        counts = {}
    text = " · ".join(
        f"{strings.ELIG_OUTCOME_WORDS.get(k, k)} {v}" for k, v in sorted(counts.items())
    )
    rows.append((strings.ELIG_ADMIN_COUNTS, text or strings.ELIG_ADMIN_COUNTS_NONE, False))
    return rows
