"""`kiosk eligibility ...` run as staff would run it, in a fresh process."""

from __future__ import annotations

import json
import shutil

from tests.conftest import CONTENT, run_cli

CASES = CONTENT / "legal_aid" / "cases.csv"


def test_check_reads_one_json_from_stdin_and_prints_one_json(config_file):
    facts = {
        "matter": "support_payments",
        "assistance_status": False,
        "household_size": 2,
        "monthly_household_income": 5000,
        "monthly_rigid_expenses": 256,
        "high_value_assets": None,
    }
    done = run_cli(
        "eligibility",
        "check",
        "--date",
        "2025-03-01",
        config=config_file(),
        stdin=json.dumps(facts),
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["outcome"], result["means_test"], result["rule"]) == (
        "may_not_be_eligible",
        "required_not_met",
        "income_over",
    )
    assert result["income_line"]["value"] == 2372 and result["income_line"]["from"] == "2025-01-01"
    assert result["date"] == "2025-03-01"


def test_check_reads_a_facts_file_and_defaults_to_today(config_file, tmp_path):
    file = tmp_path / "facts.json"
    file.write_text(
        json.dumps({"matter": "domestic_violence", "deadline_within_7_days": True}),
        encoding="utf-8",
    )
    done = run_cli(
        "eligibility",
        "check",
        "--facts",
        str(file),
        config=config_file(),
        env={"KIOSK_NOW": "2026-02-03T10:00"},
    )
    result = json.loads(done.stdout)
    assert result["urgent"] is True and result["date"] == "2026-02-03"
    assert {"law": "legal_aid_law", "article": 44} in result["citations"]
    places = {p["id"]: p for p in result["places"]}
    assert places["district_center"]["window"].endswith("法律援助")  # the window, from the pack


def test_check_refuses_bad_input_with_a_reason_not_a_traceback(config_file):
    for stdin, words in (
        ("{not json", "不是有效的 JSON"),
        ('{"salary": 1}', "无法识别的事实"),
        ("[1]", "JSON 对象"),
    ):
        done = run_cli("eligibility", "check", config=config_file(), stdin=stdin)
        assert done.returncode == 1
        assert words in done.stderr and "Traceback" not in done.stderr
        assert done.stdout == ""


def test_cases_passes_the_bundled_table(config_file):
    done = run_cli("eligibility", "cases", str(CASES), config=config_file())
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASS") == 29 and "29 passed, 0 failed" in done.stdout


def test_cases_reports_a_failing_row_and_exits_non_zero(config_file, tmp_path):
    table = tmp_path / "cases.csv"
    text = CASES.read_text(encoding="utf-8").replace(
        ",may_not_be_eligible,required_not_met,income_over,",
        ",likely_eligible,required_not_met,income_over,",
        1,
    )
    table.write_text(text, encoding="utf-8")
    done = run_cli("eligibility", "cases", str(table), "--json", config=config_file())
    assert done.returncode == 1
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    failed = [r for r in rows if not r["passed"]]
    assert [r["case_id"] for r in failed] == ["B3"]
    assert failed[0]["failures"] == ["outcome：应为 likely_eligible，实际为 may_not_be_eligible"]


def test_map_writes_dot_and_png(config_file, tmp_path):
    done = run_cli("eligibility", "map", "--out", str(tmp_path), "--json", config=config_file())
    assert done.returncode == 0, done.stderr
    written = json.loads(done.stdout)
    dot = (tmp_path / "eligibility-map.dot").read_text(encoding="utf-8")
    assert dot.startswith("digraph") and "r_means_unknown -> o_staff_check" in dot
    assert "q_matter" in dot and "很可能可以申请" in dot
    if shutil.which("dot"):
        assert (tmp_path / "eligibility-map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert written["png"]


def test_lint_reports_warnings_and_fails_on_errors(config_file, tmp_path):
    done = run_cli(
        "eligibility",
        "lint",
        str(CONTENT),
        config=config_file(),
        env={"KIOSK_NOW": "2025-06-01T09:00"},
    )
    assert done.returncode == 0 and "0 errors, 1 warnings" in done.stdout
    broken = tmp_path / "pack"
    shutil.copytree(CONTENT, broken)
    rules_file = broken / "legal_aid" / "rules.yaml"
    rules_file.write_text(
        rules_file.read_text(encoding="utf-8").replace(
            "outcome: staff_check", "outcome: ask_staff", 1
        ),
        encoding="utf-8",
    )
    done = run_cli("eligibility", "lint", str(broken), "--json", config=config_file())
    assert done.returncode == 1
    problems = [json.loads(line) for line in done.stdout.splitlines()]
    assert any(p["severity"] == "error" and "ask_staff" in p["message"] for p in problems)


def test_stats_lists_counts_without_answers(config_file, tmp_path):
    from datetime import date

    from kiosk import store
    from kiosk.eligibility import stats

    config = config_file()
    db = store.open_db(tmp_path / "var" / "kiosk.sqlite3")
    stats.record(db, "staff_check", "matter_unclear", date(2025, 3, 1))
    db.conn.close()
    done = run_cli("eligibility", "stats", "--json", config=config)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in done.stdout.splitlines()] == [
        {"day": "2025-03-01", "outcome": "staff_check", "rule": "matter_unclear", "count": 1}
    ]
