"""`kiosk search` and `kiosk roster` as staff run them: real processes, real content files."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli
from tests.directory_content import write_content


@pytest.fixture
def config(tmp_path, config_file):
    content = write_content(tmp_path / "content")
    return config_file(content={"source": str(content)}, kiosk={"site": "center"})


def lines(result) -> list[dict]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_search_json_lines_ranked_with_own_site_first(config):
    hits = lines(run_cli("search", "FLYZ", "--json", config=config))
    assert hits[0]["id"] == "window:center/legal-aid" and hits[0]["own_site"]
    assert hits[1]["id"] == "help:legal_aid" and hits[1]["tier"] == "exact"
    assert "institution:aid" in [h["id"] for h in hits]
    for hit in hits:
        assert {"id", "name", "kind", "score"} <= set(hit)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_search_from_another_site_ranks_that_sites_entries_first(config):
    hits = lines(run_cli("search", "tiaojie", "--site", "shuanglonghu", "--json", config=config))
    substring = [h for h in hits if h["tier"] == "substring"]
    assert substring[0]["id"] == "institution:slh-tw" and substring[0]["own_site"]


def test_search_human_output_and_nothing_found(config):
    found = run_cli("search", "gzc", config=config)
    assert found.returncode == 0 and "重庆市渝北区公证处" in found.stdout
    nothing = run_cli("search", "qqqq", config=config)
    assert nothing.returncode == 0 and "nothing found" in nothing.stdout
    assert lines(run_cli("search", "qqqq", "--json", config=config)) == []


def test_search_limit_reports_more(config):
    result = run_cli("search", "g", "--limit", "2", config=config)
    assert result.returncode == 0
    assert "more than 2 results" in result.stdout


def test_unknown_site_is_a_one_line_error(config):
    result = run_cli("search", "FLYZ", "--site", "nowhere", config=config)
    assert result.returncode != 0
    assert result.stderr.strip().startswith("kiosk: no site 'nowhere'")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_roster_on_a_wednesday_and_on_national_day(config):
    wednesday = run_cli(
        "roster", "--site", "shuanglonghu", "--date", "2025-09-17", "--json", config=config
    )
    doc = json.loads(wednesday.stdout)
    assert [d["who"] for d in doc["on_duty"]] == ["曾小明律师"]
    assert doc["on_duty"][0]["hours"] == ["09:00-12:00"]
    assert doc["next_duty"] == "2025-09-24"
    holiday = json.loads(
        run_cli(
            "roster", "--site", "shuanglonghu", "--date", "2025-10-01", "--json", config=config
        ).stdout
    )
    assert holiday["on_duty"] == [] and holiday["next_duty"] == "2025-10-15"


def test_roster_defaults_to_the_kiosk_site_and_today(config):
    result = run_cli("roster", config=config, env={"KIOSK_NOW": "2025-03-05T10:00"})
    assert result.returncode == 0, result.stderr
    assert "渝北区公共法律服务中心 2025-03-05（周三）" in result.stdout
    assert "值班律师（重庆渝律律师事务所）" in result.stdout and "on duty" in result.stdout


def test_roster_bad_date_is_a_clear_error(config):
    result = run_cli("roster", "--date", "2025-02-30", config=config)
    assert result.returncode != 0
    assert "not a date like" in result.stderr and "Traceback" not in result.stderr


def test_kiosk_start_up_never_imports_pypinyin(config_file):
    """The first frame must not pay ~0.2 s for pypinyin: the index is built after it."""
    result = run_cli(
        "run",
        "--smoke",
        config=config_file(),
        env={"DISPLAY": "", "PYTHONPROFILEIMPORTTIME": "1"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]
    assert "kivy" in imported and "kiosk.ui.app" in imported, "the import log was read"
    assert not [name for name in imported if name.startswith("pypinyin")]


def test_validate_warns_about_a_qr_value_that_is_neither_a_link_nor_a_word(tmp_path):
    content = write_content(tmp_path / "content")
    sites = content / "sites.yaml"
    sites.write_text(
        sites.read_text(encoding="utf-8").replace("qr: 无", "qr: vcrad"), encoding="utf-8"
    )
    result = run_cli("pack", "validate", str(content))
    assert result.returncode == 0, result.stdout + result.stderr  # a warning, not an error
    assert "统景镇印盒村公共法律服务工作室" in result.stdout and "vcrad" in result.stdout
    clean = run_cli("pack", "validate", str(write_content(tmp_path / "clean")))
    assert "vcrad" not in clean.stdout and "二维码内容" not in clean.stdout
